"""Urgency that counts (issue 17), against the real broker and database: an urgent
referral gets its own, shorter answer deadline and escalates on its own rhythm, and on the
waiting list it is served before a routine one that has waited longer."""

from __future__ import annotations

from datetime import datetime, timedelta

from zroute_runtime.auth import Role

from tests.helpers import wait_for
from tests.support.scenario import Scenario


async def _request(scenario: Scenario, urgency: str):
    ref = await scenario.participant()
    body = {
        "participant_ref": ref,
        "category": "mental_health_care",
        "severity": "moderate",
        "urgency": urgency,
        "consent_id": str(await scenario.consent(ref)),
    }
    return ref, await scenario.client(Role.CASEWORKER).post("/referrals", json=body)


def _due(event: dict) -> timedelta:
    requested = datetime.fromisoformat(event["time"])
    return datetime.fromisoformat(event["data"]["answer_due_by"]) - requested


async def test_an_urgent_referral_gets_the_shorter_deadline_and_escalates_first(scenario):
    await scenario.setup()
    routine_ref, routine = await _request(scenario, "routine")
    urgent_ref, urgent = await _request(scenario, "urgent")
    assert routine.status_code == urgent.status_code == 201, routine.text + urgent.text
    [routine_event] = await scenario.emitted("referral-requested", participant_ref=routine_ref)
    [urgent_event] = await scenario.emitted("referral-requested", participant_ref=urgent_ref)
    assert _due(routine_event) == timedelta(days=3)  # the routine setting (tests/support)
    assert _due(urgent_event) == timedelta(days=2)  # urgent's default

    await scenario.runtime.advance_clock(timedelta(days=2, hours=1))
    urgent_id = urgent_event["data"]["referral_id"]
    [first] = await scenario.emitted("referral-escalated", referral_id=urgent_id)
    assert first["data"]["level"] == 1
    routine_id = routine_event["data"]["referral_id"]
    escalated = scenario.seen.of_type("nl.zroute.support.referral-escalated.v1")
    assert routine_id not in {e["data"]["referral_id"] for e in escalated}


async def test_an_urgent_referral_overtakes_a_routine_one_on_the_waiting_list(scenario):
    await scenario.setup(
        capacity={"care-a": {"mental_health_care": 1}, "care-b": {"mental_health_care": 1}}
    )
    taken = [await _request(scenario, "routine") for _ in range(2)]
    assert [r.status_code for _, r in taken] == [201, 201]
    routine_ref, routine = await _request(scenario, "routine")
    await scenario.runtime.advance_clock(timedelta(hours=1))
    urgent_ref, urgent = await _request(scenario, "urgent")
    assert routine.status_code == urgent.status_code == 202

    waiting = (await scenario.client().get("/waiting-list")).json()
    order = [w["participant_ref"] for w in waiting if w["kind"] == "referral"]
    assert order == [urgent_ref, routine_ref]
    assert [w["urgency"] for w in waiting if w["kind"] == "referral"] == ["urgent", "routine"]

    # The first care partner's place frees: the urgent referral takes it.
    freed = taken[0][1].json()["referral"]
    cancelled = await scenario.client(Role.CASEWORKER).post(
        f"/referrals/{freed['referral_id']}/cancel", json={"reason": "referrer_cancelled"}
    )
    assert cancelled.status_code == 200, cancelled.text
    [handed_out] = await scenario.emitted("referral-requested", participant_ref=urgent_ref)
    assert handed_out["data"]["partner_id"] == freed["partner_id"]

    async def routine_still_waits() -> bool:
        left = (await scenario.client().get("/waiting-list")).json()
        return [w["participant_ref"] for w in left if w["kind"] == "referral"] == [routine_ref]

    await wait_for(routine_still_waits, what="the routine referral still waiting")
