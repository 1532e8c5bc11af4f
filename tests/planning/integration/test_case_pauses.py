"""Issue 15 point 5 and issue 17 point 5 against the real broker and database: intake's
``participant-paused``/``-resumed`` and support's ``care-pause-started``/``-ended`` hold
and release the plan; the plan resumes only when the last pause has ended. Against the code
before: planning consumed none of these events (they were dead-lettered as unknown)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from zroute_contract.events.codes import PauseReason
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted

from tests.planning.integration.conftest import PROGRAMME, SUPPORT, TODAY, intake_completed


async def test_an_intake_pause_and_a_care_pause_hold_the_plan_until_both_end(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    await planning.expect("plan-activated", ref)
    common = {"participant_ref": ref, "programme_id": PROGRAMME}
    pause_id, care_id, referral_id = uuid4(), uuid4(), uuid4()

    await planning.feed(ParticipantPaused(
        **common, pause_id=pause_id, reason=PauseReason.PARTICIPANT_REQUEST, paused_from=TODAY
    ))  # fmt: skip
    [paused] = await planning.expect("plan-paused", ref)
    assert paused["data"]["reason"] == "participant_request"
    assert paused["data"]["paused_from"] == str(TODAY)
    await planning.feed(
        CarePauseStarted(**common, pause_id=care_id, referral_id=referral_id, paused_from=TODAY),
        source=SUPPORT,
    )
    back = TODAY + timedelta(days=1)
    await planning.feed(ParticipantResumed(
        **common, pause_id=pause_id, reason=PauseReason.PARTICIPANT_REQUEST, paused_from=TODAY,
        resumed_on=back,
    ))  # fmt: skip
    await planning.runtime.advance_clock(timedelta(days=1))  # the resumption's day
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["status"] == "paused"  # the care pause still holds it
    assert planning.events("plan-resumed", ref) == []

    await planning.feed(
        CarePauseEnded(
            **common, pause_id=care_id, referral_id=referral_id, paused_from=TODAY, ended_on=back
        ),
        source=SUPPORT,
    )
    await planning.expect("plan-resumed", ref)
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["status"] == "active"
    assert len(planning.events("plan-paused", ref)) == 1


async def test_a_pause_dated_ahead_holds_the_plan_from_its_first_day_and_resumes_on_its_day(
    planning,
):
    """A treatment recorded two weeks before it starts: the plan keeps running until the
    pause's first day, is held from that morning (``plan-paused`` with that day), and a
    resumption recorded ahead releases it only on its day. Before: the plan paused on the
    event's arrival and resumed on the resumption's arrival."""
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    await planning.expect("plan-activated", ref)
    common = {"participant_ref": ref, "programme_id": PROGRAMME}
    pause_id = uuid4()
    start, back = TODAY + timedelta(days=14), TODAY + timedelta(days=42)

    async def status() -> str:
        return (await planning.http.get(f"/participants/{ref}/plan")).json()["status"]

    await planning.feed(ParticipantPaused(
        **common, pause_id=pause_id, reason=PauseReason.CARE, paused_from=start
    ))  # fmt: skip
    assert await status() == "active", "a pause dated ahead does not hold the plan yet"
    await planning.runtime.advance_clock(timedelta(days=13))
    assert await status() == "active", "the day before the pause the plan still runs"
    await planning.runtime.advance_clock(timedelta(days=1))
    [paused] = await planning.expect("plan-paused", ref)
    assert paused["data"]["paused_from"] == str(start)
    assert await status() == "paused"

    await planning.feed(ParticipantResumed(
        **common, pause_id=pause_id, reason=PauseReason.CARE, paused_from=start, resumed_on=back
    ))  # fmt: skip
    assert await status() == "paused", "a resumption dated ahead waits for its day"
    assert planning.events("plan-resumed", ref) == []
    await planning.runtime.advance_clock(timedelta(days=28))
    await planning.expect("plan-resumed", ref)
    assert await status() == "active"
