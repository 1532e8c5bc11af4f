"""Events the intake service publishes (operated by the municipality).

Personal data (name, BSN, date of birth, address, phone) stays in the intake service;
these events carry the pseudonymous participant reference and codes only. Care signals
are health details, so they travel on their own event addressed to the one partner
that routes care referrals, never on the public intake events.
"""

from datetime import date
from typing import Annotated, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, field_validator, model_validator

from zroute_contract.events.base import EventSpec
from zroute_contract.events.codes import (
    AssignmentReason,
    AttendeeRole,
    BookingStatus,
    CareCategory,
    CasePauseReason,
    ConsentPurpose,
    CorrectionReason,
    DeletedRecords,
    Goal,
    IntakeCancelReason,
    IntakeStage,
    InterpreterMode,
    LanguageLevel,
    LearnabilityBand,
    LifeDomain,
    Literacy,
    MeetingDecision,
    MeetingRole,
    NeedSeverity,
    ObligationReleaseKind,
    PersonalDataChangeReason,
    PersonalDataField,
    PipAmendmentReason,
    PreconditionCode,
    PublicLifeDomain,
    ReEnrolmentReason,
    Route,
    RouteReason,
    TermExtensionGround,
    TransportMode,
    Urgency,
    WithdrawalReason,
)
from zroute_contract.events.parts import (
    AvailabilitySlot,
    ContactPersonRef,
    EventPart,
    Hours,
    ParticipantEvent,
    UniqueTuple,
)
from zroute_contract.types import LanguageCode, LocationId, MunicipalityCode, PartnerId

_ALL = ("planning", "support", "notifications")


class ParticipantRegistered(ParticipantEvent):
    """A newcomer obliged to integrate (inburgeringsplichtige) was registered for a programme.

    Planning and support open their own record for the reference; notifications adds
    the participant to its programme overview.
    """

    spec = EventSpec(
        type="nl.zroute.intake.participant-registered.v1",
        routing_key="intake.participant.registered",
        producer="intake",
        consumers=_ALL,
        summary="A participant was registered; the pseudonymous reference is minted.",
    )

    municipality: MunicipalityCode = Field(description="The municipality responsible (regie).")
    registered_on: date = Field(description="The day the registration was recorded.")
    preferred_language: LanguageCode = Field(
        description="The language the participant prefers to be spoken to in (ISO 639)."
    )
    interpreter_needed: bool = Field(
        description="True when conversations need an interpreter in the preferred language."
    )


class IntakeAttendee(EventPart):
    """A partner attending the broad intake, and in which role."""

    partner_id: PartnerId = Field(description="The attending partner.")
    role: AttendeeRole = Field(description="The role the partner attends in.")


class InterpreterBooking(EventPart):
    """The interpreter booked for an appointment."""

    language: LanguageCode = Field(description="The language interpreted from Dutch (ISO 639).")
    mode: InterpreterMode = Field(description="In person, by phone or by video.")
    status: BookingStatus = Field(description="How far the booking has got.")
    partner_id: PartnerId | None = Field(
        default=None, description="The interpreting partner, when booked through one."
    )


class IntakeScheduled(ParticipantEvent):
    """The broad intake (brede intake) was scheduled, or rescheduled: a later event with the
    same ``intake_id`` replaces the appointment.

    Notifications tells the attending partners and the interpreter.
    """

    spec = EventSpec(
        type="nl.zroute.intake.intake-scheduled.v1",
        routing_key="intake.intake.scheduled",
        producer="intake",
        consumers=("notifications", "support"),
        summary="The broad intake was (re)scheduled with its attending partners and interpreter.",
    )

    intake_id: UUID = Field(description="The intake this appointment is for.")
    starts_at: AwareDatetime = Field(description="Start of the appointment, with UTC offset.")
    duration_minutes: int = Field(ge=15, le=480, description="Planned length in minutes.")
    location_id: LocationId = Field(description="Where the intake is held (a registered location).")
    attendees: UniqueTuple[IntakeAttendee] = Field(
        description="The partners attending besides the caseworker, with their roles."
    )
    interpreter: InterpreterBooking | None = Field(
        default=None, description="The interpreter booking; absent when none is needed."
    )


