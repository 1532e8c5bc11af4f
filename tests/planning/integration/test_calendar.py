"""The dated calendar through the API (issue 16 points 1 and 5): sessions with a day, a
time, a room, a teacher and a form; a holiday week skipped; a teacher falls ill and a
qualified substitute takes over; a session cancelled and one moved with notice; roll-call
against the calendar's session ids."""

from __future__ import annotations

from datetime import date, timedelta

from tests.planning.integration.conftest import intake_completed

WEEK = timedelta(days=7)


async def _one_group(planning) -> dict:
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)
    assert (await planning.http.post("/group-formations", json={})).status_code == 200
    [group] = (await planning.http.get("/groups")).json()
    return group


async def _register(planning, group: dict) -> None:
    programme = group["programme_id"]
    slots = [{"weekday": s["weekday"], "day_part": s["day_part"]} for s in group["sessions"]]
    for staff_id, quals in ((group["teacher"], ["nt2"]), ("sub-1", ["nt2"]), ("alfa-1", ["alfa"])):
        body = {"partner_id": group["partner_id"], "qualifications": quals, "availability": slots}
        answer = await planning.http.put(f"/programmes/{programme}/staff/{staff_id}", json=body)
        assert answer.status_code == 200, answer.text
    for room, capacity in (("room-small", 2), ("room-big", 10)):
        body = {"location_id": "school-centre", "capacity": capacity}
        answer = await planning.http.put(f"/programmes/{programme}/rooms/{room}", json=body)
        assert answer.status_code == 200, answer.text


