"""Handlers of the planning events support consumes."""

from __future__ import annotations

from zroute_contract.events.planning import (
    GroupFormed,
    ParticipantAssignedToGroup,
    ParticipantRemovedFromGroup,
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
    RouteCompleted,
    SchedulePublished,
)
from zroute_runtime.clock import local_day
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_support.domain.preconditions import WEEK
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import placements, preconditions
from zroute_support.service_layer.handlers.intake import end_participation, known_participant
from zroute_support.service_layer.handlers.waiting import dispatch_waiting


async def request_placement(event: PlacementRequested, ctx: HandlerContext) -> None:
    await known_participant(ctx, event.participant_ref)
    await placements.open_request(ctx.uow, event)


async def cancel_placement(event: PlacementCancelled, ctx: HandlerContext, *, deps: Deps) -> None:
    await known_participant(ctx, event.participant_ref)
    repo = ctx.uow.placements
    placement = await repo.get(event.placement_request_id)
    if placement is None:
        # Every request is kept here, routed or not: placement-requested is on its way.
        raise AwaitingPredecessor(f"unknown placement request {event.placement_request_id}")
    placement.cancel()
    await repo.save(placement, ctx.uow.clock.now())
    await dispatch_waiting(ctx.uow, deps)


async def escalate_placement(event: PlacementEscalated, ctx: HandlerContext) -> None:
    """Planning's lead time ran out: the request goes in front of the coordinator."""
    await known_participant(ctx, event.participant_ref)
    repo = ctx.uow.placements
    placement = await repo.get(event.placement_request_id)
    if placement is None:
        raise AwaitingPredecessor(f"unknown placement request {event.placement_request_id}")
    # A workplace that starts after the day needed, or a replacement that has not started,
    # keeps the escalation open (issue 17).
    if placement.escalation_open:
        placement.escalation_level = max(placement.escalation_level, event.level)
        await repo.save(placement, ctx.uow.clock.now())


async def record_schedule(event: SchedulePublished, ctx: HandlerContext) -> None:
    """Arrangements must cover every scheduled weekday, or they lapse for planning."""
    await known_participant(ctx, event.participant_ref)
    weekdays = tuple(day for day in WEEK if any(s.weekday is day for s in event.sessions))
    await ctx.uow.participants.set_schedule(
        event.participant_ref, event.plan_id, event.valid_from, list(weekdays)
    )
    effective = max(event.valid_from, local_day(ctx.uow.clock.now()))
    await preconditions.check_schedule(ctx.uow, event.participant_ref, weekdays, effective)


async def record_group(event: GroupFormed, ctx: HandlerContext) -> None:
    """A group's weekdays are the days its members' schedules will have: childcare and
    transport arranged before the schedule is published are checked against them."""
    weekdays = [day for day in WEEK if any(s.weekday is day for s in event.sessions)]
    await ctx.uow.participants.record_group(event.group_id, weekdays, event.starts_on)
    for member in event.members:
        await ctx.uow.participants.plan_days(member, event.group_id, event.starts_on)


async def join_group(event: ParticipantAssignedToGroup, ctx: HandlerContext) -> None:
    """A participant joined a group (at formation or later): its days are the ones to come.
    A group support has not seen formed yet is named by its group-formed, members included."""
    await ctx.uow.participants.plan_days(event.participant_ref, event.group_id, event.assigned_from)


async def leave_group(event: ParticipantRemovedFromGroup, ctx: HandlerContext) -> None:
    """A participant left a group: its days are no longer the ones to come."""
    await ctx.uow.participants.unplan_days(event.participant_ref, event.group_id)


async def complete_route(event: RouteCompleted, ctx: HandlerContext) -> None:
    """The route ended: preconditions and job coaching end with it."""
    await known_participant(ctx, event.participant_ref)
    await end_participation(ctx, event.participant_ref, completed=True)
