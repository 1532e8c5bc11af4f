"""Handlers of the planning events support consumes."""

from __future__ import annotations

from zroute_contract.events.base import Event
from zroute_contract.events.planning import (
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
    RouteCompleted,
    SchedulePublished,
)
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_support.adapters.participants_repo import ParticipantRepository
from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.domain.placements import PlacementStatus
from zroute_support.domain.preconditions import WEEK
from zroute_support.service_layer import placements, preconditions
from zroute_support.service_layer.intake_handlers import end_participation, known_participant
from zroute_support.service_layer.rules import Rules, local_date
from zroute_support.service_layer.waiting import dispatch_waiting


async def request_placement(event: PlacementRequested, ctx: HandlerContext) -> None:
    await known_participant(ctx, event.participant_ref)
    await placements.open_request(ctx.uow, event)


async def cancel_placement(event: PlacementCancelled, ctx: HandlerContext, *, rules: Rules) -> None:
    await known_participant(ctx, event.participant_ref)
    repo = PlacementRepository(ctx.uow.conn)
    placement = await repo.get(event.placement_request_id)
    if placement is None:
        # Every request is kept here, routed or not: placement-requested is on its way.
        raise AwaitingPredecessor(f"unknown placement request {event.placement_request_id}")
    placement.cancel()
    await repo.save(placement, ctx.uow.clock.now())
    await dispatch_waiting(ctx.uow, rules)


async def escalate_placement(event: PlacementEscalated, ctx: HandlerContext) -> None:
    """Planning's lead time ran out: the request goes in front of the coordinator."""
    await known_participant(ctx, event.participant_ref)
    repo = PlacementRepository(ctx.uow.conn)
    placement = await repo.get(event.placement_request_id)
    if placement is None:
        raise AwaitingPredecessor(f"unknown placement request {event.placement_request_id}")
    if placement.status is not PlacementStatus.CONFIRMED:
        placement.escalation_level = max(placement.escalation_level, event.level)
        await repo.save(placement, ctx.uow.clock.now())


async def record_schedule(event: SchedulePublished, ctx: HandlerContext) -> None:
    """Arrangements must cover every scheduled weekday, or they lapse for planning."""
    await known_participant(ctx, event.participant_ref)
    weekdays = tuple(day for day in WEEK if any(s.weekday is day for s in event.sessions))
    await ParticipantRepository(ctx.uow.conn).set_schedule(
        event.participant_ref, event.plan_id, event.valid_from, list(weekdays)
    )
    effective = max(event.valid_from, local_date(ctx.uow.clock.now()))
    await preconditions.check_schedule(ctx.uow, event.participant_ref, weekdays, effective)


async def complete_route(event: RouteCompleted, ctx: HandlerContext) -> None:
    """The route ended: preconditions and job coaching end with it."""
    await known_participant(ctx, event.participant_ref)
    await end_participation(ctx, event.participant_ref, completed=True)


async def note_plan_event(event: Event, ctx: HandlerContext) -> None:
    """Plan lifecycle events (activated, start scheduled, paused, resumed, follow-up agreed)
    change nothing support holds; it only checks it knows the participant, so that an
    event about an unknown one waits for its registration, and is dead-lettered rather
    than silently dropped when that never comes."""
    await known_participant(ctx, getattr(event, "participant_ref", ""))
