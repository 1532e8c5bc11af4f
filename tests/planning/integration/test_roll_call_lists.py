"""A school's week of roll-calls in one request (issue 20 item 4): ``POST /roll-calls`` with
a list body. Each roll-call is checked as one is, a refusal refuses the whole list with
every reason and its roll-call's index, partner staff only for the kinds they are named
for, one ``attendance-recorded`` per line in the list's order, and the projection once per
participant of the list."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import zroute_planning.domain.plan as plan_module
from zroute_contract.events.codes import RouteTask

from tests.planning.integration.conftest import intake_completed
from tests.planning.integration.test_hours_from_every_partner import (
    DIVISION,
    division_recorded,
    staff_of,
)


def roll_call(on: date, marks: list[dict], *, minutes: int = 120, kind: str = "language") -> dict:
    return {
        "session_id": str(uuid.uuid4()),
        "session_on": str(on),
        "kind": kind,
        "teaching_form": "knm" if kind == "knm" else "classroom",
        "session_minutes": minutes,
        "marks": marks,
    }


def present(ref: str, minutes: int = 120) -> dict:
    return {"participant_ref": ref, "status": "present", "minutes": minutes}


async def _started(planning, n: int) -> tuple[list[str], date]:
    intakes = [intake_completed() for _ in range(n)]
    for intake in intakes:
        await planning.activate(intake)
    refs = [i.participant_ref for i in intakes]
    plans = [(await planning.http.get(f"/participants/{r}/plan")).json() for r in refs]
    start = max(date.fromisoformat(p["start_on"]) for p in plans)
    await planning.runtime.advance_clock(timedelta(days=60))
    return refs, start


async def test_a_list_of_roll_calls_records_every_line_in_order_and_again_changes_nothing(
    planning,
):
    (a, b), start = await _started(planning, 2)
    week = [
        roll_call(start, [present(a), {"participant_ref": b, "status": "absent_without_reason"}]),
        roll_call(start + timedelta(days=1), [present(a, 90)]),
        roll_call(start + timedelta(days=2), [present(b, 60), present(a, 30)]),
    ]
    answer = await planning.http.post("/roll-calls", json=week)
    assert answer.status_code == 201, answer.text
    assert [[line["hours"] for line in r["lines"]] for r in answer.json()] == [
        [2.0, 0.0],
        [1.5],
        [1.0, 0.5],
    ]
    assert [r["session_id"] for r in answer.json()] == [r["session_id"] for r in week]
    recorded = await planning.expect("attendance-recorded", a, 3)
    # One event per line, in the list's order for each participant.
    assert [e["data"]["session_id"] for e in recorded] == [r["session_id"] for r in week]
    await planning.expect("attendance-recorded", b, 2)

    again = await planning.http.post("/roll-calls", json=week)
    assert again.status_code == 201, again.text  # the same lines again change nothing
    changed = [week[0], week[1] | {"marks": [present(a, 60)]}]
    conflict = await planning.http.post("/roll-calls", json=changed)
    assert conflict.status_code == 409
    assert conflict.json()["error"].startswith("roll-call 1: ")  # which roll-call
    await planning.barrier()
    assert len(planning.events("attendance-recorded", a)) == 3
    assert len(planning.events("attendance-recorded", b)) == 2


async def test_a_list_with_a_wrong_line_is_refused_whole_with_each_roll_calls_reasons(planning):
    (a, b), start = await _started(planning, 2)
    wrong = [
        roll_call(start, [present(b)]),
        roll_call(start, [present(a, 200), {"participant_ref": b, "status": "absent_with_reason"}]),
        # A later roll-call is checked against the earlier ones' lines: the day's maximum.
        roll_call(start + timedelta(days=1), [present(a, 240)], minutes=240),
        roll_call(start + timedelta(days=1), [present(a, 180)], minutes=180),
    ]
    response = await planning.http.post("/roll-calls", json=wrong)
    assert response.status_code == 422, response.text
    reasons = {
        (r["roll_call"], r["participant_ref"], r["reason_code"]) for r in response.json()["detail"]
    }
    assert reasons == {
        (1, a, "minutes_out_of_range"),
        (1, b, "reason_missing"),
        (3, a, "over_day_maximum"),
    }
    await planning.barrier()
    assert planning.events("attendance-recorded", a) == []  # nothing of the list is kept
    assert planning.events("attendance-recorded", b) == []


@pytest.mark.parametrize(
    "body",
    [[], "roll-calls", [{"session_id": "x"}]],
    ids=["empty", "not-a-list", "bad-roll-call"],
)
async def test_a_malformed_list_is_refused_with_a_422(planning, body):
    response = await planning.http.post("/roll-calls", json=body)
    assert response.status_code == 422, response.text


async def test_a_list_longer_than_the_maximum_is_refused(planning):
    (a,), start = await _started(planning, 1)
    one = roll_call(start, [present(a)])
    response = await planning.http.post("/roll-calls", json=[one] * 201)
    assert response.status_code == 422, response.text


async def test_partner_staff_record_a_list_only_of_the_kinds_they_are_named_for(planning):
    await division_recorded(planning)
    (a, b), start = await _started(planning, 2)
    assert DIVISION[RouteTask.KNM] == "knm-house"
    mixed = [
        roll_call(start, [present(a), present(b)]),
        roll_call(start + timedelta(days=1), [present(b, 60)], kind="knm"),
    ]
    school = staff_of("language-school")
    refused = await planning.http.post("/roll-calls", json=mixed, headers=school)
    assert refused.status_code == 403
    assert refused.json()["error"].startswith(f"{b}: ")  # whose line, by ref
    assert "knm-house" in refused.json()["error"]  # and who records those hours
    unknown = [roll_call(start, [present(a), present("zr-" + "0" * 32)])]
    missing = await planning.http.post("/roll-calls", json=unknown, headers=school)
    assert missing.status_code == 404
    ok = await planning.http.post("/roll-calls", json=mixed[:1], headers=school)
    assert ok.status_code == 201, ok.text
    await planning.barrier()
    assert len(planning.events("attendance-recorded", a)) == 1
    assert len(planning.events("attendance-recorded", b)) == 1


async def test_a_list_projects_each_participant_once_however_many_roll_calls(planning, monkeypatch):
    refs, start = await _started(planning, 3)
    projected: list[str] = []
    real = plan_module.project

    def counted(*args, **kwargs):
        projected.append("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_module, "project", counted)
    week = [
        roll_call(start + timedelta(days=day), [present(r, 60) for r in refs]) for day in range(4)
    ]
    answer = await planning.http.post("/roll-calls", json=week)
    assert answer.status_code == 201, answer.text
    assert len(projected) <= len(refs)  # once each while a reminder is pending, not per line
    for ref in refs:
        await planning.expect("attendance-recorded", ref, 4)
