"""What follows from a plan's state: the published schedule, the projection, the timers.

Timer kinds (all keyed by ids, payloads without personal data):

``plan-phase``             ``<plan>:<phase>``, the day a ramp-up phase starts
``progress-review``        ``<plan>``, the next review on the rhythm
``follow-up-due``          ``<plan>``, the follow-up reminder before the planned end
``placement-confirmation`` ``<request>``, when an unconfirmed placement escalates

Repeating timers (reviews, escalations) reschedule their own row for the next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from zroute_contract.events.codes import DayPart, HoursKind, Weekday
from zroute_contract.events.planning import (
    HoursTargets,
    HoursTotals,
    PlanAtRisk,
    ScheduledSession,
    SchedulePublished,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.projection import Projection, phase_index, project
from zroute_planning.domain.schedule import weekly_schedule
from zroute_planning.service_layer.deps import Deps, days, morning_of, today

log = get_logger(__name__)

PHASE, REVIEW, FOLLOW_UP, PLACEMENT = (
    "plan-phase",
    "progress-review",
    "follow-up-due",
    "placement-confirmation",
)


def targets(deps: Deps) -> HoursTargets:
    return HoursTargets(**deps.rules.targets.model_dump())


def totals(hours: Mapping[HoursKind, float]) -> HoursTotals:
    return HoursTotals(**{k.value: round(v * 4) / 4 for k, v in hours.items()})


async def publish_schedule(uow: UnitOfWork, deps: Deps, plan: Plan, today: date) -> None:
    """Publish the week of the current phase, with the group's sessions if in a group."""
    if plan.status is not PlanStatus.ACTIVE or plan.start_on is None:
        return
    rules = deps.rules
    index = phase_index(rules, plan.route_week(today))
    group = await uow.groups.current_group(plan.participant_ref)
    week = weekly_schedule(
        rules,
        index,
        plan.availability,
        group.slots if group else (),
        str(group.group_id) if group else None,
    )
    if not week.sessions:
        return
    if week.variety_problems:
        log.warning(
            "schedule_breaks_variety_rules",
            participant_ref=plan.participant_ref,
            phase=index + 1,
            problems=list(week.variety_problems),
        )
    sessions = tuple(
        ScheduledSession(
            weekday=Weekday(s.slot[0]),
            day_part=DayPart(s.slot[1]),
            starts_at=rules.groups.start_times[DayPart(s.slot[1])],
            minutes=s.minutes,
            teaching_form=s.form,
            hours_kind=s.kind,
            group_id=s.group_id,
        )
        for s in week.sessions
    )
    valid_from = max(today, plan.start_on)
    await uow.records.save_schedule(
        plan.plan_id, index + 1, valid_from, [s.model_dump(mode="json") for s in sessions]
    )
    uow.emit(
        SchedulePublished(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            plan_id=plan.plan_id,
            phase=index + 1,
            valid_from=valid_from,
            sessions_per_week=len(sessions),
            session_minutes=rules.phases[index].session_minutes,
            sessions=sessions,
            variety_problems=week.variety_problems,
        )
    )


async def projection(uow: UnitOfWork, deps: Deps, plan: Plan, today: date) -> Projection:
    return project(
        deps.rules,
        start_on=plan.start_on or today + days(deps.rules.start_after_days),
        term_end=plan.term_end,
        today=today,
        attended=await uow.records.hours_to_date(plan.participant_ref),
        slots=len(plan.availability),
        paused_days=plan.paused_days,
    )


async def reassess(uow: UnitOfWork, deps: Deps, plan: Plan, today: date) -> Projection:
    """Project; flag the plan at risk (once) when the targets no longer fit the term."""
    result = await projection(uow, deps, plan, today)
    if not result.fits and not plan.at_risk:
        uow.emit(
            PlanAtRisk(
                participant_ref=plan.participant_ref,
                programme_id=plan.programme_id,
                plan_id=plan.plan_id,
                assessed_on=today,
                projected=totals(result.hours),
                targets=targets(deps),
                integration_term_end=plan.term_end,
            )
        )
    plan.at_risk = not result.fits
    return result


async def plan_timers(uow: UnitOfWork, deps: Deps, plan: Plan, today: date) -> None:
    """(Re)schedule the phase changes, the review rhythm and the follow-up reminder."""
    assert plan.start_on is not None
    rules = deps.rules
    shift = plan.paused_days
    for number, phase in enumerate(rules.phases[1:], start=2):
        starts = plan.start_on + days((phase.from_week - 1) * 7 + shift)
        if starts > today:
            await uow.timers.schedule(
                kind=PHASE,
                key=f"{plan.plan_id}:{number}",
                due_at=morning_of(starts),
                payload={"participant_ref": plan.participant_ref, "phase": number},
            )
    first_review = max(plan.start_on, today) + days(rules.review_every_days)
    await uow.timers.schedule(
        kind=REVIEW,
        key=str(plan.plan_id),
        due_at=morning_of(first_review),
        payload={"participant_ref": plan.participant_ref},
    )
    result = await reassess(uow, deps, plan, today)
    remind = max(today, result.planned_end - days(rules.follow_up_before_end_days))
    await uow.timers.schedule(
        kind=FOLLOW_UP,
        key=str(plan.plan_id),
        due_at=morning_of(remind),
        payload={"participant_ref": plan.participant_ref, "planned_end": str(result.planned_end)},
    )


async def stop_timers(uow: UnitOfWork, deps: Deps, plan: Plan) -> None:
    for number in range(2, len(deps.rules.phases) + 1):
        await uow.timers.cancel(kind=PHASE, key=f"{plan.plan_id}:{number}")
    await uow.timers.cancel(kind=REVIEW, key=str(plan.plan_id))
    await uow.timers.cancel(kind=FOLLOW_UP, key=str(plan.plan_id))


async def on_phase_timer(timer: DueTimer, uow: UnitOfWork, deps: Deps) -> None:
    """A new ramp-up phase starts: publish its week."""
    plan = await uow.plans.get(timer.payload["participant_ref"], lock=False)
    if plan is not None:
        await publish_schedule(uow, deps, plan, today(uow.clock.now()))
