"""Closed-loop care referrals against the real broker and database: from the intake's care
signals (with consent) to the partner, decline and re-route, the whole loop back to the
referrer, escalation when unanswered, cancellation when consent is withdrawn."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from zroute_contract.events.codes import (
    CareCategory,
    ConsentPurpose,
    LifeDomain,
    NeedSeverity,
    Urgency,
)
from zroute_contract.events.intake import CareSignal, CareSignalsRecorded, ConsentWithdrawn
from zroute_runtime.auth import Role

from tests.support.scenario import (
    CONTACT,
    PROGRAMME,
    Scenario,
    assert_no_health_detail_on_public_events,
)


def signals(ref: str, *signal: CareSignal, partner: str = "coordinator") -> CareSignalsRecorded:
    return CareSignalsRecorded(
        participant_ref=ref,
        programme_id=PROGRAMME,
        partner_id=partner,
        intake_id=uuid.uuid4(),
        signals=signal,
    )


def signal(
    consent_id: uuid.UUID | None,
    signal_id: uuid.UUID | None = None,
    urgency: Urgency = Urgency.URGENT,
) -> CareSignal:
    return CareSignal(
        signal_id=signal_id or uuid.uuid4(),
        domain=LifeDomain.HEALTH_PSYCHOLOGICAL,
        category=CareCategory.MENTAL_HEALTH_CARE,
        severity=NeedSeverity.MODERATE,
        urgency=urgency,
        consent_id=consent_id,
    )


async def referred(
    scenario: Scenario, partner: str = "care-a", urgency: Urgency = Urgency.URGENT
) -> tuple[str, dict]:
    """A participant whose consented care signal was referred to ``partner``."""
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    await scenario.feed(signals(ref, signal(consent_id, urgency=urgency)))
    [requested] = await scenario.emitted("referral-requested", participant_ref=ref)
    assert requested["data"]["partner_id"] == partner
    return ref, requested


async def test_a_referral_loop_closes_after_a_decline_and_a_reroute(scenario: Scenario):
    await scenario.setup()
    ref, requested = await referred(scenario)
    data = requested["data"]
    assert data["category"] == "mental_health_care" and data["urgency"] == "urgent"
    assert data["referrer"]["staff_ref"] == CONTACT.staff_ref
    assert "support.referral.requested.care-a" in scenario.seen.routing_keys()
    first = data["referral_id"]

    care_a, care_b = scenario.partner("care-a"), scenario.partner("care-b")
    declined = await care_a.post(f"/referrals/{first}/decline", json={"reason": "no_capacity"})
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "rejected"
    [decline] = await scenario.emitted("referral-declined", referral_id=first)
    assert decline["data"]["rerouting"] is True and decline["data"]["reason"] == "no_capacity"

    [rerouted] = await scenario.emitted("referral-requested", rerouted_from=first)
    second = rerouted["data"]["referral_id"]
    assert rerouted["data"]["partner_id"] == "care-b"
    assert "support.referral.requested.care-b" in scenario.seen.routing_keys()

    for step in ("accept", "start"):
        response = await care_b.post(f"/referrals/{second}/{step}")
        assert response.status_code == 200, response.text
    done = await care_b.post(
        f"/referrals/{second}/complete",
        json={"successful": True, "service_delivered": True, "delivered_on": "2027-02-01",
              "reason": "goal_reached"},
    )  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"

    await scenario.emitted("referral-accepted", referral_id=second)
    [progress] = await scenario.emitted("referral-status-changed", referral_id=second)
    assert progress["data"]["status"] == "in-progress"
    assert progress["data"]["changed_by"] == "performer"
    [completed] = await scenario.emitted("referral-completed", referral_id=second)
    assert completed["data"]["successful"] and completed["data"]["reason"] == "goal_reached"
    # every status change reached the referrer's side: each one is an event with the subject
    for body in scenario.seen.bodies():
        if body["type"].startswith("nl.zroute.support.referral-"):
            assert body["subject"] == ref
    assert assert_no_health_detail_on_public_events(scenario.seen) >= 4


async def test_a_transition_only_the_owning_side_may_make_and_only_from_its_status(scenario):
    await scenario.setup()
    _, requested = await referred(scenario)
    rid = requested["data"]["referral_id"]
    coordinator, care_a = scenario.client(), scenario.partner("care-a")

    by_referrer = await coordinator.post(f"/referrals/{rid}/accept")
    assert by_referrer.status_code == 409
    assert "only the care partner" in by_referrer.json()["error"]
    by_performer = await care_a.post(
        f"/referrals/{rid}/cancel", json={"reason": "no_longer_needed"}
    )
    assert by_performer.status_code == 409
    too_early = await care_a.post(f"/referrals/{rid}/complete", json={"successful": True,
                                  "service_delivered": False})  # fmt: skip
    assert too_early.status_code == 409
    assert "requested cannot become completed" in too_early.json()["error"]
    bad_reason = await care_a.post(f"/referrals/{rid}/decline", json={"reason": "bored"})
    assert bad_reason.status_code == 422 and "not one of" in bad_reason.json()["error"]
    unknown = await care_a.post(f"/referrals/{uuid.uuid4()}/accept")
    assert unknown.status_code == 404

    cancelled = await coordinator.post(
        f"/referrals/{rid}/cancel", json={"reason": "no_longer_needed"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    [event] = await scenario.emitted("referral-cancelled", referral_id=rid)
    assert event["data"]["reason"] == "no_longer_needed"


async def test_no_referral_leaves_without_consent_and_one_does_once_it_is_recorded(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    signal_id = uuid.uuid4()
    await scenario.feed(signals(ref, signal(None, signal_id)))
    assert (
        await scenario.runtime.pool.fetchval(
            "SELECT count(*) FROM support_referrals WHERE participant_ref = $1", ref
        )
        == 0
    )
    await scenario.consent(ref, (signal_id,))
    [requested] = await scenario.emitted("referral-requested", participant_ref=ref)
    assert requested["data"]["signal_id"] == str(signal_id)


async def test_a_caseworker_referral_is_refused_with_a_reason_when_input_is_wrong(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    caseworker = scenario.client(Role.CASEWORKER)
    body = {"participant_ref": ref, "category": "physical_care", "severity": "light",
            "consent_id": str(uuid.uuid4())}  # fmt: skip

    no_consent = await caseworker.post("/referrals", json=body)
    assert no_consent.status_code == 422
    assert "no care-referral consent" in no_consent.json()["error"]

    body["consent_id"] = str(await scenario.consent(ref))
    unknown_partner = await caseworker.post("/referrals", json=body | {"partner_id": "nobody"})
    assert unknown_partner.status_code == 404
    assert unknown_partner.json()["error"] == "unknown partner nobody"
    incapable = await caseworker.post("/referrals", json=body | {"partner_id": "care-b"})
    assert incapable.status_code == 422
    assert "lacks the capability physical_care" in incapable.json()["error"]
    unknown_participant = await caseworker.post(
        "/referrals", json=body | {"participant_ref": f"zr-{uuid.uuid4().hex}"}
    )
    assert unknown_participant.status_code == 404
    as_partner = await scenario.partner("care-a").post("/referrals", json=body)
    assert as_partner.status_code == 403

    sent = await caseworker.post("/referrals", json=body)
    assert sent.status_code == 201, sent.text
    assert sent.json()["referral"]["partner_id"] == "care-a"
    await scenario.emitted("referral-requested", participant_ref=ref)


async def test_an_unanswered_referral_escalates_on_the_simulated_clock(scenario: Scenario):
    # Routine referrals: the settings' answer time (3 days here) and repeat (2 days); the
    # more urgent ones have their own (tests/support/integration/test_urgency.py).
    await scenario.setup()
    _, requested = await referred(scenario, urgency=Urgency.ROUTINE)
    rid = requested["data"]["referral_id"]
    _, answered = await referred(scenario, urgency=Urgency.ROUTINE)
    accepted = await scenario.partner("care-a").post(
        f"/referrals/{answered['data']['referral_id']}/accept"
    )
    assert accepted.status_code == 200

    await scenario.runtime.advance_clock(timedelta(days=2, hours=23))
    assert not scenario.seen.of_type("nl.zroute.support.referral-escalated.v1")
    await scenario.runtime.advance_clock(timedelta(hours=2))
    [first] = await scenario.emitted("referral-escalated", referral_id=rid)
    assert first["data"]["level"] == 1 and first["data"]["status"] == "requested"
    await scenario.runtime.advance_clock(timedelta(days=2))
    await scenario.emitted("referral-escalated", 2, referral_id=rid)
    await scenario.runtime.advance_clock(timedelta(days=10))  # at most two levels (settings)
    escalated = scenario.seen.of_type("nl.zroute.support.referral-escalated.v1")
    assert sorted(e["data"]["level"] for e in escalated) == [1, 2]
    assert {e["data"]["referral_id"] for e in escalated} == {rid}


async def test_withdrawn_consent_cancels_open_referrals_at_once_and_tells_the_partner(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    await scenario.feed(signals(ref, signal(consent_id), signal(consent_id)))
    requested = await scenario.emitted("referral-requested", 2, participant_ref=ref)
    first = requested[0]["data"]["referral_id"]
    care_a = scenario.partner("care-a")
    assert (await care_a.post(f"/referrals/{first}/accept")).status_code == 200

    await scenario.feed(
        ConsentWithdrawn(
            participant_ref=ref,
            programme_id=PROGRAMME,
            consent_id=consent_id,
            purpose=ConsentPurpose.CARE_REFERRAL,
            withdrawn_on=date(2027, 1, 5),
        )
    )
    cancelled = await scenario.emitted("referral-cancelled", 2, participant_ref=ref)
    assert {c["data"]["reason"] for c in cancelled} == {"consent_withdrawn"}
    assert scenario.seen.routing_keys().count("support.referral.cancelled.care-a") == 2
    listed = (await care_a.get("/referrals")).json()
    assert {r["status"] for r in listed if r["participant_ref"] == ref} == {"cancelled"}
    late = await care_a.post(f"/referrals/{first}/start")
    assert late.status_code == 409
    assert_no_health_detail_on_public_events(scenario.seen)


async def test_a_partner_at_capacity_gets_no_new_referrals_and_the_rest_waits(scenario):
    await scenario.setup(
        capacity={"care-a": {"mental_health_care": 1}, "care-b": {"mental_health_care": 1}}
    )
    _, to_a = await referred(scenario, "care-a")
    await referred(scenario, "care-b")
    ref = await scenario.participant()
    await scenario.feed(signals(ref, signal(await scenario.consent(ref))))
    waiting = (await scenario.client().get("/waiting-list")).json()
    [entry] = [w for w in waiting if w["participant_ref"] == ref]
    assert entry["reason"] == "every partner with mental_health_care is at capacity"

    care_a = scenario.partner("care-a")
    rid = to_a["data"]["referral_id"]
    assert (await care_a.post(f"/referrals/{rid}/accept")).status_code == 200
    failed = await care_a.post(f"/referrals/{rid}/fail", json={"reason": "participant_unreachable"})
    assert failed.status_code == 200, failed.text
    [handed_out] = await scenario.emitted("referral-requested", participant_ref=ref)
    assert handed_out["data"]["partner_id"] == "care-a"
    assert not [w for w in (await scenario.client().get("/waiting-list")).json()
                if w["participant_ref"] == ref]  # fmt: skip


async def test_the_same_signal_set_recorded_again_refers_once(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    event = signals(ref, signal(consent_id))
    first = await scenario.publish(event)
    await scenario.handled(first)
    await scenario.feed(event)  # the complete set again, as a new event
    await scenario.emitted("referral-requested", participant_ref=ref)
    count = await scenario.runtime.pool.fetchval(
        "SELECT count(*) FROM support_referrals WHERE participant_ref = $1", ref
    )
    assert count == 1


async def test_two_referrals_at_once_never_overfill_a_partner(scenario: Scenario):
    await scenario.setup(
        capacity={"care-a": {"mental_health_care": 1}, "care-b": {"mental_health_care": 1}}
    )
    caseworker = scenario.client(Role.CASEWORKER)
    bodies = []
    for _ in range(3):
        ref = await scenario.participant()
        bodies.append({"participant_ref": ref, "category": "mental_health_care",
                       "severity": "light", "consent_id": str(await scenario.consent(ref))})  # fmt: skip
    responses = await asyncio.gather(*(caseworker.post("/referrals", json=b) for b in bodies))
    assert sorted(r.status_code for r in responses) == [201, 201, 202]
    partners = sorted(r.json()["referral"]["partner_id"] for r in responses if r.status_code == 201)
    assert partners == ["care-a", "care-b"]
