"""Issue 17: every referral transition and every arrangement records the acting user
(the token's subject), or ``system`` for what the service does itself; before, the
referral history had no actor and an arrangement named only the partner."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from zroute_contract.events.codes import Weekday
from zroute_runtime.auth import Role

from tests.support.integration.test_preconditions import childcare_task, intake, schedule
from tests.support.scenario import Scenario


async def _history(scenario: Scenario, referral_id: str) -> list[tuple[str, str]]:
    rows = await scenario.runtime.pool.fetch(
        "SELECT status, recorded_by FROM support_referral_history WHERE referral_id = $1"
        " ORDER BY id",
        UUID(referral_id),
    )
    return [(r["status"], r["recorded_by"]) for r in rows]


async def test_each_referral_transition_records_who_made_it(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    consent_id = await scenario.consent(ref)
    caseworker = scenario.client(Role.CASEWORKER, subject="cw-anna")
    made = await caseworker.post(
        "/referrals",
        json={"participant_ref": ref, "category": "mental_health_care",
              "severity": "moderate", "consent_id": str(consent_id)},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    referral_id = made.json()["referral"]["referral_id"]
    care = scenario.partner("care-a", subject="care-bob")
    assert (await care.post(f"/referrals/{referral_id}/accept")).status_code == 200
    assert (await care.post(f"/referrals/{referral_id}/start")).status_code == 200
    coordinator = scenario.client(subject="co-carla")
    moved = await coordinator.post(
        f"/referrals/{referral_id}/reassign",
        json={"partner_id": "care-b", "reason": "expertise"},
    )
    assert moved.status_code == 200, moved.text
    assert await _history(scenario, referral_id) == [
        ("requested", "cw-anna"),
        ("accepted", "care-bob"),
        ("in-progress", "care-bob"),
        ("cancelled", "co-carla"),
    ]
    assert await _history(scenario, moved.json()["referral_id"]) == [("requested", "co-carla")]


async def test_an_arrangement_and_its_lapse_record_who_and_when(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    task = await childcare_task(scenario, ref)
    kids = scenario.partner("kids", subject="kids-dora")
    arranged = await kids.post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-18", "days_covered": ["monday"]},
    )
    assert arranged.status_code == 200, arranged.text
    body = arranged.json()
    assert body["recorded_by"] == "kids-dora" and body["recorded_at"]

    await scenario.runtime.advance_clock(timedelta(hours=1))
    await scenario.feed(schedule(ref, Weekday.MONDAY, Weekday.FRIDAY))
    await scenario.emitted("precondition-lapsed", participant_ref=ref)
    lapsed = await childcare_task(scenario, ref)
    assert lapsed["status"] == "lapsed" and lapsed["recorded_by"] == "system"