class IntakeCancelled(ParticipantEvent):
    """The scheduled broad intake was called off without a new time (issue 17): the
    appointment ``intake-scheduled`` announced no longer holds. The participant is back
    to be scheduled; a later ``intake-scheduled`` names a new ``intake_id``.

    Support withdraws the interpreter it asked for the intake; notifications tells those
    ``intake-scheduled`` told (the partners attending, the contact person)."""

    spec = EventSpec(
        type="nl.zroute.intake.intake-cancelled.v1",
        routing_key="intake.intake.cancelled",
        producer="intake",
        consumers=("notifications", "support"),
        summary="The scheduled broad intake was called off (no new time yet), with a reason.",
    )

    intake_id: UUID = Field(description="The intake whose appointment is called off.")
    starts_at: AwareDatetime = Field(description="When the appointment called off was to start.")
    reason: IntakeCancelReason = Field(description="Why it was called off.")
    cancelled_on: date = Field(description="The day it was called off.")


class DomainNeed(EventPart):
    """The support a participant needs in one life domain (health domains excluded: those
    are care signals)."""

    domain: PublicLifeDomain = Field(description="The life domain.")
    severity: NeedSeverity = Field(description="How much support the domain needs.")


class ChildcareNeed(EventPart):
    """Whether childcare must be arranged before the route starts (lesson L14)."""

    needed: bool = Field(description="True when childcare must be arranged.")
    child_ages: tuple[Annotated[int, Field(ge=0, le=17)], ...] = Field(
        default=(),
        max_length=12,
        description="Ages in whole years of the children needing care; no birth dates.",
    )


class TransportNeed(EventPart):
    """Whether transport must be arranged before the route starts (lesson L14)."""

    needed: bool = Field(description="True when transport must be arranged.")
    modes: UniqueTuple[TransportMode] = Field(
        default=(), description="The kinds of transport that would work, most suitable first."
    )


class IntakeOutcome(ParticipantEvent):
    """What the broad intake established: the data the PIP is built from."""

    intake_id: UUID = Field(description="The intake this outcome belongs to.")
    municipality: MunicipalityCode = Field(description="The municipality responsible (regie).")
    language_level: LanguageLevel = Field(description="Spoken Dutch level.")
    literacy: Literacy = Field(description="Literacy in any script.")
    learnability_band: LearnabilityBand = Field(description="Band of the learnability test.")
    needs: tuple[DomainNeed, ...] = Field(
        description="Support needed per (non-health) life domain, at most one entry per domain."
    )
    childcare: ChildcareNeed = Field(description="Childcare to arrange before the start.")
    transport: TransportNeed = Field(description="Transport to arrange before the start.")
    other_preconditions: UniqueTuple[PreconditionCode] = Field(
        default=(),
        description=(
            "Configured precondition kinds besides childcare and transport that must be "
            "arranged before the start, by code (e.g. digital_device, medical_aid)."
        ),
    )
    availability: UniqueTuple[AvailabilitySlot] = Field(
        description="The parts of the week the participant can attend."
    )
    goals: UniqueTuple[Goal] = Field(description="The goals agreed for the PIP.")
    route: Route = Field(description="The route decided on.")
    route_reason: RouteReason = Field(description="Why this route was chosen.")

    @field_validator("needs")
    @classmethod
    def _one_need_per_domain(cls, needs: tuple[DomainNeed, ...]) -> tuple[DomainNeed, ...]:
        domains = [need.domain for need in needs]
        if len(set(domains)) != len(domains):
            raise ValueError("must name each life domain at most once")
        return needs


class IntakeCompleted(IntakeOutcome):
    """The broad intake was completed with a route decision.

    Planning activates a plan when the route is the Z-route; support registers which
    preconditions (childcare, transport) are needed; notifications tells the contact
    person and the lead partner.
    """

    spec = EventSpec(
        type="nl.zroute.intake.intake-completed.v1",
        routing_key="intake.intake.completed",
        producer="intake",
        consumers=_ALL,
        summary="The broad intake was completed: levels, needs, preconditions, route.",
    )

    completed_on: date = Field(description="The day the route decision was recorded.")


class IntakeCorrected(IntakeOutcome):
    """A caseworker corrected the intake outcome after completion.

    The event carries the whole corrected outcome, not a difference: consumers replace
    what they hold from the earlier ``intake-completed`` or ``intake-corrected``.
    """

    spec = EventSpec(
        type="nl.zroute.intake.intake-corrected.v1",
        routing_key="intake.intake.corrected",
        producer="intake",
        consumers=_ALL,
        summary="The intake outcome was corrected; the event carries the whole corrected outcome.",
    )

    corrected_on: date = Field(description="The day the correction was recorded.")
    reason: CorrectionReason = Field(description="Why the outcome was corrected.")


