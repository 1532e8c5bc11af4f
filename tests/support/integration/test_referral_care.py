"""Issue 17 over the API, on the real broker and database: the referral's context and
thread (the care partner once it accepted), the audited consent override, and the
coordinator's reassignment of a referral."""

from __future__ import annotations

import json

from zroute_runtime.auth import Role

from tests.support.scenario import Scenario

NOTE = "lost her home last month; prefers a female counsellor"


def body(ref: str, **kw) -> dict:
    return {
        "participant_ref": ref,
        "category": "mental_health_care",
        "severity": "severe",
        "urgency": "stat",
        **kw,
    }


async def test_a_referral_without_consent_is_refused_unless_a_coordinator_overrides(
    scenario: Scenario,
):
    await scenario.setup()
    ref = await scenario.participant()
    coordinator = scenario.client(Role.COORDINATOR)

    refused = await coordinator.post("/referrals", json=body(ref))
    assert refused.status_code == 422, refused.text
    caseworker = scenario.client(Role.CASEWORKER)
    override = {"legal_ground": "vital_interest", "reason": "acute danger, unreachable"}
    not_theirs = await caseworker.post("/referrals", json=body(ref, consent_override=override))
    assert not_theirs.status_code == 403, not_theirs.text

    made = await coordinator.post("/referrals", json=body(ref, consent_override=override))
    assert made.status_code == 201, made.text
    referral = made.json()["referral"]
    assert referral["consent_overridden"] is True

    [event] = await scenario.emitted("consent-overridden", participant_ref=ref)
    assert event["data"]["legal_ground"] == "vital_interest"
    assert event["data"]["overridden_by"] == "staff-test"
    assert event["data"]["referral_id"] == referral["referral_id"]
    [requested] = await scenario.emitted("referral-requested", participant_ref=ref)
    assert requested["data"]["consent_overridden"] is True
    trail = await caseworker.get(f"/participants/{ref}/consent-overrides")
    assert trail.status_code == 200, trail.text
    [record] = trail.json()
    assert record["reason"] == override["reason"] and record["overridden_by"] == "staff-test"
    assert record["override_id"] == event["data"]["override_id"]
    assert all(override["reason"] not in json.dumps(b) for b in scenario.seen.bodies())


async def test_the_care_partner_reads_the_context_and_thread_once_it_accepted(
    scenario: Scenario,
):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    coordinator = scenario.client(Role.COORDINATOR)
    made = await coordinator.post(
        "/referrals",
        json=body(
            ref,
            consent_id=str(consent_id),
            reason_code="crisis",
            supporting_info=["intake_report"],
            note=NOTE,
        ),
    )
    assert made.status_code == 201, made.text
    rid = made.json()["referral"]["referral_id"]
    care_a = scenario.partner("care-a")

    early = await care_a.get(f"/referrals/{rid}/context")
    assert early.status_code == 403 and "once it has accepted" in early.text
    said = await coordinator.post(f"/referrals/{rid}/messages", json={"body": "call first"})
    assert said.status_code == 201, said.text

    assert (await care_a.post(f"/referrals/{rid}/accept")).status_code == 200
    answer = await care_a.post(f"/referrals/{rid}/messages", json={"body": "will do"})
    assert answer.status_code == 201, answer.text
    seen = await care_a.get(f"/referrals/{rid}/context")
    assert seen.status_code == 200, seen.text
    context = seen.json()
    assert context["note"] == NOTE and context["reason_code"] == "crisis"
    assert context["recorded_by"] == "staff-test"
    assert [(m["side"], m["body"]) for m in context["messages"]] == [
        ("referrer", "call first"),
        ("performer", "will do"),
    ]
    other = await scenario.partner("care-b").get(f"/referrals/{rid}/context")
    assert other.status_code == 403

    done = await care_a.post(
        f"/referrals/{rid}/complete",
        json={"successful": True, "service_delivered": True, "delivered_on": "2027-02-01",
              "reason": "goal_reached", "delivered": ["counselling"], "note": "six sessions"},
    )  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["delivered"] == ["counselling"]
    assert done.json()["outcome_note"] == "six sessions"
    await scenario.emitted("referral-completed", referral_id=rid)
    for text in (NOTE, "call first", "will do", "six sessions"):
        assert all(text not in json.dumps(b) for b in scenario.seen.bodies()), text


async def test_the_coordinator_moves_a_referral_to_a_chosen_partner(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    coordinator = scenario.client(Role.COORDINATOR)
    made = await coordinator.post("/referrals", json=body(ref, consent_id=str(consent_id)))
    rid = made.json()["referral"]["referral_id"]

    caseworker = scenario.client(Role.CASEWORKER)
    move = {"partner_id": "care-b", "reason": "no_answer"}
    assert (await caseworker.post(f"/referrals/{rid}/reassign", json=move)).status_code == 403
    moved = await coordinator.post(f"/referrals/{rid}/reassign", json=move)
    assert moved.status_code == 200, moved.text
    assert moved.json()["partner_id"] == "care-b" and moved.json()["rerouted_from"] == rid

    [cancelled] = await scenario.emitted("referral-cancelled", referral_id=rid)
    assert cancelled["data"]["reason"] == "reassigned"
    [reassigned] = await scenario.emitted("referral-reassigned", previous_referral_id=rid)
    assert reassigned["data"]["exception"] is True
    assert reassigned["data"]["partner_id"] == "care-b"
    assert reassigned["data"]["reassigned_by"] == "staff-test"
    assert "support.referral.requested.care-b" in scenario.seen.routing_keys()
