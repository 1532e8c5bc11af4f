"""What follows a plan starting, resuming, pausing or leaving a group: the steps the intake
and support handlers share. Each records its events on the plan (``plan.record``), so they
come out in the order things happened; the caller saves the plan once."""

from __future__ import annotations

from datetime import date

from zroute_contract.events.codes import GroupChangeReason, PlacementCancelReason, WaitReason
from zroute_runtime.logging import get_logger

from zroute_planning.domain import plan_events
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.projection import Projection
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import placements
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def started(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date, projection: Projection
) -> None:
    """A plan got its start (or resumed), its projection already assessed: timers, waiting
    for a group, the week, and the workplace request unless one is open or confirmed."""
    await scheduling.plan_timers(uow, deps, plan, today, projection)
    await wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, today)
    if (week := await scheduling.publish_schedule(uow, deps, plan, today)) is not None:
        plan.record(week)
    if not await uow.placements.has_open_or_confirmed(plan.participant_ref):
        await placements.request_for_workplace_phase(uow, deps, plan, today)
    log.info("plan_started", participant_ref=plan.participant_ref, start_on=plan.start_on)


async def paused(uow: PlanningUnitOfWork, plan: Plan, today: date) -> None:
    """A paused plan frees its group seat, waits for its preconditions, and withdraws
    open placement requests (re-requested on resume)."""
    await leave_group(uow, plan, today, GroupChangeReason.PAUSED)
    await wait(uow, plan, WaitReason.PRECONDITION_MISSING, today)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PLAN_PAUSED)
    log.info("plan_paused", participant_ref=plan.participant_ref, missing=list(plan.missing))


async def wait(uow: PlanningUnitOfWork, plan: Plan, reason: WaitReason, today: date) -> None:
    """Put the participant on the waiting list; tell when they were not on it for this
    reason already."""
    changed = await uow.groups.set_waiting(
        plan.participant_ref, plan.programme_id, plan.level_band.value, reason.value, today
    )
    if changed:
        since = await uow.groups.waiting_since(plan.participant_ref) or today
        plan.record(plan_events.waitlisted(plan, reason, since))
        log.info("participant_waitlisted", participant_ref=plan.participant_ref, reason=reason)


async def leave_group(
    uow: PlanningUnitOfWork, plan: Plan, today: date, reason: GroupChangeReason
) -> None:
    """End the participant's group membership, if any, for ``reason``."""
    group_id = await uow.groups.remove_member(plan.participant_ref, today, reason.value)
    if group_id is not None:
        plan.record(plan_events.removed_from_group(plan, group_id, today, reason))
        log.info(
            "participant_left_group",
            participant_ref=plan.participant_ref,
            group_id=group_id,
            reason=reason,
        )