class CareSignal(EventPart):
    """A care need the intake noticed, with the consent that covers referring it."""

    signal_id: UUID = Field(
        description="Stable id of the signal, referred to by consents and referrals."
    )
    domain: LifeDomain = Field(description="The life domain the signal belongs to.")
    category: CareCategory = Field(description="The kind of care that may help.")
    severity: NeedSeverity = Field(description="How much support is needed.")
    urgency: Urgency = Field(description="How soon a referral should be acted on.")
    consent_id: UUID | None = Field(
        default=None,
        description="The care-referral consent covering this signal; absent while there is none.",
    )


class CareSignalsRecorded(ParticipantEvent):
    """The intake recorded (or corrected) a participant's care signals.

    Addressed to the coordinating partner that operates the support service for the
    programme: the health details go nowhere else. The event carries the complete
    current set; a later one replaces an earlier. Support refers the signals that
    consent covers to the responsible care partner.
    """

    spec = EventSpec(
        type="nl.zroute.intake.care-signals-recorded.v1",
        routing_key="intake.care-signals.recorded",
        producer="intake",
        consumers=("support",),
        summary="The participant's care signals with their consents (addressed: health details).",
        addressed_by="partner_id",
    )

    partner_id: PartnerId = Field(
        description="The coordinating partner that routes care referrals for the programme."
    )
    intake_id: UUID = Field(description="The intake that recorded the signals.")
    signals: tuple[CareSignal, ...] = Field(
        description="Every current care signal; an empty list withdraws earlier ones."
    )


class ContactPersonAssigned(ParticipantEvent):
    """The participant's fixed contact person (vast aanspreekpunt) was assigned or handed over.

    There is exactly one at a time: this one replaces ``previous``. Support uses the
    contact person as the referrer of care referrals; notifications sends them the
    participant's messages.
    """

    spec = EventSpec(
        type="nl.zroute.intake.contact-person-assigned.v1",
        routing_key="intake.contact-person.assigned",
        producer="intake",
        consumers=("support", "notifications"),
        summary="The participant's one contact person was assigned or handed over.",
    )

    contact: ContactPersonRef = Field(description="The contact person from now on.")
    assigned_from: date = Field(description="The first day the contact person is responsible.")
    reason: AssignmentReason = Field(description="First assignment, handover or cover.")
    previous: ContactPersonRef | None = Field(
        default=None, description="The contact person handed over from, on a handover."
    )


class ParticipantWithdrawn(ParticipantEvent):
    """The participant left the route (moved, exempted, stopped).

    Planning ends the plan and group memberships, support cancels open referrals,
    placements and preconditions, notifications informs the partners involved.
    """

    spec = EventSpec(
        type="nl.zroute.intake.participant-withdrawn.v1",
        routing_key="intake.participant.withdrawn",
        producer="intake",
        consumers=_ALL,
        summary="The participant was withdrawn from the route.",
    )

    reason: WithdrawalReason = Field(description="Why the participant left.")
    effective_on: date = Field(description="The last day the participant is on the route.")


class ConsentRecorded(ParticipantEvent):
    """The participant gave consent (toestemming) for one purpose.

    Support may refer the covered care signals, or share with the named partner, only
    while such a consent is on record.
    """

    spec = EventSpec(
        type="nl.zroute.intake.consent-recorded.v1",
        routing_key="intake.consent.recorded",
        producer="intake",
        consumers=("support", "notifications"),
        summary="The participant consented to a care referral or to sharing with a partner.",
    )

    consent_id: UUID = Field(description="The consent, referred to by care signals and referrals.")
    purpose: ConsentPurpose = Field(description="What the consent is for.")
    partner_id: PartnerId | None = Field(
        default=None, description="The partner data may be shared with (purpose partner_sharing)."
    )
    care_signal_ids: UniqueTuple[UUID] = Field(
        default=(), description="The care signals a care-referral consent covers."
    )
    given_on: date = Field(description="The day consent was given.")
    valid_until: date | None = Field(default=None, description="Last day of validity, if limited.")

    @model_validator(mode="after")
    def _purpose_fields(self) -> Self:
        if self.purpose is ConsentPurpose.PARTNER_SHARING and self.partner_id is None:
            raise ValueError("a partner_sharing consent names its partner_id")
        if self.valid_until is not None and self.valid_until < self.given_on:
            raise ValueError("valid_until is before given_on")
        return self


