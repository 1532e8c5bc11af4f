"""What follows from a plan's state: the published week, the projection, the timers.

Timer kinds (all keyed by ids, payloads without personal data):

``plan-phase``             ``<plan>:<phase>``, the day a ramp-up phase starts
``progress-review``        ``<plan>``, the next review on the rhythm
``follow-up-due``          ``<plan>``, the follow-up reminder before the planned end
``placement-confirmation`` ``<request>``, when an unconfirmed placement escalates
``follow-up-escalation``   ``<plan>``, the day after the follow-up's agree-by date passed

Repeating timers (reviews, escalations) reschedule their own row for the next time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from zroute_contract.events.codes import CurriculumModule, TeachingForm
from zroute_contract.events.planning import SchedulePublished
from zroute_runtime.logging import get_logger

from zroute_planning.domain import plan_events
from zroute_planning.domain.calendar import WeekPlaces
from zroute_planning.domain.modules import ModuleSession, PlannedModule, module_sessions
from zroute_planning.domain.plan import Plan, PlanStatus, projection_of
from zroute_planning.domain.projection import Projection, phase_index
from zroute_planning.domain.ramp_up import rules_at_pace
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import weekly_schedule
from zroute_planning.service_layer.deps import Deps, days, morning_of
from zroute_planning.service_layer.handlers import calendar as dated_calendar
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)

PHASE, REVIEW, FOLLOW_UP, PLACEMENT, FOLLOW_UP_ESCALATION = (
    "plan-phase",
    "progress-review",
    "follow-up-due",
    "placement-confirmation",
    "follow-up-escalation",
)


async def rules_for(uow: PlanningUnitOfWork, deps: Deps, plan: Plan) -> PlanningRules:
    """The rules for this participant: the deployment's, at the participant's own ramp-up
    pace when a planner set one (issue 16 item 7)."""
    return rules_at_pace(deps.rules, await uow.records.ramp_up_pace(plan.participant_ref))


async def planned_modules(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan
) -> tuple[ModuleSession, ...]:
    """The customised modules that take a session in the participant's week, with the
    hours left of each after those attended on its sessions (issue 16 item 4)."""
    rows = await uow.records.modules(plan.participant_ref)
    planned = [
        PlannedModule(
            CurriculumModule(r["module"]),
            float(r["hours"] or 0.0),
            TeachingForm(r["teaching_form"]) if r.get("teaching_form") else None,
            r["completed_on"] is not None,
        )
        for r in rows
    ]
    attended = {
        CurriculumModule(m): h
        for m, h in (await uow.records.module_hours(plan.participant_ref)).items()
    }
    return module_sessions(plan.modules, planned, attended, deps.rules)


async def publish_schedule(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date
) -> SchedulePublished | None:
    """Store the week of the current phase, with the group's sessions if in a group, and
    return its ``schedule-published`` for the caller to record (None: no week to publish)."""
    if plan.status is not PlanStatus.ACTIVE or plan.start_on is None:
        return None
    rules = await rules_for(uow, deps, plan)
    index = phase_index(rules, plan.route_week(today))
    group = await uow.groups.current_group(plan.participant_ref)
    week = weekly_schedule(
        rules,
        index,
        plan.availability,
        group.slots if group else (),
        str(group.group_id) if group else None,
        group_minutes(group.sessions) if group else None,
        await planned_modules(uow, deps, plan),
    )
    if not week.sessions:
        return None
    if week.variety_problems:
        log.warning(
            "schedule_breaks_variety_rules",
            participant_ref=plan.participant_ref,
            phase=index + 1,
            problems=list(week.variety_problems),
        )
    if week.left_out:
        log.warning(
            "schedule_sessions_over_day_maximum",
            participant_ref=plan.participant_ref,
            phase=index + 1,
            left_out=week.left_out,
        )
    valid_from = max(today, plan.start_on)
    dated = await uow.calendar.sessions(
        plan.programme_id,
        valid_from,
        valid_from + timedelta(days=6),
        participant_ref=plan.participant_ref,
        group_ids=[group.group_id] if group else [],
    )
    places = WeekPlaces.of(dated, await uow.calendar.rooms(plan.programme_id))
    event = plan_events.schedule_published(
        plan, rules, phase_index=index, week=week, valid_from=valid_from, places=places
    )
    await uow.records.save_schedule(
        plan.plan_id, event.phase, valid_from, [s.model_dump(mode="json") for s in event.sessions]
    )
    # The calendar follows the new week: the old week's coming sessions are taken back
    # with notice, the new ones dated (issue 16).
    await dated_calendar.follow_week(uow, deps, plan, today)
    log.info(
        "schedule_published",
        participant_ref=plan.participant_ref,
        phase=event.phase,
        group_id=str(group.group_id) if group else None,
    )
    return event


def group_minutes(sessions: list[dict[str, Any]]) -> int | None:
    """The length the group's sessions share (the group's own, as formed)."""
    return int(sessions[0]["minutes"]) if sessions else None


async def projection(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> Projection:
    """The plan's projection with the hours attended so far."""
    attended = await uow.records.hours_to_date(plan.participant_ref)
    return projection_of(
        plan,
        await rules_for(uow, deps, plan),
        today=today,
        attended=attended,
        modules=await planned_modules(uow, deps, plan),
    )


