"""Follow-up (L15) and completion: the route cannot complete without concrete agreements."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from zroute_contract.events.codes import GroupChangeReason, PlacementCancelReason
from zroute_contract.events.planning import (
    FollowUpAgreed,
    FollowUpDue,
    FollowUpEscalated,
    RouteCompleted,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_planning.domain.commands import AgreeFollowUp, WaiveTargets
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps, days, morning_of, today
from zroute_planning.service_layer.handlers import modules, placements
from zroute_planning.service_layer.lifecycle import leave_group
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def on_follow_up_timer(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The ``follow-up-due`` timer: without an agreed follow-up, tell it is due."""
    plan = await uow.plans.get(timer.payload["participant_ref"], lock=False)
    if plan is None or not plan.is_open:
        return
    if await uow.records.follow_up_id(plan.participant_ref) is not None:
        return
    now = today(uow.clock.now())
    planned_end = date.fromisoformat(timer.payload["planned_end"])
    agree_by = min(planned_end, now + days(deps.rules.follow_up_agree_within_days))
    plan.record(
        FollowUpDue(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            planned_end=planned_end,
            agree_by=agree_by,
        )
    )
    log.info("follow_up_due", participant_ref=plan.participant_ref, planned_end=planned_end)
    # Issue 16 item 7: when the agree-by date passes without a follow-up, it escalates.
    await uow.timers.schedule(
        kind=scheduling.FOLLOW_UP_ESCALATION,
        key=str(plan.plan_id),
        due_at=morning_of(agree_by + days(1)),
        payload={
            "participant_ref": plan.participant_ref,
            "planned_end": str(planned_end),
            "agree_by": str(agree_by),
            "level": 1,
        },
    )


async def on_follow_up_escalation(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The ``follow-up-escalation`` timer: the agree-by date passed and still no follow-up
    is agreed; ``follow-up-escalated`` goes through the communication matrix, again after
    the configured days, up to the configured maximum."""
    plan = await uow.plans.get(timer.payload["participant_ref"], lock=False)
    if plan is None or not plan.is_open:
        return
    if await uow.records.follow_up_id(plan.participant_ref) is not None:
        return
    level = int(timer.payload["level"])
    plan.record(
        FollowUpEscalated(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            planned_end=date.fromisoformat(timer.payload["planned_end"]),
            agree_by=date.fromisoformat(timer.payload["agree_by"]),
            escalated_on=today(uow.clock.now()),
            level=level,
        )
    )
    log.info("follow_up_escalated", participant_ref=plan.participant_ref, level=level)
    if level < deps.rules.follow_up_max_escalations:
        await uow.timers.schedule(
            kind=scheduling.FOLLOW_UP_ESCALATION,
            key=timer.key,
            due_at=morning_of(today(timer.due_at) + days(deps.rules.follow_up_reescalate_days)),
            payload={**timer.payload, "level": level + 1},
        )


async def agree_follow_up(
    uow: PlanningUnitOfWork,
    plan: Plan,
    cmd: AgreeFollowUp,
    *,
    on: date,
) -> UUID:
    """Record (or replace) the agreed follow-up, with at least one concrete agreement and a
    partner the partner registry names as active."""
    follow_up_type, partner_id, agreements = cmd.follow_up_type, cmd.partner_id, cmd.agreements
    starts_on = cmd.starts_on
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    if not agreements:
        raise PlanError("a follow-up needs at least one concrete agreement")
    if not await uow.records.partner_active(partner_id):
        # Issue 16 item 7: the route is handed to a partner the registry knows.
        raise InvalidRequest(
            f"the follow-up partner {partner_id} is not registered, or takes no new work"
        )
    follow_up_id = uuid4()
    await uow.records.agree_follow_up(
        follow_up_id,
        plan.participant_ref,
        follow_up_type.value,
        partner_id,
        starts_on,
        [a.model_dump(mode="json") for a in agreements],
        on,
    )
    await uow.timers.cancel(kind=scheduling.FOLLOW_UP, key=str(plan.plan_id))
    await uow.timers.cancel(kind=scheduling.FOLLOW_UP_ESCALATION, key=str(plan.plan_id))
    plan.record(
        FollowUpAgreed(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            follow_up_id=follow_up_id,
            follow_up_type=follow_up_type,
            partner_id=partner_id,
            starts_on=starts_on,
            agreements=agreements,
        )
    )
    log.info(
        "follow_up_agreed",
        participant_ref=plan.participant_ref,
        follow_up_id=follow_up_id,
        follow_up_type=follow_up_type,
    )
    return follow_up_id


async def complete_route(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, on: date
) -> RouteCompleted:
    """Complete the route: refused without an agreed follow-up, and with hours short of
    the targets unless the municipality recorded a decision that waives them; the
    participant leaves the group and the waiting list, timers stop, open placement
    requests are cancelled, and the plan records ``route-completed`` last."""
    follow_up = await uow.records.follow_up_id(plan.participant_ref)
    if follow_up is None:
        raise PlanError(
            "the route cannot be completed before a follow-up with concrete agreements is recorded"
        )
    plan.ensure_completable()
    hours = await uow.records.hours_to_date(plan.participant_ref)
    waiver = await uow.records.targets_waiver(plan.participant_ref)
    # Refused before anything changes when the targets are short and not waived.
    plan.ensure_targets(hours, deps.rules, waiver)
    await modules.ensure_modules_completed(uow, deps, plan)
    await leave_group(uow, plan, on, GroupChangeReason.COMPLETED)
    await uow.groups.clear_waiting(plan.participant_ref)
    await scheduling.stop_timers(uow, deps, plan)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PLAN_CHANGED)
    event = plan.complete(
        on=on, hours=hours, rules=deps.rules, follow_up_id=follow_up, waiver_id=waiver
    )
    await uow.plans.save(plan)
    log.info(
        "route_completed",
        participant_ref=plan.participant_ref,
        targets_met=event.targets_met,
        follow_up_id=follow_up,
    )
    return event


async def waive_targets(
    uow: PlanningUnitOfWork, plan: Plan, cmd: WaiveTargets, *, on: date
) -> UUID:
    """Record the municipality's decision that the route may complete short of its hours
    targets (issue 16 item 7); the reason stays in planning, never in an event."""
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    if cmd.decided_on > on:
        raise InvalidRequest("a decision cannot be dated in the future")
    if not cmd.reason.strip():
        raise InvalidRequest("a decision that waives the targets says why")
    waiver_id = uuid4()
    await uow.records.record_targets_waiver(
        waiver_id,
        plan.participant_ref,
        decided_on=cmd.decided_on,
        decision_ref=cmd.decision_ref,
        reason=cmd.reason.strip(),
        by=cmd.by,
        at=cmd.at,
    )
    log.info("targets_waived", participant_ref=plan.participant_ref, waiver_id=waiver_id)
    return waiver_id
