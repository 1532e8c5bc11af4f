"""The participant aggregate: registration, broad intake, contact person, consents.

It collects the events it causes in ``events`` (drained into the outbox by the unit of
work) and carries a ``version`` for optimistic concurrency: the repository saves only
over the version it loaded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    AssignmentReason,
    BookingStatus,
    ConsentPurpose,
    CorrectionReason,
    DeletedRecords,
    IntakeCancelReason,
    IntakeStage,
    PersonalDataField,
    ReEnrolmentReason,
    WithdrawalReason,
)
from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    IntakeCancelled,
    IntakeCompleted,
    IntakeCorrected,
    IntakeScheduled,
    ParticipantMovedIn,
    ParticipantMovedOut,
    ParticipantPaused,
    ParticipantRecordsDeleted,
    ParticipantReEnrolled,
    ParticipantRegistered,
    ParticipantResumed,
    ParticipantWithdrawn,
    PersonalDataChanged,
)
from zroute_contract.events.parts import ContactPersonRef

from zroute_intake.domain import consents as consent_rules
from zroute_intake.domain import moves as move_rules
from zroute_intake.domain import pauses as pause_rules
from zroute_intake.domain.changes import Address, PersonalDataChange, RecordedChange
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    StaleVersion,
)
from zroute_intake.domain.moves import Move
from zroute_intake.domain.outcome import Outcome, OutcomeRecord, care_signals, event_fields
from zroute_intake.domain.pauses import Pause
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import CLOSED, Appointment, ContactAssignment, Status, Withdrawal

MAX_PLANNING_AHEAD = timedelta(days=366)
# The changed fields held in the encrypted personal data (the rest live on the participant).
CONTACT_DETAILS = frozenset(
    {PersonalDataField.ADDRESS, PersonalDataField.PHONE, PersonalDataField.EMAIL}
)


class Participant:
    """One newcomer on (or towards) the Z-route, known outside by ``ref`` only."""

    def __init__(
        self,
        *,
        ref: str,
        programme_id: str,
        municipality: str,
        preferred_language: str,
        interpreter_needed: bool,
        registered_on: date,
        status: Status = Status.REGISTERED,
        version: int = 0,
        personal: PersonalData | None = None,
        appointment: Appointment | None = None,
        outcomes: list[OutcomeRecord] | None = None,
        contacts: list[ContactAssignment] | None = None,
        consents: list[Consent] | None = None,
        withdrawal: Withdrawal | None = None,
        route_completed_on: date | None = None,
        erased_at: datetime | None = None,
        changes: list[RecordedChange] | None = None,
        planned_contact: ContactAssignment | None = None,
        pauses: list[Pause] | None = None,
        moves: list[Move] | None = None,
    ) -> None:
        self.ref = ref
        self.programme_id = programme_id
        self.municipality = municipality
        self.preferred_language = preferred_language
        self.interpreter_needed = interpreter_needed
        self.registered_on = registered_on
        self.status = status
        self.version = version
        self.personal = personal
        self.appointment = appointment
        self.outcomes = outcomes or []
        self.contacts = contacts or []
        self.consents = consents or []
        self.withdrawal = withdrawal
        self.route_completed_on = route_completed_on
        self.erased_at = erased_at
        self.changes = changes or []
        self.planned_contact = planned_contact
        self.pauses = pauses or []
        self.moves = moves or []
        self.events: list[Event] = []

    # -- registration -----------------------------------------------------------------
    @classmethod
    def register(
        cls,
        *,
        ref: str,
        programme_id: str,
        municipality: str,
        personal: PersonalData,
        preferred_language: str,
        interpreter_needed: bool,
        contact: ContactPersonRef,
        today: date,
    ) -> Participant:
        personal.check(today)
        participant = cls(
            ref=ref,
            programme_id=programme_id,
            municipality=municipality,
            preferred_language=preferred_language,
            interpreter_needed=interpreter_needed,
            registered_on=today,
            personal=personal,
        )
        participant.events.append(
            ParticipantRegistered(
                participant_ref=ref,
                programme_id=programme_id,
                municipality=municipality,
                registered_on=today,
                preferred_language=preferred_language,
                interpreter_needed=interpreter_needed,
            )
        )
        participant._assign(contact, today, AssignmentReason.FIRST_ASSIGNMENT, previous=None)
        return participant

    # -- reach, concurrency and state guards --------------------------------------------
    def check_reach(self, scope: str | None) -> None:
        """Refuse a caller limited to another municipality (``scope``: the caller's, or
        ``None`` for a caller who works regionally)."""
        if scope is not None and scope != self.municipality:
            raise Forbidden("this participant belongs to another municipality")

    def check_version(self, expected: int | None) -> None:
        """Refuse a change made from an outdated version (``None``: caller did not say)."""
        if expected is not None and expected != self.version:
            raise StaleVersion(expected, self.version)

    def _ensure_open(self) -> None:
        if self.handed_over:
            move = self.moves[-1]
            raise Conflict(
                f"the participant moved to {move.to_municipality} on {move.moved_on} and the "
                "dossier was imported there; the case is closed as handed over here"
            )
        if self.moves and self.moves[-1].in_transit:
            raise Conflict(
                f"the participant moved to {self.moves[-1].to_municipality}; the case is "
                "closed as moved here and continues there once the dossier is imported"
            )
        if self.status is Status.WITHDRAWN:
            assert self.withdrawal is not None
            raise Conflict(
                f"the participant was withdrawn (effective {self.withdrawal.effective_on}); "
                "no further changes are possible"
            )
        if self.status is Status.ROUTE_COMPLETED:
            raise Conflict(
                f"the participant completed the route on {self.route_completed_on}; "
                "no further changes are possible"
            )

    # -- broad intake -------------------------------------------------------------------
    def schedule_intake(self, appointment: Appointment, now: datetime) -> None:
        """Schedule, or reschedule, the broad intake."""
        self._ensure_open()
        if self.status is Status.INTAKE_COMPLETED:
            raise Conflict("the intake is already completed; record a correction instead")
        if appointment.starts_at <= now:
            raise InvalidRequest("starts_at: the intake must be scheduled in the future")
        if appointment.starts_at > now + MAX_PLANNING_AHEAD:
            raise InvalidRequest("starts_at: schedule the intake at most a year ahead")
        booking = appointment.interpreter
        if self.interpreter_needed and booking is None:
            raise InvalidRequest(
                f"interpreter: this participant needs an interpreter "
                f"(language {self.preferred_language}); book one and include the booking"
            )
        if booking is not None and booking.language != self.preferred_language:
            raise InvalidRequest(
                f"interpreter.language: the participant's preferred language is "
                f"{self.preferred_language}"
            )
        if self.appointment is not None:
            appointment = replace(appointment, intake_id=self.appointment.intake_id)
        self.appointment = appointment
        self.status = Status.INTAKE_SCHEDULED
        self.events.append(
            IntakeScheduled(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                intake_id=appointment.intake_id,
                starts_at=appointment.starts_at,
                duration_minutes=appointment.duration_minutes,
                location_id=appointment.location_id,
                attendees=appointment.attendees,
                interpreter=booking,
            )
        )

    def cancel_intake(
        self, reason: IntakeCancelReason, *, now: datetime, today: date, by: str
    ) -> None:
        """Call off the scheduled intake without a new time (issue 17): the participant is
        back to be scheduled, and those told of the appointment hear it no longer holds."""
        self._ensure_open()
        if self.status is Status.INTAKE_COMPLETED:
            raise Conflict("the intake is already completed; there is no appointment to cancel")
        if self.appointment is None:
            raise Conflict("no intake is scheduled; there is nothing to cancel")
        cancelled = self.appointment
        self.appointment = None
        self.status = Status.REGISTERED
        self.changes.append(RecordedChange("intake_cancelled", reason.value, by, now))
        self.events.append(
            IntakeCancelled(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                intake_id=cancelled.intake_id,
                starts_at=cancelled.starts_at,
                reason=reason,
                cancelled_on=today,
            )
        )

    def complete_intake(
        self,
        outcome: Outcome,
        *,
        now: datetime,
        today: date,
        by: str,
        care_partner_id: str,
        interpreter_confirmed: bool = False,
    ) -> None:
        """Record the outcome and the route decision: the intake is complete.

        ``interpreter_confirmed``: the interpreter partner confirmed an interpreter for this
        appointment's time through support (issue 17 item 6), so a booking intake still
        holds as ``requested`` is good enough."""
        self._ensure_open()
        if self.status is Status.INTAKE_COMPLETED:
            raise Conflict("the intake is already completed; record a correction instead")
        if self.appointment is None:
            raise Conflict("no intake is scheduled; schedule the broad intake first")
        if self.appointment.starts_at > now:
            raise Conflict(
                "the intake has not taken place yet (it is scheduled for "
                f"{self.appointment.starts_at.isoformat()}); record the outcome after it"
            )
        booking = self.appointment.interpreter
        if self.interpreter_needed and (
            booking is None
            or (booking.status is BookingStatus.REQUESTED and not interpreter_confirmed)
        ):
            raise Conflict(
                "an intake that needs an interpreter cannot be held without one: the interpreter "
                "is not booked yet; reschedule with a booked or confirmed interpreter"
            )
        self._check_outcome(outcome)
        self.outcomes.append(OutcomeRecord(outcome, today, by))
        self.status = Status.INTAKE_COMPLETED
        self.events.append(IntakeCompleted(**self._outcome_fields(outcome), completed_on=today))
        self._emit_care_signals(care_partner_id, today)

    def correct_intake(
        self,
        outcome: Outcome,
        *,
        reason: CorrectionReason,
        today: date,
        by: str,
        care_partner_id: str,
    ) -> None:
        """Correct the outcome: a new version and a new event, never an edit in place."""
        self._ensure_open()
        if self.status is not Status.INTAKE_COMPLETED:
            raise Conflict("only a completed intake can be corrected; complete it first")
        self._check_outcome(outcome)
        if outcome == self.current_outcome:
            raise InvalidRequest("the correction changes nothing; send the corrected outcome")
        self.outcomes.append(OutcomeRecord(outcome, today, by, correction_reason=reason))
        self.events.append(
            IntakeCorrected(**self._outcome_fields(outcome), corrected_on=today, reason=reason)
        )
        self._emit_care_signals(care_partner_id, today)

    @property
    def current_outcome(self) -> Outcome | None:
        return self.outcomes[-1].outcome if self.outcomes else None

    def _check_outcome(self, outcome: Outcome) -> None:
        problems = outcome.problems()
        if problems:
            raise InvalidRequest("; ".join(problems))

    def _outcome_fields(self, outcome: Outcome) -> dict[str, object]:
        assert self.appointment is not None
        return {
            "participant_ref": self.ref,
            "programme_id": self.programme_id,
            "intake_id": self.appointment.intake_id,
            "municipality": self.municipality,
            **event_fields(outcome),
        }

    def _emit_care_signals(self, care_partner_id: str, today: date) -> None:
        """The whole current set of care signals, addressed to the care coordinator."""
        outcome = self.current_outcome
        if outcome is None or self.appointment is None:
            return
        self.events.append(
            CareSignalsRecorded(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                partner_id=care_partner_id,
                intake_id=self.appointment.intake_id,
                signals=care_signals(
                    outcome,
                    lambda signal_id: consent_rules.covering(self.consents, signal_id, today),
                ),
            )
        )

    # -- contact person -----------------------------------------------------------------
    @property
    def contact(self) -> ContactAssignment | None:
        """The one current contact person (vast aanspreekpunt)."""
        return self.contacts[-1] if self.contacts else None

    def assign_contact_person(
        self,
        contact: ContactPersonRef,
        *,
        assigned_from: date,
        reason: AssignmentReason,
        today: date,
    ) -> bool:
        """Hand over to a new contact person; the history keeps the previous one.

        A handover dated today or earlier takes effect at once (True). One dated ahead is
        planned (False): the current contact person stays until that day, when
        :meth:`take_over_planned` makes it happen (a timer calls it). A new handover
        replaces a planned one."""
        self._ensure_open()
        current = self.contact
        if reason is AssignmentReason.FIRST_ASSIGNMENT:
            raise InvalidRequest(
                "reason: the participant already has a contact person; use handover or "
                "absence_cover"
            )
        if contact.municipality is not None and contact.municipality != self.municipality:
            # Issue 12: a caseworker cannot hand a participant to another municipality.
            raise InvalidRequest(
                "contact_person.municipality: must be the participant's own municipality"
            )
        if current is not None and current.contact == contact:
            raise Conflict("this staff member is already the participant's contact person")
        if current is not None and assigned_from < current.assigned_from:
            raise InvalidRequest(
                f"assigned_from: must be on or after {current.assigned_from}, when the current "
                "contact person started"
            )
        if assigned_from < today - timedelta(days=31) or assigned_from > today + MAX_PLANNING_AHEAD:
            raise InvalidRequest("assigned_from: must lie within a month back and a year ahead")
        if assigned_from > today:
            # Issue 15: the current contact person stays responsible until the day itself.
            self.planned_contact = ContactAssignment(contact, assigned_from, reason)
            return False
        self.planned_contact = None
        self._assign(contact, assigned_from, reason, previous=current)
        return True

    def take_over_planned(self, today: date) -> bool:
        """The planned handover's day has come: it takes effect now, with its event.
        False when nothing is planned for today or earlier, or the route has ended."""
        planned = self.planned_contact
        if planned is None or planned.assigned_from > today or self.status in CLOSED:
            return False
        self.planned_contact = None
        self._assign(planned.contact, planned.assigned_from, planned.reason, previous=self.contact)
        return True

    def _assign(
        self,
        contact: ContactPersonRef,
        assigned_from: date,
        reason: AssignmentReason,
        previous: ContactAssignment | None,
    ) -> None:
        if previous is not None:
            self.contacts[-1] = replace(previous, until=assigned_from)
        self.contacts.append(ContactAssignment(contact, assigned_from, reason))
        self.events.append(
            ContactPersonAssigned(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                contact=contact,
                assigned_from=assigned_from,
                reason=reason,
                previous=previous.contact if previous else None,
            )
        )

    # -- consent ------------------------------------------------------------------------
    def record_consent(self, consent: Consent, *, today: date, care_partner_id: str) -> None:
        """Record consent for one purpose."""
        self._ensure_open()
        outcome = self.current_outcome
        consent_rules.check_new(
            consent,
            existing=self.consents,
            known_signals={s.signal_id for s in outcome.care_signals} if outcome else set(),
            today=today,
        )
        self.consents.append(consent)
        self.events.append(
            ConsentRecorded(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                consent_id=consent.consent_id,
                purpose=consent.purpose,
                partner_id=consent.partner_id,
                care_signal_ids=consent.care_signal_ids,
                given_on=consent.given_on,
                valid_until=consent.valid_until,
            )
        )
        if consent.purpose is ConsentPurpose.CARE_REFERRAL:
            self._emit_care_signals(care_partner_id, today)

    def withdraw_consent(self, consent_id: UUID, *, today: date, care_partner_id: str) -> None:
        """Withdraw a consent; allowed after the route too (the participant's right)."""
        if self.erased_at is not None:
            raise Conflict("the participant's data was erased; nothing left to withdraw")
        index = next((i for i, c in enumerate(self.consents) if c.consent_id == consent_id), None)
        if index is None:
            raise NotFound("no consent with this consent_id for the participant")
        consent = self.consents[index]
        if consent.withdrawn_on is not None:
            raise Conflict(f"the consent was already withdrawn on {consent.withdrawn_on}")
        self.consents[index] = replace(consent, withdrawn_on=today)
        self.events.append(
            ConsentWithdrawn(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                consent_id=consent_id,
                purpose=consent.purpose,
                withdrawn_on=today,
            )
        )
        if consent.purpose is ConsentPurpose.CARE_REFERRAL and self.status not in CLOSED:
            self._emit_care_signals(care_partner_id, today)

    # -- personal data after registration -----------------------------------------------
    def change_personal_data(
        self,
        change: PersonalDataChange,
        *,
        personal: PersonalData | None,
        today: date,
        by: str,
        at: datetime,
    ) -> None:
        """Change address, phone, preferred language or interpreter need, for a reason.

        ``personal`` is the decrypted personal data (needed for an address or phone
        change); the changed personal data is kept on ``personal`` for the repository to
        encrypt. The event names the fields that changed, never the new address or phone.
        """
        self._ensure_open()
        changed = self._changed_fields(change, personal)
        if not changed:
            raise InvalidRequest("the change changes nothing; send the new values")
        if personal is not None and CONTACT_DETAILS & set(changed):
            self.personal = _with_contact_details(personal, change)
        if change.preferred_language is not None:
            self.preferred_language = change.preferred_language
        if change.interpreter_needed is not None:
            self.interpreter_needed = change.interpreter_needed
        self.changes.append(
            RecordedChange("personal_data_changed", change.reason.value, by, at, changed)
        )
        language_changed = PersonalDataField.PREFERRED_LANGUAGE in changed
        interpreter_changed = PersonalDataField.INTERPRETER_NEEDED in changed
        self.events.append(
            PersonalDataChanged(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                changed=changed,
                reason=change.reason,
                changed_on=today,
                preferred_language=self.preferred_language if language_changed else None,
                interpreter_needed=self.interpreter_needed if interpreter_changed else None,
            )
        )

    def _changed_fields(
        self, change: PersonalDataChange, personal: PersonalData | None
    ) -> tuple[PersonalDataField, ...]:
        if personal is None and change.touches_personal():
            raise Conflict(
                "the personal data was erased; there is no address, phone or e-mail to change"
            )
        found: list[PersonalDataField] = []
        if change.address is not None and personal is not None:
            current = Address(personal.street, personal.house_number, personal.postal_code,
                              personal.city)  # fmt: skip
            if change.address != current:
                found.append(PersonalDataField.ADDRESS)
        if change.phone is not None and personal is not None and change.phone != personal.phone:
            found.append(PersonalDataField.PHONE)
        if change.email is not None and personal is not None and change.email != personal.email:
            found.append(PersonalDataField.EMAIL)
        language = change.preferred_language
        if language is not None and language != self.preferred_language:
            found.append(PersonalDataField.PREFERRED_LANGUAGE)
        needed = change.interpreter_needed
        if needed is not None and needed != self.interpreter_needed:
            found.append(PersonalDataField.INTERPRETER_NEEDED)
        return tuple(found)

    # -- pause and resume (issue 15) ------------------------------------------------------
    @property
    def open_pause(self) -> Pause | None:
        """The pause the route is in, if any."""
        return next((p for p in self.pauses if p.open), None)

    def pause(self, pause: Pause, *, today: date) -> None:
        """Pause the route from ``pause.paused_from``; the event carries the coarse reason."""
        self._ensure_open()
        if self.status is not Status.INTAKE_COMPLETED:
            raise Conflict("only a route under way pauses: complete the broad intake first")
        pause_rules.check_new(pause, self.pauses, registered_on=self.registered_on, today=today)
        self.pauses.append(pause)
        self.changes.append(
            RecordedChange("participant_paused", pause.ground.value, pause.by, pause.at)
        )
        self.events.append(
            ParticipantPaused(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                pause_id=pause.pause_id,
                reason=pause.ground.reason,
                paused_from=pause.paused_from,
                expected_until=pause.expected_until,
            )
        )

    def resume(
        self, pause_id: UUID, *, resumed_on: date, today: date, by: str, at: datetime
    ) -> Pause:
        """End the open pause ``pause_id``: the route resumes on ``resumed_on``."""
        self._ensure_open()
        index = pause_rules.open_pause(self.pauses, pause_id)
        pause = self.pauses[index]
        pause_rules.check_resumption(pause, resumed_on, today)
        ended = replace(pause, resumed_on=resumed_on, resumed_by=by, resumed_at=at)
        self.pauses[index] = ended
        self.changes.append(RecordedChange("participant_resumed", pause.ground.value, by, at))
        self.events.append(
            ParticipantResumed(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                pause_id=pause_id,
                reason=pause.ground.reason,
                paused_from=pause.paused_from,
                resumed_on=resumed_on,
            )
        )
        return ended

    # -- a move to another municipality (issue 15, W 15(4)) -----------------------------
    def move_out(self, move: Move, *, today: date) -> None:
        """Close the case here as moved: read only until the new municipality imports it."""
        self._ensure_open()
        move_rules.check_move_out(move, registered_on=self.registered_on, today=today)
        self.moves.append(move)
        self.changes.append(
            RecordedChange("moved_out", move.to_municipality, move.exported_by, move.exported_at)
        )
        self.events.append(
            ParticipantMovedOut(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                from_municipality=move.from_municipality,
                to_municipality=move.to_municipality,
                moved_on=move.moved_on,
            )
        )

    def move_in(self, scope: str | None, *, by: str, at: datetime, pip_due_on: date) -> Move:
        """The new municipality imported the dossier: the participant is theirs now."""
        pending = move_rules.check_move_in(self.moves, scope)
        imported = replace(pending, imported_by=by, imported_at=at)
        self.moves[-1] = imported
        self.municipality = pending.to_municipality
        self.changes.append(RecordedChange("moved_in", pending.from_municipality, by, at))
        self.events.append(
            ParticipantMovedIn(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                from_municipality=pending.from_municipality,
                to_municipality=pending.to_municipality,
                moved_on=pending.moved_on,
                pip_due_on=pip_due_on,
            )
        )
        return imported

    @property
    def handed_over(self) -> bool:
        """Another intake service imported the dossier: this copy is closed for good."""
        return bool(self.moves) and self.moves[-1].handed_over

    def hand_over(self, to_municipality: str, *, by: str, at: datetime) -> Move | None:
        """Another intake service (``by``: its CloudEvents source) imported the dossier
        (its ``participant-moved-in``): close this copy as handed over, read only, kept
        until its retention ends. None when there is nothing to close (imported here, or
        told before)."""
        pending = move_rules.imported_elsewhere(self.moves, to_municipality)
        if pending is None:
            return None
        closed = replace(pending, handed_over_at=at)
        self.moves[-1] = closed
        self.changes.append(RecordedChange("handed_over", to_municipality, by, at))
        return closed

    # -- leaving the route ----------------------------------------------------------------
    def withdraw(self, reason: WithdrawalReason, *, effective_on: date, today: date) -> None:
        """Withdraw the participant (moved, exempted, stopped)."""
        self._ensure_open()
        if effective_on < self.registered_on:
            raise InvalidRequest(
                f"effective_on: must be on or after the registration ({self.registered_on})"
            )
        if effective_on > today + MAX_PLANNING_AHEAD:
            raise InvalidRequest("effective_on: must lie within a year ahead")
        self.withdrawal = Withdrawal(reason, effective_on, self.status, today)
        self.status = Status.WITHDRAWN
        self.events.append(
            ParticipantWithdrawn(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                reason=reason,
                effective_on=effective_on,
            )
        )

    def re_enrol(
        self, reason: ReEnrolmentReason, *, today: date, by: str, at: datetime, window: timedelta
    ) -> None:
        """Undo a withdrawal: back to the status before it. A mistaken withdrawal may be
        undone until the personal data is erased; a revoked one only within ``window``
        of the day the withdrawal was recorded."""
        withdrawal = self.withdrawal
        if self.status is not Status.WITHDRAWN or withdrawal is None:
            raise Conflict("the participant is not withdrawn; there is nothing to undo")
        if self.erased_at is not None:
            raise Conflict("the personal data was erased; register the participant anew")
        if reason is ReEnrolmentReason.WITHDRAWAL_REVOKED:
            recorded = withdrawal.recorded_on or withdrawal.effective_on
            if today > recorded + window:
                raise Conflict(
                    f"a withdrawal is revoked within {window.days} days of its recording "
                    f"({recorded}); only a withdrawal recorded by mistake can be undone later"
                )
        self.status = withdrawal.previous_status or self._status_before_withdrawal()
        self.withdrawal = None
        self.changes.append(RecordedChange("re_enrolled", reason.value, by, at))
        self.events.append(
            ParticipantReEnrolled(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                reason=reason,
                re_enrolled_on=today,
                withdrawn_on=withdrawal.effective_on,
                status=IntakeStage(self.status.value),
            )
        )

    def _status_before_withdrawal(self) -> Status:
        # A withdrawal recorded before issue 15 kept no status: the record tells it.
        if self.outcomes:
            return Status.INTAKE_COMPLETED
        return Status.INTAKE_SCHEDULED if self.appointment else Status.REGISTERED

    def complete_route(self, completed_on: date) -> bool:
        """Planning reported the route completed; False when already closed (a replay)."""
        if self.status in CLOSED:
            return False
        self.route_completed_on = completed_on
        self.status = Status.ROUTE_COMPLETED
        return True

    @property
    def route_ended_on(self) -> date | None:
        """The day the retention period starts from: route completion or withdrawal, or,
        for a copy handed over to another intake service, the move (inference: this
        municipality's part ended then; the route goes on and ends there)."""
        if self.handed_over:
            return self.moves[-1].moved_on
        if self.status is Status.ROUTE_COMPLETED:
            return self.route_completed_on
        if self.status is Status.WITHDRAWN and self.withdrawal is not None:
            return self.withdrawal.effective_on
        return None

    def erase_personal_data(
        self, now: datetime, *, obligation_ended: bool = False, ended_on: date | None = None
    ) -> bool:
        """Drop the personal data, keep the pseudonymous history; False if nothing to do.

        Allowed once the route is closed, or once DUO ended the obligation (an exemption
        or release, B 9.9: the retention runs from the obligation's end). With
        ``ended_on`` (the day the retention ran from) the other services are told, so
        they drop what personal data and free text they keep too."""
        if self.status not in CLOSED and not obligation_ended and not self.handed_over:
            raise Conflict("personal data is kept while the participant is on the route")
        if self.erased_at is not None:
            return False
        self.personal = None
        self.erased_at = now
        if ended_on is not None:
            self._tell_deleted(DeletedRecords.PERSONAL_DATA, ended_on)
        return True

    def delete_core_data(self, ended_on: date) -> None:
        """The core data's retention ended (B 9.9): every record of the participant goes,
        here and, told by the event, in the other services."""
        if self.erased_at is None:
            raise Conflict("the core data goes only after the personal data was erased")
        self._tell_deleted(DeletedRecords.CORE_DATA, ended_on)

    def _tell_deleted(self, deleted: DeletedRecords, ended_on: date) -> None:
        if self.handed_over:
            # Only this copy goes: the route goes on under the intake service that
            # imported the dossier, and the other services' records are its.
            return
        self.events.append(
            ParticipantRecordsDeleted(
                participant_ref=self.ref,
                programme_id=self.programme_id,
                deleted=deleted,
                obligation_ended_on=ended_on,
            )
        )


def _with_contact_details(personal: PersonalData, change: PersonalDataChange) -> PersonalData:
    """The personal data with the change's new address, phone and e-mail address."""
    updated = personal
    if change.address is not None:
        updated = replace(
            updated,
            street=change.address.street,
            house_number=change.address.house_number,
            postal_code=change.address.postal_code,
            city=change.address.city,
        )
    if change.phone is not None:
        updated = replace(updated, phone=change.phone)
    if change.email is not None:
        updated = replace(updated, email=change.email)
    return updated