async def test_the_calendar_dates_staffs_and_rooms_every_group_session_and_skips_a_holiday(
    planning,
):
    group = await _one_group(planning)
    await _register(planning, group)
    programme, start = group["programme_id"], date.fromisoformat(group["starts_on"])
    holiday = {"from_on": str(start + WEEK), "to_on": str(start + 2 * WEEK - timedelta(days=1))}
    answer = await planning.http.post(
        f"/programmes/{programme}/closures", json={**holiday, "reason": "spring_holiday"}
    )
    assert answer.status_code == 201, answer.text
    body = {"from_on": str(start), "to_on": str(start + 4 * WEEK - timedelta(days=1))}
    answer = await planning.http.post(f"/programmes/{programme}/calendar", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["added"] == 6  # 2 a week, 4 weeks, the holiday week skipped
    again = await planning.http.post(f"/programmes/{programme}/calendar", json=body)
    assert again.json()["added"] == 0  # the same sessions, not twice

    sessions = (await planning.http.get(f"/programmes/{programme}/calendar", params=body)).json()
    assert len(sessions) == 6
    assert not [s for s in sessions if holiday["from_on"] <= s["session_on"] <= holiday["to_on"]]
    for s in sessions:
        assert s["group_id"] == group["group_id"]
        assert s["staff"] == group["teacher"] and not s["substitute"]
        assert s["room_id"] == "room-big"  # the small room seats 2, the group is 3
        assert s["unstaffed"] is None and s["status"] == "planned"
        # One length for the group and each member's week (issue 16: 120/150/180).
        assert s["minutes"] == group["sessions"][0]["minutes"]
    member = group["members"][0]
    week = (await planning.http.get(f"/participants/{member}/schedule")).json()
    in_group = [s for s in week["sessions"] if s.get("group_id")]
    assert in_group and {s["minutes"] for s in in_group} == {group["sessions"][0]["minutes"]}
    mine = await planning.http.get(f"/participants/{member}/calendar", params=body)
    assert [s["session_id"] for s in mine.json()] == [s["session_id"] for s in sessions]


async def test_an_ill_teacher_is_replaced_by_a_qualified_substitute_and_changes_are_told(
    planning,
):
    group = await _one_group(planning)
    await _register(planning, group)
    programme, start = group["programme_id"], date.fromisoformat(group["starts_on"])
    body = {"from_on": str(start), "to_on": str(start + 2 * WEEK - timedelta(days=1))}
    await planning.http.post(f"/programmes/{programme}/calendar", json=body)

    ill = {
        "from_on": str(start),
        "to_on": str(start + WEEK - timedelta(days=1)),
        "reason": "illness",
    }
    answer = await planning.http.post(f"/staff/{group['teacher']}/leave", json=ill)
    assert answer.status_code == 201, answer.text
    changed = answer.json()
    assert len(changed) == 2
    # The alfa-only teacher is not qualified for this group: the NT2 substitute is.
    assert {(s["staff"], s["substitute"]) for s in changed} == {("sub-1", True)}
    sessions = (await planning.http.get(f"/programmes/{programme}/calendar", params=body)).json()
    assert [s["staff"] for s in sessions] == ["sub-1", "sub-1", group["teacher"], group["teacher"]]

    # Naming an unqualified substitute is refused with the reason.
    refused = await planning.http.put(
        f"/calendar/sessions/{sessions[2]['session_id']}/staff", json={"staff_id": "alfa-1"}
    )
    assert refused.status_code == 422 and "nt2-qualified" in refused.text

    cancelled = await planning.http.post(
        f"/calendar/sessions/{sessions[2]['session_id']}/cancellation",
        json={"reason": "staff_ill", "note": "no cover this afternoon"},
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    told = await planning.expect("session-cancelled", count=3)
    assert {e["subject"] for e in told} == set(group["members"])
    assert {e["data"]["reason"] for e in told} == {"staff_ill"}
    assert all("note" not in e["data"] for e in told)  # the note stays in planning

    target = date.fromisoformat(sessions[3]["session_on"]) + timedelta(days=1)
    moved = await planning.http.post(
        f"/calendar/sessions/{sessions[3]['session_id']}/move",
        json={"session_on": str(target), "starts_at": "13:30:00", "reason": "room_unavailable"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "moved" and moved.json()["session_on"] == str(target)
    told = await planning.expect("session-moved", count=3)
    assert {e["data"]["session_on"] for e in told} == {str(target)}
    assert {e["data"]["location_id"] for e in told} == {"school-centre"}

    closed = await planning.http.post(
        f"/programmes/{programme}/closures",
        json={"from_on": str(target), "to_on": str(target), "reason": "building_closed"},
    )
    assert closed.status_code == 201 and closed.json()["cancelled"] == [sessions[3]["session_id"]]
    onto_closure = await planning.http.post(
        f"/calendar/sessions/{sessions[0]['session_id']}/move",
        json={"session_on": str(target), "starts_at": "09:30:00", "reason": "planner_decision"},
    )
    assert onto_closure.status_code == 422 and "closed" in onto_closure.text


async def test_roll_call_takes_the_calendars_session_ids(planning):
    group = await _one_group(planning)
    programme, start = group["programme_id"], date.fromisoformat(group["starts_on"])
    plan = (await planning.http.get(f"/participants/{group['members'][0]}/plan")).json()
    # The group meets before its members' plans start; those sessions are not theirs.
    body = {"from_on": plan["start_on"], "to_on": str(start + 3 * WEEK)}
    await planning.http.post(f"/programmes/{programme}/calendar", json=body)
    first, second = (
        await planning.http.get(f"/programmes/{programme}/calendar", params=body)
    ).json()[:2]
    await planning.http.post(
        f"/calendar/sessions/{second['session_id']}/cancellation", json={"reason": "other"}
    )
    await planning.runtime.advance_clock(timedelta(days=21))

    def roll_call(session: dict, **change) -> dict:
        return {
            "session_id": session["session_id"],
            "session_on": session["session_on"],
            "group_id": group["group_id"],
            "kind": session["kind"],
            "teaching_form": session["teaching_form"],
            "session_minutes": session["minutes"],
            "marks": [
                {"participant_ref": ref, "status": "present", "minutes": session["minutes"]}
                for ref in group["members"]
            ],
        } | change

    ok = await planning.http.post("/roll-calls", json=roll_call(first))
    assert ok.status_code == 201, ok.text
    invented = await planning.http.post(
        "/roll-calls", json=roll_call(first, session_id="00000000-0000-4000-8000-000000000001")
    )
    assert invented.status_code == 422 and "not in the calendar" in invented.text
    wrong_day = await planning.http.post(
        "/roll-calls",
        json=roll_call(second, session_on=str(date.fromisoformat(second["session_on"]) - WEEK)),
    )
    assert wrong_day.status_code == 422
    assert "cancelled" in wrong_day.text and "the calendar has this session on" in wrong_day.text


async def test_group_formation_staffs_from_the_register_by_qualification(planning):
    from tests.planning.events import AVAILABILITY, PROGRAMME

    slots = [{"weekday": s.weekday.value, "day_part": s.day_part.value} for s in AVAILABILITY]
    only_alfa = {"partner_id": "language-school", "qualifications": ["alfa"], "availability": slots}
    answer = await planning.http.put(f"/programmes/{PROGRAMME}/staff/alfa-1", json=only_alfa)
    assert answer.status_code == 200, answer.text
    for _ in range(3):
        await planning.activate(intake_completed())
    # Nobody may teach NT2: the register's capacity is nil, the packing cannot prove that
    # optimal and CP-SAT runs its time (slow on a busy machine, hence the timeout).
    formed = await planning.http.post(
        "/group-formations", json={"programme_id": PROGRAMME}, timeout=60
    )
    assert formed.json()["groups_formed"] == 0  # nobody in the register may teach NT2
    waiting = (await planning.http.get("/waiting-list")).json()
    assert {w["reason"] for w in waiting} == {"no_group_at_level"}

    nt2 = {**only_alfa, "qualifications": ["nt2"]}
    await planning.http.put(f"/programmes/{PROGRAMME}/staff/nt2-1", json=nt2)
    formed = await planning.http.post("/group-formations", json={"programme_id": PROGRAMME})
    assert formed.json()["groups_formed"] == 1
    [group] = (await planning.http.get("/groups")).json()
    assert group["teacher"] == "nt2-1"