class ConsentWithdrawn(ParticipantEvent):
    """The participant withdrew a consent.

    Support cancels the referrals it covered at once and tells the care partners to
    stop; notifications stops deliveries that relied on it.
    """

    spec = EventSpec(
        type="nl.zroute.intake.consent-withdrawn.v1",
        routing_key="intake.consent.withdrawn",
        producer="intake",
        consumers=("support", "notifications"),
        summary="The participant withdrew a consent; what relied on it stops.",
    )

    consent_id: UUID = Field(description="The consent withdrawn.")
    purpose: ConsentPurpose = Field(description="What the consent was for.")
    withdrawn_on: date = Field(description="The day the consent was withdrawn.")


class PipHoursNorm(EventPart):
    """What the PIP records about the hours norm (B 3.14(3), (6), (8)-(10)): numbers only."""

    family_migrant: bool = Field(
        default=False, description="True for a family or other migrant: course hours only."
    )
    reduced_course_hours: Hours | None = Field(
        default=None, description="A reduced course-hours norm (impairment, lid 8)."
    )
    reduced_participation_hours: Hours | None = Field(
        default=None, description="A reduced participation-hours norm (impairment, lid 8)."
    )
    credited_course_hours: Hours = Field(default=0, description="Hours credited as course hours.")
    credited_participation_hours: Hours = Field(
        default=0, description="Hours credited as participation hours."
    )


class PipDecision(ParticipantEvent):
    """One established version of the PIP, in codes and numbers (W 15; B 5.3(4)).

    The support codes, early-childhood agreements and attached decisions stay in intake.
    """

    version: int = Field(ge=1, description="The decision's version; 1 is the first PIP.")
    dated: date = Field(description="The date of this version (dagtekening).")
    route: Route = Field(description="The learning route this version sets.")
    route_reason: RouteReason = Field(description="Why this route.")
    progress_meetings: int = Field(ge=1, le=100, description="Progress meetings the PIP fixes.")
    pvt_hours_per_week: float = Field(ge=0, le=60, description="PVT intensity.")
    map_hours_per_week: float = Field(ge=0, le=60, description="MAP intensity.")
    route_hours_per_week: float = Field(ge=0, le=60, description="Route intensity.")
    term_start: date = Field(description="The term's start: the day after the first PIP's date.")
    term_end: date = Field(description="The term's end as it stands (DUO's extensions applied).")
    hours_norm: PipHoursNorm | None = Field(
        default=None,
        description="The PIP's hours norm where it departs from the full norm (family migrant, "
        "reduced norm, credited hours); absent: the full norm of the route.",
    )


class PipEstablished(PipDecision):
    """The college established the participant's first PIP: a decision open to objection.

    The integration term starts the day after its date (W 11). Planning activates the
    Z-route plan from it (the intake's outcome alone no longer does).
    """

    spec = EventSpec(
        type="nl.zroute.intake.pip-established.v1",
        routing_key="intake.pip.established",
        producer="intake",
        consumers=("planning", "notifications"),
        summary="The first PIP was established; the term starts the day after its date.",
    )


class PipAmended(PipDecision):
    """The college established a new version of the PIP, for a coded reason.

    The term's start stays with the first version (W 11(3)).
    """

    spec = EventSpec(
        type="nl.zroute.intake.pip-amended.v1",
        routing_key="intake.pip.amended",
        producer="intake",
        consumers=(),
        summary="A new version of the PIP was established, with its reason.",
    )

    reason: PipAmendmentReason = Field(description="Why the PIP was amended.")


class TermExtended(ParticipantEvent):
    """DUO extended the integration term; the municipality recorded its decision (W 12)."""

    spec = EventSpec(
        type="nl.zroute.intake.term-extended.v1",
        routing_key="intake.term.extended",
        producer="intake",
        consumers=("planning",),
        summary="DUO's extension of the term was recorded: ground, decision date, new end.",
    )

    ground: TermExtensionGround = Field(description="The ground DUO extended on.")
    decided_on: date = Field(description="The day DUO decided.")
    term_start: date = Field(description="The term's start (unchanged).")
    term_end: date = Field(description="The new end of the term.")


class ObligationReleased(ParticipantEvent):
    """DUO exempted or released the participant; the term ends (W 4-5)."""

    spec = EventSpec(
        type="nl.zroute.intake.obligation-released.v1",
        routing_key="intake.obligation.released",
        producer="intake",
        consumers=(),
        summary="DUO's exemption or release was recorded; the obligation and term end.",
    )

    kind: ObligationReleaseKind = Field(description="Exemption or release, as DUO decided.")
    decided_on: date = Field(description="The day DUO decided.")
    effective_on: date = Field(description="The day the obligation ends.")


