"""Handlers of support events: the preconditions gate (L14), placement answers (L4),
the task-division agreement (L2). Bound and run like the intake handlers."""

from __future__ import annotations

from zroute_contract.events.codes import RouteTask
from zroute_contract.events.support import (
    AgreementRecorded,
    PlacementConfirmed,
    PlacementDeclined,
    PreconditionArranged,
    PreconditionLapsed,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext, Unprocessable

from zroute_planning.domain.recording import module_key
from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def precondition_arranged(
    event: PreconditionArranged, ctx: HandlerContext, deps: Deps
) -> None:
    """An arrangement counts toward the gate; the last one missing starts (or resumes) the
    plan. Kept without a plan: the activation reads it."""
    uow: PlanningUnitOfWork = ctx.uow
    await uow.records.record_precondition(
        event.precondition_id,
        event.participant_ref,
        event.precondition_code,
        arranged=True,
        on=event.arranged_from,
    )
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        return  # kept: the plan reads it when the intake completes
    now = today(uow.clock.now())
    since = await uow.records.arranged_from(plan.participant_ref)
    if plan.precondition_arranged(
        event.precondition_code, today=now, rules=deps.rules, arranged_from=since
    ):
        log.info(
            "plan_gate_opened", participant_ref=plan.participant_ref, kind=event.precondition_code
        )
        projection = await scheduling.reassess(uow, deps, plan, now)
        await lifecycle.started(uow, deps, plan, now, projection)
    await uow.plans.save(plan)


async def precondition_lapsed(event: PreconditionLapsed, ctx: HandlerContext, deps: Deps) -> None:
    """A lapse pauses an active plan that now misses a needed precondition, unless another
    arrangement of the same kind still holds."""
    uow: PlanningUnitOfWork = ctx.uow
    await uow.records.record_precondition(
        event.precondition_id,
        event.participant_ref,
        event.precondition_code,
        arranged=False,
        on=event.lapsed_on,
    )
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        return
    now = today(uow.clock.now())
    if event.precondition_code in await uow.records.arranged_kinds(plan.participant_ref):
        log.info("precondition_still_arranged", participant_ref=plan.participant_ref)
        return  # another arrangement of the same kind still holds
    if plan.precondition_lapsed(event.precondition_code, lapsed_on=event.lapsed_on):
        await lifecycle.paused(uow, plan, now)
    await uow.plans.save(plan)


async def placement_confirmed(event: PlacementConfirmed, ctx: HandlerContext, deps: Deps) -> None:
    """Confirmed: the request stops escalating."""
    uow: PlanningUnitOfWork = ctx.uow
    if not await uow.placements.confirm(event.placement_request_id, event.placement_id):
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")
    log.info("placement_confirmed", placement_request_id=event.placement_request_id)


async def placement_declined(event: PlacementDeclined, ctx: HandlerContext, deps: Deps) -> None:
    """Declined: the deadline keeps running (support may re-route); without re-routing the
    escalation is what brings it to the lead partner."""
    uow: PlanningUnitOfWork = ctx.uow
    if not await uow.placements.decline(event.placement_request_id):
        raise Unprocessable(f"unknown placement request {event.placement_request_id}")
    log.info("placement_declined", placement_request_id=event.placement_request_id)


async def agreement_recorded(event: AgreementRecorded, ctx: HandlerContext, deps: Deps) -> None:
    """Remember the programme's language-teaching partner (task division, L2)."""
    uow: PlanningUnitOfWork = ctx.uow
    teaching = next(
        (a.partner_id for a in event.assignments if a.task is RouteTask.LANGUAGE_TEACHING),
        event.lead_partner_id,
    )
    await uow.records.record_programme(
        event.programme_id, teaching, event.lead_partner_id, event.version
    )
    # Who records which hours (issue 16 item 3) follows the whole task division.
    tasks = {a.task.value: a.partner_id for a in event.assignments}
    # The partner that provides a module no task covers (PVT) records its hours.
    tasks |= {module_key(p.module): p.partner_id for p in event.module_providers}
    await uow.records.record_task_partners(event.programme_id, event.version, tasks)
    log.info("programme_partner_recorded", programme_id=event.programme_id, partner_id=teaching)
