"""Issue 16 item 7, "rules that hold", over HTTP on the real broker and database: the
single attendance line is checked as a roll-call line is; completion needs the targets or
the municipality's recorded waiver."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from tests.planning.integration.conftest import TODAY, intake_completed


def _line(day, *, minutes=120, status="present", **extra):
    return {
        "session_id": str(uuid4()),
        "session_on": str(day),
        "kind": "language",
        "teaching_form": "classroom",
        "status": status,
        "minutes": minutes,
        **extra,
    }


async def test_a_single_attendance_line_is_checked_as_a_roll_call_line_is(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)  # the plan starts on TODAY + 14
    await planning.runtime.advance_clock(timedelta(days=30))
    path = f"/participants/{ref}/attendance"
    before_start = await planning.http.post(path, json=_line(TODAY + timedelta(days=3)))
    assert before_start.status_code == 422, before_start.text
    assert "before the plan's start" in before_start.json()["error"]
    too_long = await planning.http.post(
        path, json=_line(TODAY + timedelta(days=15), minutes=150, session_minutes=120)
    )
    assert too_long.status_code == 422 and "between 1 and 120" in too_long.json()["error"]
    no_reason = await planning.http.post(
        path, json=_line(TODAY + timedelta(days=15), status="absent_with_reason")
    )
    assert no_reason.status_code == 422 and "names its reason" in no_reason.json()["error"]
    day = TODAY + timedelta(days=16)
    for _ in range(2):  # 2 x 180 = 360 minutes: the day's maximum
        ok = await planning.http.post(path, json=_line(day, minutes=180))
        assert ok.status_code == 201, ok.text
    over = await planning.http.post(path, json=_line(day, minutes=60))
    assert over.status_code == 422 and "360 minutes on one day" in over.json()["error"]
    await planning.barrier()
    assert len(planning.events("attendance-recorded", ref)) == 2


async def test_a_new_group_never_starts_before_a_members_plan_start(planning):
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)  # each plan starts on TODAY + 14
    response = await planning.http.post("/group-formations", json={})
    assert response.status_code == 200 and response.json()["groups_formed"] == 1, response.text
    [formed] = await planning.expect("group-formed")
    # The group's lead time alone would give TODAY + 7: before its members' start.
    assert formed["data"]["starts_on"] == str(TODAY + timedelta(days=14))
    joined = await planning.expect("participant-assigned-to-group", count=3)
    assert {e["data"]["assigned_from"] for e in joined} == {str(TODAY + timedelta(days=14))}


async def test_a_planner_sets_one_participants_ramp_up_pace_with_a_reason(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    path = f"/participants/{ref}/ramp-up"
    too_fast = await planning.http.put(path, json={"pace_percent": 50, "reason": "faster!"})
    assert too_fast.status_code == 422
    slowed = await planning.http.put(
        path, json={"pace_percent": 200, "reason": "needs more time to settle in"}
    )
    assert slowed.status_code == 200, slowed.text
    assert [p["from_week"] for p in slowed.json()["phases"]] == [1, 17, 33, 53]
    # The week is published again at the participant's pace (still phase 1 here).
    weeks = await planning.expect("schedule-published", ref, 2)
    assert weeks[-1]["data"]["phase"] == 1