class PersonalDataChanged(ParticipantEvent):
    """A participant's personal data was changed after registration, for a coded reason.

    Codes only: the event names which fields changed; a new address or phone number stays
    in intake (read it through the contact card). The preferred language and the need of
    an interpreter are codes and travel, so that invitations and letters follow them;
    support keeps them for the interpreters it asks (a referral's intake) and asks its
    coming interpreter requests again in the new language; notifications writes the
    participant's messages and letters in the new language from then on.
    """

    spec = EventSpec(
        type="nl.zroute.intake.personal-data-changed.v1",
        routing_key="intake.personal-data.changed",
        producer="intake",
        consumers=("support", "notifications"),
        summary="Personal data changed after registration: which fields (codes), why.",
    )

    changed: UniqueTuple[PersonalDataField] = Field(
        min_length=1, description="The fields that changed (no values for address or phone)."
    )
    reason: PersonalDataChangeReason = Field(description="Why the data was changed.")
    changed_on: date = Field(description="The day the change was recorded.")
    preferred_language: LanguageCode | None = Field(
        default=None, description="The new preferred language, when it changed (ISO 639)."
    )
    interpreter_needed: bool | None = Field(
        default=None, description="Whether an interpreter is needed now, when it changed."
    )


class ParticipantReEnrolled(ParticipantEvent):
    """A withdrawn participant was put back on the route: the withdrawal is undone and the
    participant is in the status they had before it (``status``)."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-re-enrolled.v1",
        routing_key="intake.participant.re-enrolled",
        producer="intake",
        consumers=(),
        summary="A withdrawal was undone (a mistake, or revoked in time): back on the route.",
    )

    reason: ReEnrolmentReason = Field(description="Why the withdrawal was undone.")
    re_enrolled_on: date = Field(description="The day the participant was put back.")
    withdrawn_on: date = Field(description="The effective day of the withdrawal undone.")
    status: IntakeStage = Field(description="The intake status the participant is back in.")


class MeetingAttendee(EventPart):
    """Who attended a meeting, by role (and partner, for a partner's staff); never by name."""

    role: MeetingRole = Field(description="The role the attendee took part in.")
    partner_id: PartnerId | None = Field(
        default=None, description="The attendee's partner, for a partner's staff."
    )


class ProgressMeetingScheduled(ParticipantEvent):
    """The municipality invited the participant to a progress meeting (B 5.3(4)), with an
    interpreter where needed and the partners concerned. A later event with the same
    ``meeting_number`` replaces the invitation."""

    spec = EventSpec(
        type="nl.zroute.intake.progress-meeting-scheduled.v1",
        routing_key="intake.progress-meeting.scheduled",
        producer="intake",
        consumers=("notifications", "support"),
        summary="A progress meeting was (re)scheduled: when, interpreter, partners invited.",
    )

    meeting_number: int = Field(ge=1, le=99, description="Which of the PIP's meetings.")
    starts_at: AwareDatetime = Field(description="Start of the meeting, with UTC offset.")
    location_id: LocationId = Field(description="Where the meeting is held.")
    interpreter_needed: bool = Field(description="Whether an interpreter is asked for.")
    interpreter_language: LanguageCode | None = Field(
        default=None, description="The language to interpret from Dutch, when one is asked for."
    )
    partners: UniqueTuple[PartnerId] = Field(
        default=(), description="The partners invited besides the participant."
    )


class ProgressMeetingHeld(ParticipantEvent):
    """A progress meeting was held and its decision recorded. Codes only: the notes and
    the agreements' text stay in intake."""

    spec = EventSpec(
        type="nl.zroute.intake.progress-meeting-held.v1",
        routing_key="intake.progress-meeting.held",
        producer="intake",
        consumers=(),
        summary="A progress meeting was held: who attended (roles), the decision on the PIP.",
    )

    meeting_number: int = Field(ge=1, le=99, description="Which of the PIP's meetings.")
    held_on: date = Field(description="The day the meeting was held.")
    attendees: UniqueTuple[MeetingAttendee] = Field(description="Who attended, by role.")
    agreements: int = Field(ge=0, description="How many agreements were made.")
    decision: MeetingDecision = Field(description="What the meeting decided about the PIP.")
    pip_version: int | None = Field(
        default=None,
        ge=1,
        description="The PIP version the amendment or route switch established.",
    )


class FinalMeetingHeld(ParticipantEvent):
    """The college held the Z-route's final meeting (*eindgesprek*, B 3.14(2)(c), (4)).
    Planning completes a Z-route plan only after it."""

    spec = EventSpec(
        type="nl.zroute.intake.final-meeting-held.v1",
        routing_key="intake.final-meeting.held",
        producer="intake",
        consumers=("planning",),
        summary="The Z-route's final meeting was held by the municipality.",
    )

    held_on: date = Field(description="The day the final meeting was held.")
    attendees: UniqueTuple[MeetingAttendee] = Field(description="Who attended, by role.")


class ParticipantPaused(ParticipantEvent):
    """The municipality paused the participant's route (illness, pregnancy, treatment, a
    care admission, or at the participant's request). Planning pauses the plan; the term
    does not move (only DUO's extension moves it, W 12)."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-paused.v1",
        routing_key="intake.participant.paused",
        producer="intake",
        consumers=("planning",),
        summary="The participant's route was paused, for care or at their request.",
    )

    pause_id: UUID = Field(description="The pause; participant-resumed names it again.")
    reason: CasePauseReason = Field(description="care or participant_request; no ground.")
    paused_from: date = Field(description="The first day of the pause.")
    expected_until: date | None = Field(
        default=None, description="The last day the pause is expected to last, if known."
    )


class ParticipantResumed(ParticipantEvent):
    """The participant's pause ended; planning resumes the plan unless something else
    still holds it."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-resumed.v1",
        routing_key="intake.participant.resumed",
        producer="intake",
        consumers=("planning",),
        summary="The participant's pause ended; the route resumes.",
    )

    pause_id: UUID = Field(description="The pause that ended.")
    reason: CasePauseReason = Field(description="The pause's reason, as when it started.")
    paused_from: date = Field(description="The first day of the pause.")
    resumed_on: date = Field(description="The first day back on the route.")


