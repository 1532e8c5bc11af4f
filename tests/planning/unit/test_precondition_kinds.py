"""Issue 17 item 8: precondition kinds are configurable data. A configured kind
(digital_device) that intake's outcome needs holds the plan until support arranges it,
and its lapse pauses the plan, the same way as childcare and transport."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from zroute_contract.events.codes import PreconditionKind
from zroute_contract.events.support import PreconditionArranged, PreconditionLapsed
from zroute_planning.domain.plan import PlanStatus
from zroute_planning.service_layer.handlers import intake as intake_handlers
from zroute_planning.service_layer.handlers import support

from tests.planning.events import TODAY, arranged, intake_completed, lapsed, pip_established
from tests.planning.unit.fakes import planning_uow
from tests.planning.unit.test_handlers import _handle

DEVICE = "digital_device"


def _needs_a_device():
    intake = intake_completed()
    return intake.model_copy(update={"other_preconditions": (DEVICE,)})


def _device(ref: str, precondition_id=None) -> PreconditionArranged:
    event = arranged(ref, PreconditionKind.CHILDCARE, precondition_id)
    return event.model_copy(update={"kind": PreconditionKind.OTHER, "code": DEVICE})


async def _activate(intake, uow) -> None:
    await _handle(intake_handlers.activate_plan, intake, uow)
    await _handle(
        intake_handlers.activate_from_pip,
        pip_established(intake.participant_ref, route=intake.route),
        uow,
    )


async def test_a_configured_kind_holds_the_plan_until_support_arranges_it():
    uow = planning_uow()
    intake = _needs_a_device()
    await _activate(intake, uow)
    plan = await uow.plans.get(intake.participant_ref)
    assert plan is not None
    assert plan.status is PlanStatus.WAITING and plan.start_on is None
    activated = uow.events[0]
    assert activated.waiting_for == (PreconditionKind.OTHER,)
    assert activated.waiting_for_codes == (DEVICE,)

    await _handle(support.precondition_arranged, _device(intake.participant_ref), uow)
    assert plan.status is PlanStatus.ACTIVE and plan.start_on is not None
    assert plan.missing == ()


async def test_an_arranged_childcare_does_not_stand_in_for_a_configured_kind():
    uow = planning_uow()
    intake = _needs_a_device()
    await _activate(intake, uow)
    plan = await uow.plans.get(intake.participant_ref)
    await _handle(
        support.precondition_arranged,
        arranged(intake.participant_ref, PreconditionKind.CHILDCARE),
        uow,
    )
    assert plan.status is PlanStatus.WAITING and plan.missing == (DEVICE,)


async def test_a_lapsed_configured_kind_pauses_the_plan_and_names_its_code():
    uow = planning_uow()
    intake = _needs_a_device()
    await _activate(intake, uow)
    plan = await uow.plans.get(intake.participant_ref)
    device = _device(intake.participant_ref)
    await _handle(support.precondition_arranged, device, uow)
    assert plan.status is PlanStatus.ACTIVE
    gone = lapsed(intake.participant_ref, PreconditionKind.CHILDCARE, device.precondition_id, TODAY)
    gone = gone.model_copy(update={"kind": PreconditionKind.OTHER, "code": DEVICE})
    await _handle(support.precondition_lapsed, gone, uow)
    assert plan.status is PlanStatus.PAUSED
    [paused] = [e for e in uow.events if type(e).__name__ == "PlanPaused"]
    assert paused.preconditions == (PreconditionKind.OTHER,)
    assert paused.precondition_codes == (DEVICE,)


def test_kind_and_code_must_agree_on_the_bus():
    ref = intake_completed().participant_ref
    base = arranged(ref, PreconditionKind.CHILDCARE).model_dump()
    with pytest.raises(ValidationError):
        PreconditionArranged.model_validate({**base, "kind": "other"})
    with pytest.raises(ValidationError):
        PreconditionArranged.model_validate({**base, "kind": "childcare", "code": DEVICE})
    with pytest.raises(ValidationError):
        PreconditionLapsed.model_validate(
            {**lapsed(ref, PreconditionKind.OTHER, base["precondition_id"], TODAY).model_dump()}
        )
    ok = PreconditionArranged.model_validate({**base, "kind": "other", "code": DEVICE})
    assert ok.precondition_code == DEVICE
    assert arranged(ref, PreconditionKind.TRANSPORT).precondition_code == "transport"
