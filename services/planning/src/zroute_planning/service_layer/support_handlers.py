"""Handlers of support events: the preconditions gate (L14), placement answers (L4),
the task-division agreement (L2). Bound and run like the intake handlers."""

from __future__ import annotations

from zroute_contract.events.codes import (
    RouteTask,
)
from zroute_contract.events.support import (
    AgreementRecorded,
    PlacementConfirmed,
    PlacementDeclined,
    PreconditionArranged,
    PreconditionLapsed,
)
from zroute_runtime import timers
from zroute_runtime.messagebus import HandlerContext, Unprocessable

from zroute_planning.adapters import records
from zroute_planning.adapters.plans import PlanRepository
from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, today


async def precondition_arranged(
    event: PreconditionArranged, ctx: HandlerContext, deps: Deps
) -> None:
    uow = ctx.uow
    await records.record_precondition(
        uow.conn,
        event.precondition_id,
        event.participant_ref,
        event.kind,
        arranged=True,
        on=event.arranged_from,
    )
    plan = await PlanRepository(uow.conn).get(event.participant_ref)
    if plan is None or not plan.is_open:
        return  # kept: the plan reads it when the intake completes
    now = today(uow.clock.now())
    if plan.precondition_arranged(event.kind, today=now, rules=deps.rules):
        await lifecycle.gate_opened(uow, deps, plan, now)
    await PlanRepository(uow.conn).save(plan)
    uow.track(plan)


async def precondition_lapsed(event: PreconditionLapsed, ctx: HandlerContext, deps: Deps) -> None:
    uow = ctx.uow
    await records.record_precondition(
        uow.conn,
        event.precondition_id,
        event.participant_ref,
        event.kind,
        arranged=False,
        on=event.lapsed_on,
    )
    plan = await PlanRepository(uow.conn).get(event.participant_ref)
    if plan is None or not plan.is_open:
        return
    now = today(uow.clock.now())
    if event.kind in await records.arranged_kinds(uow.conn, plan.participant_ref):
        return  # another arrangement of the same kind still holds
    if plan.precondition_lapsed(event.kind, lapsed_on=event.lapsed_on):
        await lifecycle.paused(uow, plan, now)
    await PlanRepository(uow.conn).save(plan)
    uow.track(plan)


async def placement_confirmed(event: PlacementConfirmed, ctx: HandlerContext, deps: Deps) -> None:
    status = await ctx.uow.conn.execute(
        "UPDATE planning_placements SET status = 'confirmed', placement_id = $2"
        " WHERE placement_request_id = $1",
        event.placement_request_id,
        event.placement_id,
    )
    if status != "UPDATE 1":
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")
    await timers.cancel(
        ctx.uow.conn, kind=scheduling.PLACEMENT, key=str(event.placement_request_id)
    )


async def placement_declined(event: PlacementDeclined, ctx: HandlerContext, deps: Deps) -> None:
    """Declined: the deadline keeps running (support may re-route); without re-routing the
    escalation is what brings it to the lead partner."""
    status = await ctx.uow.conn.execute(
        "UPDATE planning_placements SET status = 'declined' WHERE placement_request_id = $1"
        " AND status = 'requested'",
        event.placement_request_id,
    )
    exists = await ctx.uow.conn.fetchval(
        "SELECT 1 FROM planning_placements WHERE placement_request_id = $1",
        event.placement_request_id,
    )
    if status != "UPDATE 1" and not exists:
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")


async def agreement_recorded(event: AgreementRecorded, ctx: HandlerContext, deps: Deps) -> None:
    """Remember the programme's language-teaching partner (task division, L2)."""
    teaching = next(
        (a.partner_id for a in event.assignments if a.task is RouteTask.LANGUAGE_TEACHING),
        event.lead_partner_id,
    )
    await ctx.uow.conn.execute(
        "INSERT INTO planning_programmes VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id)"
        " DO UPDATE SET teaching_partner = $2, lead_partner = $3, agreement_version = $4"
        " WHERE planning_programmes.agreement_version <= $4",
        event.programme_id,
        teaching,
        event.lead_partner_id,
        event.version,
    )
