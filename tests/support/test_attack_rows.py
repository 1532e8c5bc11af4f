"""Attacks of issue 12 on support, replayed over HTTP against the running service.

Row 5: the operator, documented as read-only, lapsed and arranged preconditions, confirmed
and declined placements and swapped job coaches; caseworkers arranged childcare and
recorded job-coach check-ins. The access matrix now refuses all of it with 403, and the
partner the record is addressed to still can.
"""

from __future__ import annotations

from zroute_runtime.auth import Role

from tests.support.scenario import Scenario
from tests.support.test_placements import CONFIRM, requested
from tests.support.test_preconditions import childcare_task, intake

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
