"""Follow-up (L15) and completion: the route cannot complete without concrete agreements."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from zroute_contract.events.codes import FollowUpType, GroupChangeReason, PlacementCancelReason
from zroute_contract.events.planning import (
    FollowUpAgreed,
    FollowUpAgreement,
    FollowUpDue,
    RouteCompleted,
)
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_planning.domain.plan import Plan, PlanError
from zroute_planning.service_layer import placements, scheduling
from zroute_planning.service_layer.deps import Deps, days, today
from zroute_planning.service_layer.lifecycle import leave_group


async def on_follow_up_timer(timer: DueTimer, uow: UnitOfWork, deps: Deps) -> None:
    plan = await uow.plans.get(timer.payload["participant_ref"], lock=False)
    if plan is None or not plan.is_open:
        return
    if await uow.records.follow_up_id(plan.participant_ref) is not None:
        return
    now = today(uow.clock.now())
    planned_end = date.fromisoformat(timer.payload["planned_end"])
    uow.emit(
        FollowUpDue(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            planned_end=planned_end,
            agree_by=min(planned_end, now + days(deps.rules.follow_up_agree_within_days)),
        )
    )


async def agree_follow_up(
    uow: UnitOfWork,
    plan: Plan,
    *,
    follow_up_type: FollowUpType,
    partner_id: str,
    starts_on: date,
    agreements: tuple[FollowUpAgreement, ...],
    on: date,
) -> UUID:
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    if not agreements:
        raise PlanError("a follow-up needs at least one concrete agreement")
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
    uow.emit(
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
    return follow_up_id


async def complete_route(uow: UnitOfWork, deps: Deps, plan: Plan, on: date) -> RouteCompleted:
    follow_up = await uow.records.follow_up_id(plan.participant_ref)
    if follow_up is None:
        raise PlanError(
            "the route cannot be completed before a follow-up with concrete agreements is recorded"
        )
    plan.complete()
    hours = await uow.records.hours_to_date(plan.participant_ref)
    t = deps.rules.targets
    met = (
        sum(hours.values()) >= t.total
        and hours["language"] >= t.language
        and hours["participation"] >= t.participation
        and hours["knm"] >= t.knm
        and hours["map"] >= t.map
    )
    await leave_group(uow, plan, on, GroupChangeReason.COMPLETED)
    await uow.groups.clear_waiting(plan.participant_ref)
    await scheduling.stop_timers(uow, deps, plan)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PLAN_CHANGED)
    event = RouteCompleted(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        completed_on=on,
        hours=scheduling.totals(hours),
        targets_met=met,
        follow_up_id=follow_up,
    )
    uow.emit(event)
    await uow.plans.save(plan)
    return event
