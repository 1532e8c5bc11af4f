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
from zroute_runtime.messagebus import HandlerContext, Unprocessable

from zroute_planning.service_layer import lifecycle
from zroute_planning.service_layer.deps import Deps, today


async def precondition_arranged(
    event: PreconditionArranged, ctx: HandlerContext, deps: Deps
) -> None:
    uow = ctx.uow
    await uow.records.record_precondition(
        event.precondition_id,
        event.participant_ref,
        event.kind,
        arranged=True,
        on=event.arranged_from,
    )
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        return  # kept: the plan reads it when the intake completes
    now = today(uow.clock.now())
    if plan.precondition_arranged(event.kind, today=now, rules=deps.rules):
        await lifecycle.gate_opened(uow, deps, plan, now)
    await uow.plans.save(plan)


async def precondition_lapsed(event: PreconditionLapsed, ctx: HandlerContext, deps: Deps) -> None:
    uow = ctx.uow
    await uow.records.record_precondition(
        event.precondition_id,
        event.participant_ref,
        event.kind,
        arranged=False,
        on=event.lapsed_on,
    )
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        return
    now = today(uow.clock.now())
    if event.kind in await uow.records.arranged_kinds(plan.participant_ref):
        return  # another arrangement of the same kind still holds
    if plan.precondition_lapsed(event.kind, lapsed_on=event.lapsed_on):
        await lifecycle.paused(uow, plan, now)
    await uow.plans.save(plan)


async def placement_confirmed(event: PlacementConfirmed, ctx: HandlerContext, deps: Deps) -> None:
    """Confirmed: the request stops escalating."""
    if not await ctx.uow.placements.confirm(event.placement_request_id, event.placement_id):
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")


async def placement_declined(event: PlacementDeclined, ctx: HandlerContext, deps: Deps) -> None:
    """Declined: the deadline keeps running (support may re-route); without re-routing the
    escalation is what brings it to the lead partner."""
    if not await ctx.uow.placements.decline(event.placement_request_id):
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")


async def agreement_recorded(event: AgreementRecorded, ctx: HandlerContext, deps: Deps) -> None:
    """Remember the programme's language-teaching partner (task division, L2)."""
    teaching = next(
        (a.partner_id for a in event.assignments if a.task is RouteTask.LANGUAGE_TEACHING),
        event.lead_partner_id,
    )
    await ctx.uow.records.record_programme(
        event.programme_id, teaching, event.lead_partner_id, event.version
    )
