"""The caller's ``X-Correlation-ID`` and trace context reach the events a planning command
causes (the shared HTTP command path, ``zroute_runtime.commands``)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from tests.planning.integration.conftest import TODAY, intake_completed

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_the_callers_correlation_id_reaches_the_attendance_recorded_event(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=21))
    response = await planning.http.post(
        f"/participants/{ref}/attendance",
        json={
            "session_id": str(uuid4()),
            "session_on": str(TODAY + timedelta(days=15)),
            "kind": "language",
            "teaching_form": "classroom",
            "status": "present",
            "minutes": 120,
        },
        headers={"X-Correlation-ID": "case-planning-4711", "traceparent": TRACEPARENT},
    )
    assert response.status_code == 201, response.text
    [recorded] = await planning.expect("attendance-recorded", ref)
    assert recorded["correlationid"] == "case-planning-4711"
    assert recorded["traceparent"] == TRACEPARENT


async def test_a_refusal_through_the_command_path_is_a_409_in_the_error_shape(planning):
    intake = intake_completed()
    await planning.activate(intake)
    response = await planning.http.post(
        f"/participants/{intake.participant_ref}/completion",
        headers={"X-Correlation-ID": "case-planning-4712"},
    )
    assert response.status_code == 409
    assert set(response.json()) == {"error", "detail"}
