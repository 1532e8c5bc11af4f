"""A roll-call's cost (issue 20): the projection is computed once per participant of the
roll-call while their follow-up reminder is pending (it moves with the projection), and
not at all once it fired (nothing else of an attendance line uses it)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import zroute_planning.domain.plan as plan_module

import tests.planning.integration.conftest as conftest
from tests.planning.integration.conftest import intake_completed


@pytest.fixture(params=["pending", "fired"])
def reminder(request, monkeypatch):
    if request.param == "fired":
        # The follow-up reminder falls due at once (the planned end is within 5000 days).
        rules = conftest.TEST_RULES.model_copy(update={"follow_up_before_end_days": 5000})
        monkeypatch.setattr(conftest, "TEST_RULES", rules)
    return request.param


async def test_a_roll_call_projects_each_participant_at_most_once(reminder, planning, monkeypatch):
    intakes = [intake_completed() for _ in range(4)]
    for intake in intakes:
        await planning.activate(intake)
    refs = [i.participant_ref for i in intakes]
    plans = [(await planning.http.get(f"/participants/{r}/plan")).json() for r in refs]
    start = max(date.fromisoformat(p["start_on"]) for p in plans)
    await planning.runtime.advance_clock(timedelta(days=60))
    projected: list[str] = []
    real = plan_module.project

    def counted(*args, **kwargs):
        projected.append("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_module, "project", counted)
    body = {
        "session_id": str(uuid.uuid4()),
        "session_on": str(start),
        "group_id": None,
        "kind": "language",
        "teaching_form": "classroom",
        "session_minutes": 120,
        "marks": [{"participant_ref": r, "status": "present", "minutes": 120} for r in refs],
    }
    answer = await planning.http.post("/roll-calls", json=body)
    assert answer.status_code == 201, answer.text
    assert len(projected) == (len(refs) if reminder == "pending" else 0)
    for ref in refs:  # the lines' events as before
        await planning.expect("attendance-recorded", ref)
