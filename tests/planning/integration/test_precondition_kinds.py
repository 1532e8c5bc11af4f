"""Issue 17 item 8 through the real broker and database: a configured precondition kind
(digital_device) that intake's outcome needs holds the plan until support arranges it."""

from __future__ import annotations

from datetime import timedelta

from zroute_contract.events.codes import PreconditionKind

from tests.planning.integration.conftest import SUPPORT, TODAY, arranged, intake_completed

DEVICE = "digital_device"


async def test_a_configured_kind_holds_the_plan_until_support_arranges_it(planning):
    intake = intake_completed(childcare=True).model_copy(update={"other_preconditions": (DEVICE,)})
    ref = intake.participant_ref
    await planning.activate(intake)
    [activated] = await planning.expect("plan-activated", ref)
    assert activated["data"].get("start_on") is None
    assert sorted(activated["data"]["waiting_for"]) == ["childcare", "other"]
    assert sorted(activated["data"]["waiting_for_codes"]) == ["childcare", DEVICE]

    await planning.feed(arranged(ref, PreconditionKind.CHILDCARE), source=SUPPORT)
    await planning.barrier()
    assert planning.events("plan-start-scheduled", ref) == []
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["waiting_for"] == [DEVICE] and plan["start_on"] is None

    device = arranged(ref, PreconditionKind.CHILDCARE).model_copy(
        update={"kind": PreconditionKind.OTHER, "code": DEVICE}
    )
    await planning.feed(device, source=SUPPORT)
    [started] = await planning.expect("plan-start-scheduled", ref)
    assert started["data"]["start_on"] == str(TODAY + timedelta(days=14))
