"""The published week's own timer: a new ramp-up phase starts (``plan-phase``); a planner
sets one participant's ramp-up pace."""

from __future__ import annotations

from datetime import date

from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_planning.domain.commands import SetRampUp
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.ramp_up import check_pace
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


async def set_ramp_up(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, cmd: SetRampUp, *, on: date
) -> None:
    """Set the participant's own ramp-up pace (the deployment's profile stays the default):
    the phase timers are re-planned and, for a started plan, the current week published
    again (issue 16 item 7)."""
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    check_pace(cmd.pace_percent)
    if not cmd.reason.strip():
        raise InvalidRequest("a changed ramp-up says why")
    await uow.records.set_ramp_up_pace(
        plan.participant_ref, cmd.pace_percent, reason=cmd.reason.strip(), by=cmd.by, at=cmd.at
    )
    log.info("ramp_up_set", participant_ref=plan.participant_ref, pace_percent=cmd.pace_percent)
    if plan.status is not PlanStatus.ACTIVE or plan.start_on is None:
        return  # a waiting or paused plan takes its pace when it (re)starts
    for number in range(2, len(deps.rules.phases) + 1):
        await uow.timers.cancel(kind=scheduling.PHASE, key=f"{plan.plan_id}:{number}")
    projection = await scheduling.projection(uow, deps, plan, on)
    await scheduling.plan_timers(uow, deps, plan, on, projection)
    if week := await scheduling.publish_schedule(uow, deps, plan, on):
        plan.record(week)
