"""Attendance corrections (issue 16 item 2): a recorded line changes only by a correction
that keeps both values, who, when and why, publishes attendance-corrected, and is checked
as a roll-call line is."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from tests.planning.integration.conftest import TODAY, intake_completed

SESSION_ON = TODAY + timedelta(days=15)


async def _recorded(planning, minutes: int = 150) -> tuple[str, str]:
    intake = intake_completed()
    await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=21))
    ref, session_id = intake.participant_ref, str(uuid4())
    body = {
        "session_id": session_id,
        "session_on": str(SESSION_ON),
        "kind": "language",
        "teaching_form": "classroom",
        "session_minutes": 150,
        "marks": [{"participant_ref": ref, "status": "present", "minutes": minutes}],
    }
    response = await planning.http.post("/roll-calls", json=body)
    assert response.status_code == 201, response.text
    return ref, session_id


async def test_a_correction_keeps_both_values_who_when_and_why_and_is_published(planning):
    ref, session_id = await _recorded(planning)
    response = await planning.http.put(
        f"/participants/{ref}/attendance/{session_id}",
        json={
            "status": "absent_with_reason",
            "absence_reason": "illness",
            "reason": "data_entry_error",
            "note": "marked present by mistake",
        },
    )
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["old_status"], out["old_hours"]) == ("present", 2.5)
    assert (out["new_status"], out["new_hours"]) == ("absent_with_reason", 0.0)
    assert out["corrected_by"] == "staff-test" and out["reason"] == "data_entry_error"
    [event] = await planning.expect("attendance-corrected", ref)
    data = event["data"]
    assert data["session_id"] == session_id and data["old_hours"] == 2.5
    assert data["new_status"] == "absent_with_reason" and data["corrected_by"] == "staff-test"
    assert "note" not in data  # the free text stays in planning
    hours = (await planning.http.get(f"/participants/{ref}/hours")).json()
    assert hours["hours"]["language"] == 0.0  # the ledger follows the new value
    kept = await planning.runtime.pool.fetchrow(
        "SELECT old_status, old_minutes, new_status, corrected_by, note"
        " FROM planning_attendance_corrections WHERE session_id = $1",
        UUID(session_id),
    )
    assert dict(kept) == {
        "old_status": "present",
        "old_minutes": 150,
        "new_status": "absent_with_reason",
        "corrected_by": "staff-test",
        "note": "marked present by mistake",
    }


async def test_a_correction_is_checked_like_a_roll_call_line_and_must_change_it(planning):
    ref, session_id = await _recorded(planning, minutes=120)
    path = f"/participants/{ref}/attendance/{session_id}"
    too_long = await planning.http.put(
        path, json={"status": "present", "minutes": 200, "reason": "new_information"}
    )
    assert too_long.status_code == 422 and "between 1 and 150" in too_long.json()["error"]
    same = await planning.http.put(
        path, json={"status": "present", "minutes": 120, "reason": "new_information"}
    )
    assert same.status_code == 422 and "changes the line" in same.json()["error"]
    unknown = await planning.http.put(
        f"/participants/{ref}/attendance/{uuid4()}",
        json={"status": "present", "minutes": 60, "reason": "new_information"},
    )
    assert unknown.status_code == 404
    ok = await planning.http.put(
        path, json={"status": "present", "minutes": 150, "reason": "new_information"}
    )
    assert ok.status_code == 200, ok.text
    await planning.barrier()
    assert len(planning.events("attendance-corrected", ref)) == 1
