"""The published week's own timer: a new ramp-up phase starts (``plan-phase``)."""

from __future__ import annotations

from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def on_phase_timer(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """A new ramp-up phase starts: publish its week."""
    plan = await uow.plans.get(timer.payload["participant_ref"], lock=False)
    if plan is None:
        return
    if week := await scheduling.publish_schedule(uow, deps, plan, today(uow.clock.now())):
        plan.record(week)
    log.info("phase_started", participant_ref=plan.participant_ref, phase=timer.payload["phase"])
