"""Handlers of intake events: activation (L12), corrections, withdrawal.

Each is ``handler(event, ctx, deps)``; ``bootstrap`` binds ``deps``. They run in the
consumer's unit of work (state, inbox row and emitted events commit together).
"""

from __future__ import annotations

from zroute_contract.events.codes import (
    GroupChangeReason,
    PlacementCancelReason,
    Route,
    WaitReason,
)
from zroute_contract.events.intake import IntakeCompleted, IntakeCorrected, ParticipantWithdrawn
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.service_layer import lifecycle, placements, scheduling
from zroute_planning.service_layer.deps import Deps, today


async def activate_plan(event: IntakeCompleted, ctx: HandlerContext, deps: Deps) -> None:
    """A completed Z-route intake activates a plan (other routes are not ours)."""
    if event.route is not Route.Z_ROUTE:
        return
    uow = ctx.uow
    repo = uow.plans
    if await repo.get(event.participant_ref) is not None:
        return  # a repeated completion: the plan stands; corrections come as intake-corrected
    now = today(uow.clock.now())
    await uow.records.record_participant(
        event.participant_ref, event.programme_id, event.municipality
    )
    arranged = await uow.records.arranged_kinds(event.participant_ref)
    plan = Plan.activate(
        event, deps.rules, today=now, term_start=event.completed_on, arranged=arranged
    )
    await repo.save(plan)
    fits = (await scheduling.projection(uow, deps, plan, now)).fits
    uow.emit(plan.activated_event(deps.rules, fits))
    if plan.status is PlanStatus.ACTIVE:
        await lifecycle.started(uow, deps, plan, now)
    else:
        await lifecycle.wait_for_preconditions(uow, plan, now)
    await repo.save(plan)


async def correct_intake(event: IntakeCorrected, ctx: HandlerContext, deps: Deps) -> None:
    """Take the corrected outcome; leave a group whose band or slots no longer fit.

    A Z-route correction with no plan came before the intake-completed it corrects (that
    one is in a retry queue): it waits for it rather than being lost."""
    uow = ctx.uow
    plan = await uow.plans.get(event.participant_ref)
    if plan is None and event.route is Route.Z_ROUTE:
        raise AwaitingPredecessor(f"no plan yet for participant {event.participant_ref}")
    if plan is None or not plan.is_open:
        return
    now = today(uow.clock.now())
    plan.correct(event, deps.rules)
    group = await uow.groups.current_group(plan.participant_ref)
    if group is not None and group.level_band != plan.level_band:
        await lifecycle.leave_group(uow, plan, now, GroupChangeReason.LEVEL_CHANGED)
    elif group is not None and not set(group.slots) <= plan.availability:
        await lifecycle.leave_group(uow, plan, now, GroupChangeReason.REPLANNED)
    if plan.close_gate(now):
        await lifecycle.paused(uow, plan, now)
    elif plan.open_gate(now, deps.rules):
        await lifecycle.gate_opened(uow, deps, plan, now)
    else:
        if group is not None and plan.status is PlanStatus.ACTIVE:
            left = await uow.groups.current_group(plan.participant_ref) is None
            if left:
                await lifecycle.wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, now)
        await scheduling.publish_schedule(uow, deps, plan, now)
    await uow.plans.save(plan)


async def withdraw(event: ParticipantWithdrawn, ctx: HandlerContext, deps: Deps) -> None:
    """Withdrawal ends the plan: out of the group and the waiting list, timers stopped,
    open placement requests cancelled."""
    uow = ctx.uow
    if not await uow.records.participant_known(event.participant_ref):
        raise AwaitingPredecessor(f"unknown participant {event.participant_ref}")
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        return  # withdrawn before a Z-route plan: nothing to end
    now = today(uow.clock.now())
    plan.withdraw()
    await lifecycle.leave_group(uow, plan, now, GroupChangeReason.WITHDRAWN)
    await uow.groups.clear_waiting(plan.participant_ref)
    await scheduling.stop_timers(uow, deps, plan)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PARTICIPANT_WITHDRAWN)
    await uow.plans.save(plan)
