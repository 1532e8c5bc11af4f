"""The fast tier of issue 15, item 5: changes after registration (personal data) and
re-enrolment after a mistaken withdrawal, on the fake unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from zroute_contract.events.codes import (
    PersonalDataChangeReason,
    PersonalDataField,
    ReEnrolmentReason,
    WithdrawalReason,
)
from zroute_contract.events.intake import ParticipantReEnrolled, PersonalDataChanged
from zroute_intake.domain import commands
from zroute_intake.domain.changes import Address, PersonalDataChange
from zroute_intake.domain.errors import Conflict, Forbidden, InvalidRequest
from zroute_intake.domain.values import Status
from zroute_intake.service_layer.handlers import changes, participants

from tests.fakes import FixedClock
from tests.intake.unit import factories as f
from tests.intake.unit.fakes import deps, unit_of_work

DEPS = deps()
NEW_ADDRESS = Address("Dorpsweg", "3", "1012 AB", "Amsterdam")


def _change(participant, by: str = "caseworker-bram", **values) -> commands.ChangePersonalData:
    change = PersonalDataChange(
        reason=values.pop("reason", PersonalDataChangeReason.MOVED_WITHIN_MUNICIPALITY), **values
    )
    return commands.ChangePersonalData(
        ref=participant.ref, expected_version=None, scope="GM0363", change=change, by=by
    )


async def test_an_address_and_language_change_is_kept_logged_and_announced_with_codes_only():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW + timedelta(days=2)))
    cmd = _change(participant, address=NEW_ADDRESS, preferred_language="ti")
    await changes.change_personal_data(cmd, uow, DEPS)
    await uow.commit()

    assert [type(e) for e in uow.events] == [PersonalDataChanged]
    event = uow.events[0]
    assert event.changed == (PersonalDataField.ADDRESS, PersonalDataField.PREFERRED_LANGUAGE)
    assert event.preferred_language == "ti" and event.interpreter_needed is None
    assert "Dorpsweg" not in event.model_dump_json()  # no address on the bus
    assert participant.personal.street == "Dorpsweg" and participant.preferred_language == "ti"
    recorded = participant.changes[-1]
    assert (recorded.by, recorded.reason) == ("caseworker-bram", "moved_within_municipality")
    assert recorded.at == f.NOW + timedelta(days=2)
    [logged] = uow.access_log.records
    assert (logged.actor, logged.purpose, logged.fields) == (
        "caseworker-bram", "personal_data_change", ("address",)
    )  # fmt: skip


async def test_a_change_of_codes_only_reads_no_personal_data():
    participant = f.registered(interpreter_needed=True)
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    cmd = _change(
        participant, reason=PersonalDataChangeReason.LANGUAGE_PROGRESS, interpreter_needed=False
    )
    await changes.change_personal_data(cmd, uow, DEPS)
    await uow.commit()
    assert uow.events[-1].interpreter_needed is False
    assert uow.access_log.records == []


async def test_a_change_that_changes_nothing_or_comes_from_elsewhere_is_refused():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    with pytest.raises(InvalidRequest, match="changes nothing"):
        await changes.change_personal_data(_change(participant, preferred_language="ar"), uow, DEPS)
    elsewhere = commands.ChangePersonalData(
        ref=participant.ref,
        expected_version=None,
        scope="GM0599",
        change=PersonalDataChange(PersonalDataChangeReason.RECORDING_ERROR, phone="+31 6 1"),
        by="x",
    )
    with pytest.raises(Forbidden):
        await changes.change_personal_data(elsewhere, uow, DEPS)
    await uow.commit()
    assert uow.events == []


async def test_the_data_of_a_withdrawn_participant_is_not_changed():
    participant = f.registered()
    participant.withdraw(WithdrawalReason.MOVED, effective_on=f.TODAY, today=f.TODAY)
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    with pytest.raises(Conflict):
        await changes.change_personal_data(_change(participant, phone="+31 6 7654321"), uow, DEPS)


# -- re-enrolment ----------------------------------------------------------------------


def _re_enrol(participant, reason=ReEnrolmentReason.MISTAKEN_WITHDRAWAL) -> commands.ReEnrol:
    return commands.ReEnrol(
        ref=participant.ref, expected_version=None, scope="GM0363", reason=reason, by="cw-bram"
    )


async def _withdrawn(days_later: int):
    participant = f.completed()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    withdraw = commands.WithdrawParticipant(
        ref=participant.ref, expected_version=None, scope="GM0363",
        reason=WithdrawalReason.STOPPED, effective_on=f.TODAY,
    )  # fmt: skip
    await participants.withdraw_participant(withdraw, uow, DEPS)
    await uow.commit()
    uow.clock = FixedClock(f.NOW + timedelta(days=days_later))
    return participant, uow


async def test_a_mistaken_withdrawal_is_undone_back_to_the_status_before_and_erasure_cancelled():
    participant, uow = await _withdrawn(days_later=200)
    assert (participants.ERASURE_TIMER, participant.ref) in uow.timers.scheduled
    await changes.re_enrol(_re_enrol(participant), uow, DEPS)
    await uow.commit()
    assert participant.status is Status.INTAKE_COMPLETED and participant.withdrawal is None
    assert (participants.ERASURE_TIMER, participant.ref) not in uow.timers.scheduled
    event = uow.events[-1]
    assert isinstance(event, ParticipantReEnrolled)
    assert (event.reason, event.status.value, event.withdrawn_on) == (
        ReEnrolmentReason.MISTAKEN_WITHDRAWAL, "intake_completed", f.TODAY
    )  # fmt: skip
    assert participant.changes[-1].by == "cw-bram"


async def test_a_revoked_withdrawal_is_undone_only_within_the_window():
    late, uow = await _withdrawn(days_later=31)
    with pytest.raises(Conflict, match="within 30 days"):
        await changes.re_enrol(_re_enrol(late, ReEnrolmentReason.WITHDRAWAL_REVOKED), uow, DEPS)
    in_time, uow = await _withdrawn(days_later=30)
    await changes.re_enrol(_re_enrol(in_time, ReEnrolmentReason.WITHDRAWAL_REVOKED), uow, DEPS)
    assert in_time.status is Status.INTAKE_COMPLETED


async def test_only_a_withdrawn_participant_is_re_enrolled():
    participant = f.registered()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    with pytest.raises(Conflict, match="not withdrawn"):
        await changes.re_enrol(_re_enrol(participant), uow, DEPS)
