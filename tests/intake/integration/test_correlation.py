"""The caller's ``X-Correlation-ID`` and trace context reach the events an intake command
causes (the shared HTTP command path, ``zroute_runtime.commands``), read from the broker."""

from __future__ import annotations

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import hold_intake, ok, register

INTAKE = "nl.zroute.intake."
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_the_callers_correlation_id_reaches_the_events_of_a_registration(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange)
    response = await client.post(
        "/participants",
        json=builders.registration(),
        headers={"X-Correlation-ID": "case-intake-4711", "traceparent": TRACEPARENT},
    )
    ref = ok(response, 201)["participant_ref"]
    await wait_for(
        lambda: len([b for b in seen.bodies() if b["subject"] == ref]) == 2, what="two events"
    )
    caused = [b for b in seen.bodies() if b["subject"] == ref]
    assert {b["type"] for b in caused} == {
        INTAKE + "participant-registered.v1",
        INTAKE + "contact-person-assigned.v1",
    }
    assert {b["correlationid"] for b in caused} == {"case-intake-4711"}
    assert {b["traceparent"] for b in caused} == {TRACEPARENT}


async def test_the_callers_correlation_id_reaches_the_events_of_the_intake_outcome(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await hold_intake(client, intake, ref)
    seen = await capture(amqp_connection, intake.topology.exchange)
    response = await client.post(
        f"/participants/{ref}/intake/outcome",
        json=builders.outcome(),
        headers={"X-Correlation-ID": "case-intake-4712"},
    )
    ok(response)
    await wait_for(
        lambda: seen.of_type(INTAKE + "care-signals-recorded.v1"), what="the care signals"
    )
    completed = seen.of_type(INTAKE + "intake-completed.v1")
    signals = seen.of_type(INTAKE + "care-signals-recorded.v1")
    assert [b["correlationid"] for b in completed + signals] == ["case-intake-4712"] * 2
