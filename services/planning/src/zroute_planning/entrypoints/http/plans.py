"""A participant's plan, schedule and hours; completing the route."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_contract.events.planning import RampUpPhase
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import SetRampUp, WaiveTargets
from zroute_planning.domain.plan import hours_norm_of, hours_targets, hours_totals
from zroute_planning.domain.projection import targets_short
from zroute_planning.domain.ramp_up import paced_phases
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import (
    CompletionOut,
    HoursOut,
    PlanOut,
    ProjectionOut,
    RampUpIn,
    RampUpOut,
    ScheduleOut,
    TargetsWaiverIn,
    TargetsWaiverOut,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import completion, schedule

router = APIRouter(prefix="/participants/{participant_ref}", tags=["plans"])


@router.get("/plan")
async def read_plan(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> PlanOut:
    """The plan: status, targets, modules, start and term, the projection and the group."""
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        view = await views.plan(uow, deps, plan, local_today(runtime))
    projection, group = view.projection, view.group
    return PlanOut(
        plan_id=plan.plan_id,
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        status=plan.status.value,
        level_band=plan.level_band,
        modules=list(plan.modules),
        targets=hours_targets(deps.rules),
        start_on=plan.start_on,
        integration_term_end=plan.term_end,
        waiting_for=list(plan.missing),
        paused_since=plan.paused_since,
        at_risk=plan.at_risk,
        group_id=group.group_id if group else None,
        projection=ProjectionOut(
            hours=hours_totals(projection.hours),
            fits_term=projection.fits,
            planned_end=projection.planned_end,
        ),
        integration_term_start=plan.term_start,
        norm=hours_norm_of(plan.norm),
    )


@router.get("/schedule")
async def read_schedule(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> ScheduleOut:
    """The weekly schedule last published (current ramp-up phase)."""
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        row = await views.schedule(uow, plan)
    return ScheduleOut(phase=row["phase"], valid_from=row["valid_from"], sessions=row["sessions"])


@router.get("/hours")
async def read_hours(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> HoursOut:
    """Hours attended per kind toward the targets, and recent attendance."""
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        view = await views.hours(uow, deps, plan, local_today(runtime))
    return HoursOut(
        hours=hours_totals(view.hours),
        total=sum(view.hours.values()),
        targets=hours_targets(deps.rules),
        attendance_percentage=view.attendance_percentage,
        norm=hours_norm_of(plan.norm),
        short_of=targets_short(deps.rules, plan.norm, view.hours),
    )


@router.post("/completion")
async def complete(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> CompletionOut:
    """Mark the route completed; refused (409) until a follow-up with agreements exists,
    the final meeting is held, and the targets are met or waived by the municipality."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        event = await completion.complete_route(uow, deps, plan, local_today(runtime))
        await uow.commit()
    return CompletionOut(
        completed_on=event.completed_on,
        hours=event.hours,
        targets_met=event.targets_met,
        follow_up_id=event.follow_up_id,
        targets_waiver_id=event.targets_waiver_id,
    )


@router.post("/targets-waiver", status_code=201)
async def waive_targets(
    participant_ref: ParticipantRef,
    body: TargetsWaiverIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> TargetsWaiverOut:
    """Record the municipality's decision that the route may complete short of its hours
    targets, with the reason (caseworkers of the participant's municipality only)."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = WaiveTargets(
            decided_on=body.decided_on,
            decision_ref=body.decision_ref,
            reason=body.reason,
            by=principal.subject,
            at=runtime.clock.now(),
        )
        waiver_id = await completion.waive_targets(uow, plan, cmd, on=local_today(runtime))
        await uow.commit()
    return TargetsWaiverOut(
        waiver_id=waiver_id, decided_on=body.decided_on, recorded_by=principal.subject
    )


@router.put("/ramp-up")
async def set_ramp_up(
    participant_ref: ParticipantRef,
    body: RampUpIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> RampUpOut:
    """Slow one participant's ramp-up down (100: the deployment's profile), with a reason;
    the phase changes and the published week follow."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = SetRampUp(
            pace_percent=body.pace_percent,
            reason=body.reason,
            by=principal.subject,
            at=runtime.clock.now(),
        )
        await schedule.set_ramp_up(uow, deps, plan, cmd, on=local_today(runtime))
        await uow.commit()
    phases = paced_phases(deps.rules.phases, body.pace_percent)
    return RampUpOut(
        pace_percent=body.pace_percent,
        phases=[
            RampUpPhase(
                phase=i + 1,
                from_week=p.from_week,
                sessions_per_week=p.sessions_per_week,
                session_minutes=p.session_minutes,
            )
            for i, p in enumerate(phases)
        ],
    )
