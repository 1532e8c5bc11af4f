"""The fast tier of issue 15, item 3: progress meetings planned by the PIP's number,
invited with an interpreter, recorded with their decision, and the final meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from zroute_contract.events.codes import MeetingDecision, MeetingRole, Route, RouteReason
from zroute_contract.events.intake import (
    FinalMeetingHeld,
    MeetingAttendee,
    ProgressMeetingHeld,
    ProgressMeetingScheduled,
)
from zroute_intake.domain import meeting_commands as mc
from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound
from zroute_intake.domain.meetings import Agreement, Invitation, MeetingRecord
from zroute_intake.domain.pip import AmendmentReason, PipContent
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.service_layer.handlers import meetings

from tests.fakes import FixedClock
from tests.intake.unit import factories as f
from tests.intake.unit.fakes import deps, unit_of_work

DEPS = deps()
CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.COMBINED,
    support=(),
    pvt_hours_per_week=2,
    map_hours_per_week=0,
    route_hours_per_week=12,
    progress_meetings=2,
)
THEM = (MeetingAttendee(role=MeetingRole.PARTICIPANT), MeetingAttendee(role=MeetingRole.CASEWORKER))


def _case(ref: str, content: PipContent = CONTENT) -> PipCase:
    case = PipCase(participant_ref=ref, programme_id="programme-demo", version=1)
    case.decision.prepare(content)
    case.decision.establish(f.TODAY, "caseworker-anna")
    return case


def _setup(content: PipContent = CONTENT):
    participant = f.completed()
    case = _case(participant.ref, content)
    uow = unit_of_work(participant, clock=FixedClock(f.NOW + timedelta(days=60)), pips=(case,))
    return participant, case, uow


def _base(participant, by: str = "caseworker-anna") -> dict:
    return {"ref": participant.ref, "expected_version": None, "scope": "GM0363", "by": by}


def _record(**changes) -> MeetingRecord:
    values = {
        "held_on": f.TODAY + timedelta(days=30),
        "attendees": THEM,
        "notes": "Spreekt meer Nederlands; wil naar de kringloop.",
        "by": "caseworker-anna",
        "agreements": (Agreement("Aanmelden kringloop", "participation_partner", f.TODAY),),
        "decision": MeetingDecision.UNCHANGED,
    } | changes
    return MeetingRecord(**values)


async def test_the_pip_sets_how_many_meetings_are_planned():
    participant, _, uow = _setup()
    days = (f.TODAY + timedelta(days=30), f.TODAY + timedelta(days=90))
    with pytest.raises(InvalidRequest, match="sets 2 progress meetings"):
        await meetings.plan_meetings(
            mc.PlanMeetings(**_base(participant), due_on=days[:1]), uow, DEPS
        )
    series = await meetings.plan_meetings(
        mc.PlanMeetings(**_base(participant), due_on=days), uow, DEPS
    )
    assert [(m.number, m.due_on) for m in series.meetings] == [(1, days[0]), (2, days[1])]


async def test_no_meetings_before_the_pip_is_established():
    participant = f.completed()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    cmd = mc.PlanMeetings(**_base(participant), due_on=(f.TODAY,))
    with pytest.raises(Conflict, match="not established"):
        await meetings.plan_meetings(cmd, uow, DEPS)


async def test_an_invitation_asks_for_an_interpreter_in_the_participants_language():
    participant, _, uow = _setup()
    days = (f.TODAY + timedelta(days=70), f.TODAY + timedelta(days=90))
    await meetings.plan_meetings(mc.PlanMeetings(**_base(participant), due_on=days), uow, DEPS)
    starts = f.NOW + timedelta(days=70)
    invitation = Invitation(starts, "town-hall", True, "ar", ("language-school",))
    await meetings.invite(
        mc.InviteToMeeting(**_base(participant), number=1, invitation=invitation), uow, DEPS
    )
    await uow.commit()
    [event] = [e for e in uow.events if isinstance(e, ProgressMeetingScheduled)]
    assert (event.interpreter_needed, event.interpreter_language) == (True, "ar")
    assert event.partners == ("language-school",) and event.meeting_number == 1
    no_language = replace(invitation, interpreter_language=None)
    with pytest.raises(InvalidRequest, match="interpreter_language"):
        await meetings.invite(
            mc.InviteToMeeting(**_base(participant), number=1, invitation=no_language), uow, DEPS
        )


async def test_a_held_meeting_records_its_decision_and_travels_without_notes():
    participant, case, uow = _setup()
    days = (f.TODAY + timedelta(days=30), f.TODAY + timedelta(days=90))
    await meetings.plan_meetings(mc.PlanMeetings(**_base(participant), due_on=days), uow, DEPS)
    unchanged = mc.RecordMeeting(**_base(participant), number=1, record=_record())
    await meetings.record_meeting(unchanged, uow, DEPS)
    await uow.commit()
    [held] = [e for e in uow.events if isinstance(e, ProgressMeetingHeld)]
    assert (held.decision, held.agreements, held.pip_version) == (
        MeetingDecision.UNCHANGED,
        1,
        None,
    )
    assert "kringloop" not in held.model_dump_json()  # notes and agreements stay in intake
    again = await _raises(meetings.record_meeting(unchanged, uow, DEPS))
    assert isinstance(again, Conflict)

    # An amendment names the version the progress meeting established.
    amended = _record(decision=MeetingDecision.AMENDED, pip_version=2)
    cmd = mc.RecordMeeting(**_base(participant), number=2, record=amended)
    assert isinstance(await _raises(meetings.record_meeting(cmd, uow, DEPS)), NotFound)
    case.decision.prepare(replace(CONTENT, pvt_hours_per_week=4))
    case.decision.amend(
        f.TODAY + timedelta(days=30), "caseworker-anna", AmendmentReason.PROGRESS_MEETING,
        term_start=f.TODAY + timedelta(days=1),
    )  # fmt: skip
    await meetings.record_meeting(cmd, uow, DEPS)
    await uow.commit()
    assert uow.events[-1].pip_version == 2 and uow.events[-1].decision is MeetingDecision.AMENDED


async def _raises(awaitable) -> Exception | None:
    try:
        await awaitable
    except Exception as exc:
        return exc
    return None


async def test_the_final_meeting_is_one_record_on_the_z_route_with_the_participant():
    participant, _, uow = _setup()
    record = _record(decision=None, agreements=())
    cmd = mc.RecordFinalMeeting(**_base(participant), record=record)
    without = mc.RecordFinalMeeting(
        **_base(participant), record=replace(record, attendees=THEM[1:])
    )
    with pytest.raises(InvalidRequest, match="with the participant"):
        await meetings.record_final_meeting(without, uow, DEPS)
    await meetings.record_final_meeting(cmd, uow, DEPS)
    with pytest.raises(Conflict, match="held on"):
        await meetings.record_final_meeting(cmd, uow, DEPS)
    await uow.commit()
    [final] = [e for e in uow.events if isinstance(e, FinalMeetingHeld)]
    assert final.held_on == record.held_on

    b1, _, other = _setup(replace(CONTENT, route=Route.B1_ROUTE))
    with pytest.raises(Conflict, match="Z-route"):
        await meetings.record_final_meeting(
            mc.RecordFinalMeeting(**_base(b1), record=record), other, DEPS
        )


async def test_a_meeting_cannot_be_recorded_before_it_was_held():
    participant, _, uow = _setup()
    days = (f.TODAY + timedelta(days=30), f.TODAY + timedelta(days=90))
    await meetings.plan_meetings(mc.PlanMeetings(**_base(participant), due_on=days), uow, DEPS)
    future = _record(held_on=f.TODAY + timedelta(days=61))
    with pytest.raises(InvalidRequest, match="after it was held"):
        await meetings.record_meeting(
            mc.RecordMeeting(**_base(participant), number=1, record=future), uow, DEPS
        )


def test_erasure_drops_the_notes_and_the_agreements_wording_and_keeps_the_core_data():
    """B 9.9 (issue 15 item 8): after the retention period the free text goes, the dates,
    roles, owners and decisions stay."""
    from dataclasses import replace as _replace
    from datetime import date as _date

    from zroute_intake.domain.meetings import Agreement, Meeting, MeetingRecord, MeetingSeries

    record = MeetingRecord(
        held_on=_date(2027, 3, 1),
        attendees=(),
        notes="talked about her back pain",
        by="caseworker-anna",
        agreements=(Agreement("see the physiotherapist", "care-a", _date(2027, 4, 1)),),
    )
    series = MeetingSeries(
        "zr-1", "p", meetings=[Meeting(1, _date(2027, 3, 1), record=record)], final=_replace(record)
    )
    assert series.erase_free_text() is True
    kept = series.meetings[0].record
    assert kept is not None and kept.notes == "" and kept.agreements[0].what == ""
    assert kept.held_on == _date(2027, 3, 1) and kept.agreements[0].owner == "care-a"
    assert series.final is not None and series.final.notes == ""
    assert series.erase_free_text() is False