class ParticipantMovedOut(ParticipantEvent):
    """The participant moved to another municipality (W 15(4)): the old municipality
    exported the dossier and closed its case as moved. The route goes on, under the same
    reference, once the new municipality imports it."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-moved-out.v1",
        routing_key="intake.participant.moved-out",
        producer="intake",
        consumers=(),
        summary="The participant moved out; the dossier was exported to the new municipality.",
    )

    from_municipality: MunicipalityCode = Field(description="The municipality moved from.")
    to_municipality: MunicipalityCode = Field(description="The municipality moved to.")
    moved_on: date = Field(description="The day of the move (the new BRP registration).")


class ParticipantMovedIn(ParticipantEvent):
    """The new municipality imported the dossier: the participant continues the same
    route there, and a new PIP is due within ten weeks of the move (B 5.3, W 15(4)).

    Planning, support and notifications move the participant to ``to_municipality``:
    from then on its caseworkers and coordinators see the plan, referrals, placements
    and notifications, and the old municipality's no longer do. An intake service that
    exported the dossier to another intake service closes its copy as handed over."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-moved-in.v1",
        routing_key="intake.participant.moved-in",
        producer="intake",
        consumers=("intake", *_ALL),
        summary="The new municipality imported the dossier; the route continues there.",
    )

    from_municipality: MunicipalityCode = Field(description="The municipality moved from.")
    to_municipality: MunicipalityCode = Field(description="The municipality now responsible.")
    moved_on: date = Field(description="The day of the move.")
    pip_due_on: date = Field(description="The new municipality's PIP deadline (ten weeks).")


class ParticipantRecordsDeleted(ParticipantEvent):
    """A retention period of B 9.9 ended and intake deleted the participant's records:
    ``personal_data`` five years after the obligation ended (the personal data and the
    free text; the pseudonymous core data stays), ``core_data`` at most 50 years after it
    (every row; the reference is unknown from then on).

    Each consumer deletes what it keeps of the participant to the same extent, or makes
    it anonymous where it must keep figures (docs/<service>.md, "Retention"). Sent once
    per deletion; a redelivery finds nothing left to delete."""

    spec = EventSpec(
        type="nl.zroute.intake.participant-records-deleted.v1",
        routing_key="intake.participant.records-deleted",
        producer="intake",
        consumers=_ALL,
        summary="Intake deleted the participant's personal data or core data (B 9.9).",
    )

    deleted: DeletedRecords = Field(
        description="personal_data (after five years) or core_data (everything, at most 50)."
    )
    obligation_ended_on: date = Field(
        description="The day the obligation ended that the retention period ran from."
    )
