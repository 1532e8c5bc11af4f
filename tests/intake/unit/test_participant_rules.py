"""The intake rules on the participant aggregate, without I/O."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zroute_contract.events.codes import (
    AssignmentReason,
    BookingStatus,
    CareCategory,
    ConsentPurpose,
    CorrectionReason,
    LanguageLevel,
    LifeDomain,
    NeedSeverity,
    Route,
    RouteReason,
    Urgency,
    WithdrawalReason,
)
from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ChildcareNeed,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    DomainNeed,
    IntakeCompleted,
    IntakeCorrected,
    IntakeScheduled,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound, StaleVersion
from zroute_intake.domain.outcome import CareSignalEntry
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.values import Status

from tests.intake.builders import invalid_bsn
from tests.intake.unit.factories import (
    CARE,
    NOW,
    TODAY,
    appointment,
    booking,
    completed,
    contact,
    outcome,
    personal,
    registered,
)


def types(participant: Participant) -> list[type]:
    return [type(e) for e in participant.events]


# -- registration ---------------------------------------------------------------------


def test_registration_emits_registered_and_the_first_contact_person():
    participant = registered()
    assert types(participant) == [ParticipantRegistered, ContactPersonAssigned]
    assigned = participant.events[1]
    assert assigned.reason is AssignmentReason.FIRST_ASSIGNMENT and assigned.previous is None
    assert participant.contact is not None and participant.contact.until is None


def test_registration_refuses_a_bsn_that_fails_the_elfproef():
    with pytest.raises(InvalidRequest, match="elfproef"):
        Participant.register(
            ref="zr-" + "0" * 32, programme_id="programme-demo", municipality="GM0363",
            personal=personal(bsn=invalid_bsn()), preferred_language="ar",
            interpreter_needed=False, contact=contact(), today=TODAY,
        )  # fmt: skip


@pytest.mark.parametrize("born", [TODAY, TODAY + timedelta(days=1), date(1899, 12, 31)])
def test_registration_refuses_an_impossible_birth_date(born):
    with pytest.raises(InvalidRequest, match="date_of_birth"):
        personal(date_of_birth=born).check(TODAY)


def test_personal_data_shows_no_values_in_its_repr():
    data = personal()
    shown = repr(data)
    for value in (data.bsn, data.given_names, data.family_name, data.street, data.city):
        assert value not in shown


# -- scheduling -----------------------------------------------------------------------


def test_an_intake_needing_an_interpreter_cannot_be_scheduled_without_one():
    participant = registered(interpreter_needed=True)
    with pytest.raises(InvalidRequest, match="needs an interpreter"):
        participant.schedule_intake(appointment(interpreter=None), NOW)
    assert participant.status is Status.REGISTERED


def test_an_intake_without_interpreter_need_may_be_scheduled_without_one():
    participant = registered(interpreter_needed=False)
    participant.schedule_intake(appointment(interpreter=None), NOW)
    assert isinstance(participant.events[-1], IntakeScheduled)


def test_the_interpreter_must_speak_the_preferred_language():
    with pytest.raises(InvalidRequest, match="preferred language"):
        registered().schedule_intake(appointment(interpreter=booking(language="ti")), NOW)


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(hours=-1), timedelta(days=400)])
def test_an_intake_is_scheduled_in_the_future_and_at_most_a_year_ahead(offset):
    with pytest.raises(InvalidRequest, match="starts_at"):
        registered().schedule_intake(appointment(NOW + offset, booking()), NOW)


def test_rescheduling_keeps_the_intake_id():
    participant = registered()
    participant.schedule_intake(appointment(interpreter=booking()), NOW)
    first = participant.appointment.intake_id
    participant.schedule_intake(appointment(NOW + timedelta(days=9), booking()), NOW)
    assert participant.appointment.intake_id == first
    assert [e.intake_id for e in participant.events if isinstance(e, IntakeScheduled)] == [
        first,
        first,
    ]


# -- completion and correction ----------------------------------------------------------


def test_completion_emits_intake_completed_and_the_care_signals_addressed_to_the_coordinator():
    participant = completed()
    assert types(participant)[-2:] == [IntakeCompleted, CareSignalsRecorded]
    care = participant.events[-1]
    assert care.partner_id == CARE and care.routing_key().endswith(f".{CARE}")
    assert [s.consent_id for s in care.signals] == [None]
    assert participant.status is Status.INTAKE_COMPLETED


def test_an_intake_cannot_be_completed_before_it_took_place():
    participant = registered()
    participant.schedule_intake(appointment(interpreter=booking()), NOW)
    with pytest.raises(Conflict, match="not taken place"):
        participant.complete_intake(outcome(), now=NOW, today=TODAY, by="x", care_partner_id=CARE)


def test_an_intake_needing_an_interpreter_cannot_be_held_with_one_only_requested():
    participant = registered()
    participant.schedule_intake(appointment(interpreter=booking(BookingStatus.REQUESTED)), NOW)
    later = NOW + timedelta(days=8)
    with pytest.raises(Conflict, match="cannot be held without one"):
        participant.complete_intake(
            outcome(), now=later, today=later.date(), by="x", care_partner_id=CARE
        )


def test_an_intake_cannot_be_completed_before_it_is_scheduled():
    with pytest.raises(Conflict, match="schedule the broad intake first"):
        registered().complete_intake(outcome(), now=NOW, today=TODAY, by="x", care_partner_id=CARE)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"needs": (DomainNeed(domain=LifeDomain.FINANCES, severity=NeedSeverity.LIGHT),) * 2},
         "at most once"),
        ({"childcare": ChildcareNeed(needed=True)}, "ages of the children"),
        ({"goals": ()}, "at least one goal"),
        ({"route_reason": RouteReason.LEARNABILITY_SUFFICIENT}, "Z-route needs"),
        ({"route": Route.B1_ROUTE, "route_reason": RouteReason.COMBINED}, "b1_route needs"),
        ({"availability": ()}, "part of the week"),
        ({"care_signals": (CareSignalEntry(
            signal_id=uuid4(), domain=LifeDomain.HEALTH_PHYSICAL,
            category=CareCategory.DEBT_FINANCE, severity=NeedSeverity.LIGHT,
            urgency=Urgency.ROUTINE),)},
         "belongs to life domain finances"),
    ],
)  # fmt: skip
def test_an_outcome_breaking_a_rule_is_refused_with_the_rule(changes, reason):
    with pytest.raises(InvalidRequest, match=reason):
        completed(**changes)


def test_a_correction_is_a_new_outcome_version_and_a_new_event():
    participant = completed()
    first = participant.current_outcome
    corrected = outcome(language_level=LanguageLevel.A1, care_signals=first.care_signals)
    participant.correct_intake(
        corrected, reason=CorrectionReason.REASSESSMENT, today=TODAY, by="x", care_partner_id=CARE
    )
    assert [r.outcome for r in participant.outcomes] == [first, corrected]
    assert types(participant)[-2:] == [IntakeCorrected, CareSignalsRecorded]
    assert participant.events[-2].language_level is LanguageLevel.A1


def test_a_correction_that_changes_nothing_is_refused():
    participant = completed()
    with pytest.raises(InvalidRequest, match="changes nothing"):
        participant.correct_intake(
            participant.current_outcome, reason=CorrectionReason.DATA_ENTRY_ERROR, today=TODAY,
            by="x", care_partner_id=CARE,
        )  # fmt: skip


def test_only_a_completed_intake_can_be_corrected():
    with pytest.raises(Conflict, match="complete it first"):
        registered().correct_intake(
            outcome(), reason=CorrectionReason.NEW_INFORMATION, today=TODAY, by="x",
            care_partner_id=CARE,
        )  # fmt: skip


# -- contact person -------------------------------------------------------------------


def test_a_handover_keeps_the_history_and_names_the_previous_contact_person():
    participant = registered()
    assert participant.assign_contact_person(
        contact("caseworker-bram"), assigned_from=TODAY,
        reason=AssignmentReason.HANDOVER, today=TODAY,
    )  # fmt: skip
    first, second = participant.contacts
    assert first.until == second.assigned_from == TODAY
    assert participant.contact == second and second.until is None
    event = participant.events[-1]
    assert event.previous.staff_ref == "caseworker-anna"
    assert event.contact.staff_ref == "caseworker-bram"


def test_a_handover_dated_ahead_takes_effect_on_its_date_not_at_once():
    # Issue 15: this test used to assert that a handover three days ahead took effect at
    # once; the current contact person now stays responsible until the day itself.
    participant = registered()
    before = len(participant.events)
    planned = participant.assign_contact_person(
        contact("caseworker-bram"), assigned_from=TODAY + timedelta(days=3),
        reason=AssignmentReason.HANDOVER, today=TODAY,
    )  # fmt: skip
    assert planned is False and len(participant.events) == before
    assert participant.contact.contact.staff_ref == "caseworker-anna"
    assert participant.planned_contact.assigned_from == TODAY + timedelta(days=3)
    assert not participant.take_over_planned(TODAY + timedelta(days=2))
    assert participant.take_over_planned(TODAY + timedelta(days=3))
    first, second = participant.contacts
    assert first.until == second.assigned_from == TODAY + timedelta(days=3)
    assert participant.contact.contact.staff_ref == "caseworker-bram"
    assert participant.planned_contact is None
    event = participant.events[-1]
    assert event.previous.staff_ref == "caseworker-anna"
    assert event.assigned_from == TODAY + timedelta(days=3)


def test_a_planned_handover_is_replaced_by_a_later_one_and_dropped_after_withdrawal():
    participant = registered()
    for staff in ("caseworker-bram", "caseworker-chris"):
        participant.assign_contact_person(
            contact(staff), assigned_from=TODAY + timedelta(days=5),
            reason=AssignmentReason.HANDOVER, today=TODAY,
        )  # fmt: skip
    assert participant.planned_contact.contact.staff_ref == "caseworker-chris"
    participant.withdraw(WithdrawalReason.MOVED, effective_on=TODAY, today=TODAY)
    assert not participant.take_over_planned(TODAY + timedelta(days=5))
    assert participant.contact.contact.staff_ref == "caseworker-anna"


def test_handing_over_to_the_current_contact_person_is_refused():
    with pytest.raises(Conflict, match="already"):
        registered().assign_contact_person(
            contact(), assigned_from=TODAY, reason=AssignmentReason.HANDOVER, today=TODAY
        )


def test_a_second_first_assignment_is_refused():
    with pytest.raises(InvalidRequest, match="already has a contact person"):
        registered().assign_contact_person(
            contact("other-one"), assigned_from=TODAY, reason=AssignmentReason.FIRST_ASSIGNMENT,
            today=TODAY,
        )  # fmt: skip


@given(st.lists(st.sampled_from(["anna-x", "bram-y", "chris-z"]), max_size=8))
def test_there_is_always_exactly_one_current_contact_person(staff):
    participant = registered()
    for offset, ref in enumerate(staff):
        with contextlib.suppress(Conflict):  # the same person again: refused, nothing changes
            participant.assign_contact_person(
                contact(ref), assigned_from=TODAY + timedelta(days=offset),
                reason=AssignmentReason.HANDOVER, today=TODAY,
            )  # fmt: skip
    current = [c for c in participant.contacts if c.until is None]
    assert len(current) == 1 and current[0] == participant.contact
    for before, after in zip(participant.contacts, participant.contacts[1:], strict=False):
        assert before.until == after.assigned_from


# -- consent --------------------------------------------------------------------------


def care_consent(participant: Participant, **changes) -> Consent:
    ids = tuple(s.signal_id for s in participant.current_outcome.care_signals)
    values = {
        "consent_id": uuid4(), "purpose": ConsentPurpose.CARE_REFERRAL, "given_on": TODAY,
        "care_signal_ids": ids,
    } | changes  # fmt: skip
    return Consent(**values)


def test_a_care_referral_consent_is_carried_on_the_care_signals_it_covers():
    participant = completed()
    consent = care_consent(participant)
    participant.record_consent(consent, today=TODAY, care_partner_id=CARE)
    assert types(participant)[-2:] == [ConsentRecorded, CareSignalsRecorded]
    assert [s.consent_id for s in participant.events[-1].signals] == [consent.consent_id]


def test_a_care_referral_consent_must_name_known_care_signals():
    participant = completed()
    with pytest.raises(InvalidRequest, match="not among"):
        participant.record_consent(
            care_consent(participant, care_signal_ids=(uuid4(),)), today=TODAY,
            care_partner_id=CARE,
        )  # fmt: skip


def test_a_partner_sharing_consent_names_its_partner():
    with pytest.raises(InvalidRequest, match="names the partner"):
        registered().record_consent(
            Consent(uuid4(), ConsentPurpose.PARTNER_SHARING, TODAY), today=TODAY,
            care_partner_id=CARE,
        )  # fmt: skip


def test_a_consent_cannot_be_given_in_the_future():
    with pytest.raises(InvalidRequest, match="future"):
        registered().record_consent(
            Consent(uuid4(), ConsentPurpose.PARTNER_SHARING, TODAY + timedelta(days=1), "taal"),
            today=TODAY, care_partner_id=CARE,
        )  # fmt: skip


def test_withdrawing_a_care_consent_takes_it_off_the_care_signals():
    participant = completed()
    consent = care_consent(participant)
    participant.record_consent(consent, today=TODAY, care_partner_id=CARE)
    participant.withdraw_consent(consent.consent_id, today=TODAY, care_partner_id=CARE)
    assert types(participant)[-2:] == [ConsentWithdrawn, CareSignalsRecorded]
    assert [s.consent_id for s in participant.events[-1].signals] == [None]
    with pytest.raises(Conflict, match="already withdrawn"):
        participant.withdraw_consent(consent.consent_id, today=TODAY, care_partner_id=CARE)
    with pytest.raises(NotFound):
        participant.withdraw_consent(uuid4(), today=TODAY, care_partner_id=CARE)


# -- withdrawal, versions, erasure ------------------------------------------------------


def test_a_withdrawn_participant_accepts_no_further_changes_but_may_withdraw_consent():
    participant = registered()
    consent = Consent(uuid4(), ConsentPurpose.PARTNER_SHARING, TODAY, "taalschool")
    participant.record_consent(consent, today=TODAY, care_partner_id=CARE)
    participant.withdraw(WithdrawalReason.MOVED, effective_on=TODAY, today=TODAY)
    assert isinstance(participant.events[-1], ParticipantWithdrawn)
    with pytest.raises(Conflict, match="withdrawn"):
        participant.schedule_intake(appointment(interpreter=booking()), NOW)
    with pytest.raises(Conflict, match="withdrawn"):
        participant.withdraw(WithdrawalReason.MOVED, effective_on=TODAY, today=TODAY)
    participant.withdraw_consent(consent.consent_id, today=TODAY, care_partner_id=CARE)
    assert isinstance(participant.events[-1], ConsentWithdrawn)


def test_a_withdrawal_before_the_registration_is_refused():
    with pytest.raises(InvalidRequest, match="effective_on"):
        registered().withdraw(
            WithdrawalReason.STOPPED, effective_on=TODAY - timedelta(days=1), today=TODAY
        )


def test_a_change_from_a_stale_version_is_refused():
    participant = registered()
    participant.check_version(None)
    participant.check_version(1)
    with pytest.raises(StaleVersion, match="since version 0"):
        participant.check_version(0)


def test_personal_data_is_kept_while_on_the_route_and_erased_once_after():
    participant = registered()
    with pytest.raises(Conflict, match="kept while"):
        participant.erase_personal_data(NOW)
    assert participant.complete_route(TODAY)
    assert not participant.complete_route(TODAY)  # a replayed completion changes nothing
    assert participant.route_ended_on == TODAY
    assert participant.erase_personal_data(NOW) and participant.personal is None
    assert not participant.erase_personal_data(NOW)
