"""The calendar never dates more on one day than the ledger accepts from one participant
(``attendance_max_minutes_per_day``): a session moved onto a day that would take someone
expected over it is refused with who and why (the demo's roll-calls failed now and then
with ``more than 360 minutes on one day`` after such a move)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import tests.planning.integration.conftest as conftest
from tests.planning.integration.conftest import intake_completed

WEEK = timedelta(days=7)


@pytest.fixture
def day_of_240(monkeypatch):
    """A day's maximum of 240 minutes: the first phase's two sessions of 120 fill a day."""
    rules = conftest.TEST_RULES.model_copy(update={"attendance_max_minutes_per_day": 240})
    monkeypatch.setattr(conftest, "TEST_RULES", rules)


async def test_a_move_onto_a_full_day_is_refused_and_another_day_taken(day_of_240, planning):
    intake = intake_completed()
    await planning.activate(intake)
    ref = intake.participant_ref
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    start = date.fromisoformat(plan["start_on"])
    week = (await planning.http.get(f"/participants/{ref}/schedule")).json()
    days = {s["weekday"] for s in week["sessions"]}
    assert len(week["sessions"]) == 2 and len(days) == 1  # 2 x 120 on one day: 240
    body = {"from_on": str(start), "to_on": str(start + 2 * WEEK - timedelta(days=1))}
    answer = await planning.http.post(f"/programmes/{plan['programme_id']}/calendar", json=body)
    assert answer.status_code == 200, answer.text
    sessions = (await planning.http.get(f"/participants/{ref}/calendar", params=body)).json()
    first, _, third, _ = sessions
    url = f"/calendar/sessions/{first['session_id']}/move"
    onto_full = {"session_on": third["session_on"], "starts_at": "19:00:00",
                 "reason": "room_unavailable"}  # fmt: skip
    refused = await planning.http.post(url, json=onto_full)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert problem["participant_ref"] == ref
    assert problem["reason_code"] == "over_day_maximum"
    assert problem["reason_params"] == {"max": "240"}
    unmoved = (await planning.http.get(f"/participants/{ref}/calendar", params=body)).json()
    assert unmoved == sessions  # nothing changed
    free_day = str(date.fromisoformat(first["session_on"]) + timedelta(days=1))
    moved = await planning.http.post(url, json={**onto_full, "session_on": free_day})
    assert moved.status_code == 200, moved.text
    assert moved.json()["session_on"] == free_day
