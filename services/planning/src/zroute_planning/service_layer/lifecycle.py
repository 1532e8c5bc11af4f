"""What follows a plan starting, resuming, pausing or leaving a group: shared by the
event handlers and the HTTP commands."""

from __future__ import annotations

from datetime import date

from zroute_contract.events.codes import GroupChangeReason, PlacementCancelReason, WaitReason
from zroute_contract.events.planning import ParticipantRemovedFromGroup, ParticipantWaitlisted
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer import placements, scheduling
from zroute_planning.service_layer.deps import Deps


def flush(uow: UnitOfWork, plan: Plan) -> None:
    """Emit what the plan recorded now, so events keep the order things happened in."""
    while plan.events:
        uow.emit(plan.events.pop(0))


async def started(uow: UnitOfWork, deps: Deps, plan: Plan, now: date) -> None:
    """A plan got its start (or resumed): timers, the schedule, the workplace request."""
    flush(uow, plan)
    await scheduling.plan_timers(uow, deps, plan, now)
    await wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, now)
    await scheduling.publish_schedule(uow, deps, plan, now)
    if not await placements.has_open_or_confirmed(uow, plan):
        await placements.request_for_workplace_phase(uow, deps, plan, now)


async def paused(uow: UnitOfWork, plan: Plan, now: date) -> None:
    """A paused plan frees its group seat, waits for its preconditions, and withdraws
    open placement requests (re-requested on resume)."""
    await leave_group(uow, plan, now, GroupChangeReason.PAUSED)
    await wait_for_preconditions(uow, plan, now)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PLAN_PAUSED)


async def wait_for_preconditions(uow: UnitOfWork, plan: Plan, now: date) -> None:
    await wait(uow, plan, WaitReason.PRECONDITION_MISSING, now)


async def wait(uow: UnitOfWork, plan: Plan, reason: WaitReason, now: date) -> None:
    """Put the participant on the waiting list; tell when they were not on it for this
    reason already."""
    if await uow.groups.set_waiting(
        plan.participant_ref,
        plan.programme_id,
        plan.level_band.value,
        reason.value,
        now,
    ):
        uow.emit(
            ParticipantWaitlisted(
                participant_ref=plan.participant_ref,
                programme_id=plan.programme_id,
                level_band=plan.level_band,
                reason=reason,
                since=await uow.groups.waiting_since(plan.participant_ref) or now,
            )
        )


async def leave_group(uow: UnitOfWork, plan: Plan, now: date, reason: GroupChangeReason) -> None:
    flush(uow, plan)
    group_id = await uow.groups.remove_member(plan.participant_ref, now, reason.value)
    if group_id is not None:
        uow.emit(
            ParticipantRemovedFromGroup(
                participant_ref=plan.participant_ref,
                programme_id=plan.programme_id,
                group_id=group_id,
                removed_from=now,
                reason=reason,
            )
        )


async def gate_opened(uow: UnitOfWork, deps: Deps, plan: Plan, now: date) -> None:
    """After a start or a resume: timers, waiting for a group, the schedule, and the
    workplace request unless one is open or confirmed."""
    await started(uow, deps, plan, now)
