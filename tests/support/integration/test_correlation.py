"""The caller's ``X-Correlation-ID`` and trace context reach the events a support command
causes (the shared HTTP command path, ``zroute_runtime.commands``), and a refusal through
that path keeps the error shape with every problem listed."""

from __future__ import annotations

from zroute_contract.events.codes import RouteTask
from zroute_runtime.auth import Role

from tests.support.scenario import PROGRAMME, Scenario

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_the_callers_correlation_id_reaches_the_referral_requested_event(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    sent = await scenario.client(Role.CASEWORKER).post(
        "/referrals",
        json={
            "participant_ref": ref,
            "category": "mental_health_care",
            "severity": "moderate",
            "consent_id": str(consent_id),
        },
        headers={"X-Correlation-ID": "case-support-4711", "traceparent": TRACEPARENT},
    )
    assert sent.status_code == 201, sent.text
    [requested] = await scenario.emitted("referral-requested", participant_ref=ref)
    assert requested["correlationid"] == "case-support-4711"
    assert requested["traceparent"] == TRACEPARENT


async def test_a_refused_command_answers_every_problem_and_causes_no_event(scenario: Scenario):
    await scenario.register_partners()
    body = scenario.agreement_body({RouteTask.TRANSPORT: "ghost"})
    refused = await scenario.client().post(
        f"/programmes/{PROGRAMME}/agreements",
        json=body,
        headers={"X-Correlation-ID": "case-support-4712"},
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "the agreement cannot be recorded",
        "detail": ["task transport: unknown partner ghost"],
    }
    assert not scenario.seen.of_type("nl.zroute.support.agreement-recorded.v1")