async def reassess(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> Projection:
    """Project, and let the plan flag itself at risk (once) when the targets no longer fit."""
    result = await projection(uow, deps, plan, today)
    was_at_risk = plan.at_risk
    plan.assess(result, today=today, rules=deps.rules)
    if plan.at_risk != was_at_risk:
        log.info("plan_risk_changed", participant_ref=plan.participant_ref, at_risk=plan.at_risk)
    await replan_follow_up(uow, deps, plan, today, result)
    return result


async def replan_follow_up(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date, projection: Projection
) -> None:
    """Move a pending follow-up reminder when the projection's planned end moved (issue 16
    item 7); a reminder that fired, or a follow-up agreed, is left as it is."""
    if await follow_up_pending(uow, plan):
        await _schedule_follow_up(uow, deps, plan, today, projection)


async def follow_up_pending(uow: PlanningUnitOfWork, plan: Plan) -> bool:
    """Whether the plan has a follow-up reminder that a moved projection would move: an
    active plan's, not fired yet, and no follow-up agreed."""
    if plan.status is not PlanStatus.ACTIVE or plan.start_on is None:
        return False
    due = await uow.records.timer_due(kind=FOLLOW_UP, key=str(plan.plan_id))
    return due is not None and await uow.records.follow_up_id(plan.participant_ref) is None


async def follow_hours(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> None:
    """Hours recorded move the projection's planned end: a pending follow-up reminder
    moves with it (issue 16 item 7). The projection is computed only when there is such a
    reminder: nothing else of an attendance line uses it."""
    if await follow_up_pending(uow, plan):
        moved = await projection(uow, deps, plan, today)
        await _schedule_follow_up(uow, deps, plan, today, moved)


async def _schedule_follow_up(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date, projection: Projection
) -> None:
    remind = max(today, projection.planned_end - days(deps.rules.follow_up_before_end_days))
    await uow.timers.schedule(
        kind=FOLLOW_UP,
        key=str(plan.plan_id),
        due_at=morning_of(remind),
        payload={
            "participant_ref": plan.participant_ref,
            "planned_end": str(projection.planned_end),
        },
    )


async def plan_timers(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date, projection: Projection
) -> None:
    """(Re)schedule the phase changes, the review rhythm and the follow-up reminder (before
    the ``projection``'s planned end)."""
    assert plan.start_on is not None
    rules = await rules_for(uow, deps, plan)
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
    await _schedule_follow_up(uow, deps, plan, today, projection)


async def stop_timers(uow: PlanningUnitOfWork, deps: Deps, plan: Plan) -> None:
    """Cancel the plan's phase, review and follow-up timers (and a follow-up escalation)."""
    for number in range(2, len(deps.rules.phases) + 1):
        await uow.timers.cancel(kind=PHASE, key=f"{plan.plan_id}:{number}")
    await uow.timers.cancel(kind=REVIEW, key=str(plan.plan_id))
    await uow.timers.cancel(kind=FOLLOW_UP, key=str(plan.plan_id))
    await uow.timers.cancel(kind=FOLLOW_UP_ESCALATION, key=str(plan.plan_id))
