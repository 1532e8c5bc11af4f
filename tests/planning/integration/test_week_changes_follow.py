"""A changed week takes the calendar with it (issue 16): when a participant's published
week changes, the coming sessions the calendar dated from the old week are cancelled with
notice (``session-cancelled``) and the new week's sessions dated; a session held keeps its
hours. A dissolved group's coming sessions are cancelled with notice to its members.

Before, only a module's sessions were taken back: a participant who joined a group kept
the own sessions dated from the week before it, beside the group's (which were not dated
until the calendar was generated again), and a dissolved group's sessions stayed planned."""

from __future__ import annotations

from datetime import date, timedelta

from zroute_runtime.clock import local_day

from tests.planning.integration.conftest import PROGRAMME, intake_completed

WEEK = timedelta(days=7)


async def _calendar(planning, ref: str, days: dict) -> list[dict]:
    answer = await planning.http.get(f"/participants/{ref}/calendar", params=days)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_joining_a_group_takes_back_the_old_weeks_sessions_and_dates_the_new(planning):
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)
    ref = intakes[0].participant_ref
    today = local_day(planning.runtime.clock.now())
    days = {"from_on": str(today), "to_on": str(today + 8 * WEEK - timedelta(days=1))}
    generated = await planning.http.post(f"/programmes/{PROGRAMME}/calendar", json=days)
    assert generated.status_code == 200, generated.text
    before = await _calendar(planning, ref, days)
    assert before and all(s["group_id"] is None for s in before)  # the own week, dated

    formed = await planning.http.post("/group-formations", json={"programme_id": PROGRAMME})
    assert formed.json()["groups_formed"] == 1, formed.json()
    [group] = (await planning.http.get("/groups")).json()
    after = await _calendar(planning, ref, days)
    planned = [s for s in after if s["status"] != "cancelled"]
    cancelled = [s for s in after if s["status"] == "cancelled"]
    # The group's sessions are dated from its first day; no own session of the old week
    # is left beside them.
    group_days = [s for s in planned if s["group_id"] == group["group_id"]]
    assert group_days and min(s["session_on"] for s in group_days) >= group["starts_on"]
    assert not [
        s for s in planned if s["group_id"] is None and s["session_on"] >= group["starts_on"]
    ]
    assert cancelled and all(s["group_id"] is None for s in cancelled)
    told = await planning.expect("session-cancelled", ref, count=len(cancelled))
    assert {e["data"]["session_id"] for e in told} == {s["session_id"] for s in cancelled}
    assert {e["data"]["reason"] for e in told} == {"planner_decision"}


async def test_a_dissolved_group_takes_its_coming_sessions_back_with_notice(planning):
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)
    formed = await planning.http.post("/group-formations", json={"programme_id": PROGRAMME})
    assert formed.json()["groups_formed"] == 1, formed.json()
    [group] = (await planning.http.get("/groups")).json()
    plan = (await planning.http.get(f"/participants/{group['members'][0]}/plan")).json()
    days = {
        "from_on": plan["start_on"],
        "to_on": str(date.fromisoformat(plan["start_on"]) + 6 * WEEK),
    }
    generated = await planning.http.post(f"/programmes/{PROGRAMME}/calendar", json=days)
    assert generated.json()["added"] > 0
    first = (await planning.http.get(f"/programmes/{PROGRAMME}/calendar", params=days)).json()[0]
    # The first session is held (roll-call); the group is dissolved the day after.
    on = date.fromisoformat(first["session_on"])
    await planning.runtime.advance_clock(
        timedelta(days=(on - local_day(planning.runtime.clock.now())).days + 1)
    )
    roll_call = {
        "session_id": first["session_id"],
        "session_on": first["session_on"],
        "group_id": group["group_id"],
        "kind": first["kind"],
        "teaching_form": first["teaching_form"],
        "session_minutes": first["minutes"],
        "marks": [
            {"participant_ref": ref, "status": "present", "minutes": first["minutes"]}
            for ref in group["members"]
        ],
    }
    held = await planning.http.post("/roll-calls", json=roll_call)
    assert held.status_code == 201, held.text
    dissolved = await planning.http.post(
        f"/groups/{group['group_id']}/dissolution", json={"reason": "teacher left the school"}
    )
    assert dissolved.status_code == 200, dissolved.text
    sessions = (await planning.http.get(f"/programmes/{PROGRAMME}/calendar", params=days)).json()
    of_group = [s for s in sessions if s["group_id"] == group["group_id"]]
    coming = [s for s in of_group if s["session_on"] > str(on)]
    assert coming and all(s["status"] == "cancelled" for s in coming)
    [kept] = [s for s in of_group if s["session_id"] == first["session_id"]]
    assert kept["status"] == "planned"  # held: it stays, with its hours
    member = group["members"][0]
    hours = (await planning.http.get(f"/participants/{member}/hours")).json()["hours"]
    assert sum(hours.values()) == first["minutes"] / 60
    told = await planning.expect("session-cancelled", member, count=len(coming))
    assert {e["data"]["session_id"] for e in told} == {s["session_id"] for s in coming}
