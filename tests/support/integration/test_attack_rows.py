"""Attacks of issue 12 on support, replayed over HTTP against the running service.

Row 4: a precondition of a GM0363 participant could be arranged by a partner that serves
only GM0599, whose staff could then list and lapse it. A partner now arranges only for
participants of a municipality it serves.

Row 6: a manual referral for physical care or debt help was accepted under a consent that
covers only a mental-health signal. The contract's one consent rule now holds it to the
categories of the signals the consent names.

Row 5: the operator, documented as read-only, lapsed and arranged preconditions, confirmed
and declined placements and swapped job coaches; caseworkers arranged childcare and
recorded job-coach check-ins. The access matrix now refuses all of it with 403, and the
partner the record is addressed to still can.
"""

from __future__ import annotations

import uuid

from zroute_runtime.auth import Role

from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.integration.test_preconditions import childcare_task, intake
from tests.support.integration.test_referrals import signal, signals
from tests.support.scenario import Scenario

ARRANGE = {"arranged_from": "2027-01-04", "days_covered": ["monday"]}
CHECK_IN = {"party": "participant", "held_on": "2027-03-08", "outcome": "on_track"}


async def test_row5_the_operator_and_caseworkers_cannot_act_on_preconditions_or_placements(
    scenario: Scenario,
):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    task = await childcare_task(scenario, ref)
    pid = task["precondition_id"]
    request = requested(ref)
    await scenario.feed(request)
    rid = request.placement_request_id
    operator, caseworker = scenario.client(Role.OPERATOR), scenario.client(Role.CASEWORKER)
    outbox_before = await scenario.runtime.pool.fetchval("SELECT count(*) FROM zr_outbox")

    refused = [
        await operator.post(f"/preconditions/{pid}/arrange", json=ARRANGE),
        await operator.post(f"/preconditions/{pid}/lapse", json={"reason": "ended"}),
        await operator.post(f"/placements/{rid}/confirm", json=CONFIRM),
        await operator.post(f"/placements/{rid}/decline", json={"reason": "no_capacity"}),
        await operator.post(f"/placements/{rid}/job-coach", json={"staff_ref": "coach-9"}),
        await caseworker.post(f"/preconditions/{pid}/arrange", json=ARRANGE),
        await caseworker.post(f"/placements/{rid}/check-ins", json=CHECK_IN),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused), [r.text for r in refused]
    assert all("requires role" in r.json()["error"] for r in refused)
    assert await scenario.runtime.pool.fetchval("SELECT count(*) FROM zr_outbox") == outbox_before
    assert (await operator.get(f"/placements/{rid}")).status_code == 200  # reading stays open

    arranged = await scenario.partner("kids").post(f"/preconditions/{pid}/arrange", json=ARRANGE)
    assert arranged.status_code == 200, arranged.text
    confirmed = await scenario.partner("work-a").post(f"/placements/{rid}/confirm", json=CONFIRM)
    assert confirmed.status_code == 200, confirmed.text


async def test_row6_a_manual_referral_needs_a_consent_covering_its_category(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    mental = uuid.uuid4()
    await scenario.feed(signals(ref, signal(None, mental)))  # a mental-health signal
    consent = await scenario.consent(ref, (mental,))
    await scenario.emitted("referral-requested", participant_ref=ref)  # the signal's own
    caseworker = scenario.client(Role.CASEWORKER)
    body = {"participant_ref": ref, "severity": "light", "consent_id": str(consent)}
    for category in ("physical_care", "debt_finance"):
        refused = await caseworker.post("/referrals", json=body | {"category": category})
        assert refused.status_code == 422, refused.text
        assert "covers this category" in refused.json()["error"]
    covered = await caseworker.post("/referrals", json=body | {"category": "mental_health_care"})
    assert covered.status_code in (201, 202), covered.text
    assert (
        await scenario.runtime.pool.fetchval(
            "SELECT count(*) FROM support_referrals WHERE participant_ref = $1"
            " AND category <> 'mental_health_care'",
            ref,
        )
        == 0
    )


async def test_row4_a_partner_of_another_municipality_cannot_arrange_a_precondition(
    scenario: Scenario,
):
    await scenario.setup()
    registered = await scenario.client().post(
        "/partners",
        json={
            "partner_id": "kids-ede",
            "organisation": "Kinderopvang Ede",
            "municipalities": ["GM0228"],
            "capabilities": ["childcare"],
            "capacity": {},
            "contact_points": [{"channel": "email", "address": "desk@kids-ede.example"}],
        },
    )
    assert registered.status_code == 201, registered.text
    ref = await scenario.participant()  # of GM0363
    await scenario.feed(intake(ref, childcare=True, transport=False))
    task = await childcare_task(scenario, ref)
    url = f"/preconditions/{task['precondition_id']}/arrange"

    named = await scenario.client(Role.COORDINATOR).post(
        url, json=ARRANGE | {"partner_id": "kids-ede"}
    )
    assert named.status_code == 422, named.text
    assert "does not serve" in named.json()["error"]
    ede = scenario.partner("kids-ede")
    assert (await ede.post(url, json=ARRANGE)).status_code == 403
    assert [
        p for p in (await ede.get("/preconditions")).json() if p["participant_ref"] == ref
    ] == []
    lapse = await ede.post(
        f"/preconditions/{task['precondition_id']}/lapse",
        json={"reason": "partner_stopped", "lapsed_on": "2027-01-05"},
    )
    assert lapse.status_code == 403
    assert (await childcare_task(scenario, ref))["status"] == "needed"
