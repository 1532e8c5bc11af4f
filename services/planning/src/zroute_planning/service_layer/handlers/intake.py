"""Handlers of intake events: activation from the PIP (L12, W 15), the term's extension,
the final meeting (B 3.14(2)(c)), corrections, withdrawal.

Each is ``handler(event, ctx, deps)``; ``bootstrap`` binds ``deps``. They run in the
consumer's unit of work (state, inbox row and the plan's events commit together).
"""

from __future__ import annotations

from decimal import Decimal

from zroute_contract.events.codes import (
    GroupChangeReason,
    PlacementCancelReason,
    Route,
    WaitReason,
)
from zroute_contract.events.intake import (
    FinalMeetingHeld,
    IntakeCompleted,
    IntakeCorrected,
    IntakeOutcome,
    ParticipantWithdrawn,
    PipEstablished,
    TermExtended,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_planning.domain.hours_norm import RouteNorm, route_norm
from zroute_planning.domain.plan import Plan, PlanStatus, projection_of
from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.handlers import placements
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def activate_plan(event: IntakeCompleted, ctx: HandlerContext, deps: Deps) -> None:
    """A completed intake is held until its PIP is established (W 15): the PIP, not the
    intake's completion, activates the plan (``activate_from_pip``). The outcome is kept
    for every route, since the PIP decides the route; a repeated completion replaces it."""
    uow: PlanningUnitOfWork = ctx.uow
    ref = event.participant_ref
    if await uow.plans.get(ref) is not None:
        log.info("plan_already_active", participant_ref=ref)
        return  # a repeated completion: the plan stands; corrections come as intake-corrected
    await uow.records.record_participant(ref, event.programme_id, event.municipality)
    await uow.records.hold_intake(event)
    log.info("intake_held_for_pip", participant_ref=ref, route=event.route)


async def activate_from_pip(event: PipEstablished, ctx: HandlerContext, deps: Deps) -> None:
    """An established Z-route PIP activates the plan from the held intake outcome.

    The term runs from the day after the PIP's date to its end as intake computed it (W 11),
    and the PIP's hours norm is the plan's. A PIP whose intake outcome has not been seen
    waits for it (``AwaitingPredecessor``)."""
    uow: PlanningUnitOfWork = ctx.uow
    ref = event.participant_ref
    if event.route is not Route.Z_ROUTE:
        log.info("pip_not_ours", participant_ref=ref, route=event.route)
        return
    if await uow.plans.get(ref) is not None:
        log.info("plan_already_active", participant_ref=ref)
        return
    outcome = await uow.records.held_intake(ref)
    if outcome is None:
        raise AwaitingPredecessor(f"no intake outcome yet for participant {ref}")
    await _activate(uow, deps, outcome, event)
    await uow.records.release_held_intake(ref)


def _norm_of(pip: PipEstablished, deps: Deps) -> RouteNorm:
    held = pip.hours_norm
    if held is None:
        return route_norm(deps.rules.norm)
    return route_norm(
        deps.rules.norm,
        family_migrant=held.family_migrant,
        reduced_course=_decimal(held.reduced_course_hours),
        reduced_participation=_decimal(held.reduced_participation_hours),
        credited_course=Decimal(str(held.credited_course_hours)),
        credited_participation=Decimal(str(held.credited_participation_hours)),
    )


def _decimal(hours: float | None) -> Decimal | None:
    return None if hours is None else Decimal(str(hours))


async def _activate(
    uow: PlanningUnitOfWork, deps: Deps, outcome: IntakeOutcome, pip: PipEstablished
) -> None:
    """Activate the plan. It records everything the activation causes, in order:
    ``plan-activated``, then for a plan that can start ``plan-at-risk`` (when the targets
    do not fit the term), ``participant-waitlisted`` (no group yet), ``schedule-published``
    and ``placement-requested``; for a plan that waits for its preconditions,
    ``participant-waitlisted``. It is saved once; the projection is computed once."""
    ref = outcome.participant_ref
    now = today(uow.clock.now())
    rules = deps.rules
    arranged = await uow.records.arranged_kinds(ref)
    plan = Plan.activate(
        outcome,
        rules,
        today=now,
        term_start=pip.term_start,
        term_end=pip.term_end,
        arranged=arranged,
        norm=_norm_of(pip, deps),
        arranged_from=await uow.records.arranged_from(ref),
    )
    attended = await uow.records.hours_to_date(ref)
    projection = projection_of(plan, rules, today=now, attended=attended)
    plan.activated(rules, projection)
    if plan.status is PlanStatus.ACTIVE:
        plan.assess(projection, today=now, rules=rules)
    # The one save, before the rows that refer to the plan (its week).
    await uow.plans.save(plan)
    log.info(
        "plan_activated",
        participant_ref=ref,
        status=plan.status,
        waiting_for=list(plan.missing),
        fits_term=projection.fits,
    )
    if plan.status is PlanStatus.ACTIVE:
        # Started at once: its timers, the waiting list until a group forms, the first week,
        # and the placement its workplace phase needs (a new plan has no request open yet).
        await scheduling.plan_timers(uow, deps, plan, now, projection)
        await lifecycle.wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, now)
        if (week := await scheduling.publish_schedule(uow, deps, plan, now)) is not None:
            plan.record(week)
        await placements.request_for_workplace_phase(uow, deps, plan, now)
    else:
        await lifecycle.wait(uow, plan, WaitReason.PRECONDITION_MISSING, now)


async def extend_term(event: TermExtended, ctx: HandlerContext, deps: Deps) -> None:
    """DUO's recorded extension moves the term's end (W 12): the only way it moves. The
    projection is reassessed against the new end (the at-risk flag may clear)."""
    uow: PlanningUnitOfWork = ctx.uow
    ref = event.participant_ref
    plan = await uow.plans.get(ref)
    if plan is None:
        if await uow.records.held_intake(ref) is not None:
            # The PIP that activates the plan is still on its way (a retry queue).
            raise AwaitingPredecessor(f"no plan yet for participant {ref}")
        log.info("term_extended_without_plan", participant_ref=ref)
        return  # not a Z-route plan of ours
    if not plan.is_open or not plan.extend_term(event.term_end):
        return
    now = today(uow.clock.now())
    log.info("term_extended", participant_ref=ref, term_end=str(plan.term_end))
    if plan.status is PlanStatus.ACTIVE:
        # The follow-up reminder counts back from the planned end, which the term bounds.
        projection = await scheduling.reassess(uow, deps, plan, now)
        await scheduling.plan_timers(uow, deps, plan, now, projection)
    await uow.plans.save(plan)


async def final_meeting_held(event: FinalMeetingHeld, ctx: HandlerContext, deps: Deps) -> None:
    """The municipality held the Z-route's final meeting (B 3.14(2)(c)): recorded on the
    plan, which may be completed from then on. A meeting before the plan exists waits for
    the PIP that activates it; one about a participant with no Z-route plan is ignored."""
    uow: PlanningUnitOfWork = ctx.uow
    ref = event.participant_ref
    plan = await uow.plans.get(ref)
    if plan is None:
        if await uow.records.held_intake(ref) is not None:
            raise AwaitingPredecessor(f"no plan yet for participant {ref}")
        log.info("final_meeting_without_plan", participant_ref=ref)
        return
    if not plan.final_meeting_held(event.held_on):
        log.info("final_meeting_unchanged", participant_ref=ref, status=plan.status)
        return
    await uow.plans.save(plan)
    log.info("final_meeting_recorded", participant_ref=ref, held_on=str(event.held_on))


async def correct_intake(event: IntakeCorrected, ctx: HandlerContext, deps: Deps) -> None:
    """Take the corrected outcome; leave a group whose band or slots no longer fit.

    A Z-route correction with no plan came before the intake-completed it corrects (that
    one is in a retry queue): it waits for it rather than being lost."""
    uow: PlanningUnitOfWork = ctx.uow
    plan = await uow.plans.get(event.participant_ref)
    if plan is None:
        await _correct_held(uow, event)
        return
    if not plan.is_open:
        return
    now = today(uow.clock.now())
    plan.correct(event, deps.rules)
    log.info("intake_corrected", participant_ref=plan.participant_ref, status=plan.status)
    group = await uow.groups.current_group(plan.participant_ref)
    if group is not None and group.level_band != plan.level_band:
        await lifecycle.leave_group(uow, plan, now, GroupChangeReason.LEVEL_CHANGED)
    elif group is not None and not set(group.slots) <= plan.availability:
        await lifecycle.leave_group(uow, plan, now, GroupChangeReason.REPLANNED)
    if plan.close_gate(now):
        await lifecycle.paused(uow, plan, now)
    elif plan.open_gate(now, deps.rules, await uow.records.arranged_from(plan.participant_ref)):
        projection = await scheduling.reassess(uow, deps, plan, now)
        await lifecycle.started(uow, deps, plan, now, projection)
    else:
        if group is not None and plan.status is PlanStatus.ACTIVE:
            left = await uow.groups.current_group(plan.participant_ref) is None
            if left:
                await lifecycle.wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, now)
        if (week := await scheduling.publish_schedule(uow, deps, plan, now)) is not None:
            plan.record(week)
    await uow.plans.save(plan)


async def _correct_held(uow: PlanningUnitOfWork, event: IntakeCorrected) -> None:
    """A correction before the PIP replaces the held outcome; one that came before the
    intake-completed it corrects (that one is in a retry queue) waits for it."""
    if await uow.records.held_intake(event.participant_ref) is not None:
        await uow.records.hold_intake(event)
        log.info("held_intake_corrected", participant_ref=event.participant_ref)
    elif event.route is Route.Z_ROUTE:
        raise AwaitingPredecessor(f"no plan yet for participant {event.participant_ref}")


async def withdraw(event: ParticipantWithdrawn, ctx: HandlerContext, deps: Deps) -> None:
    """Withdrawal ends the plan: out of the group and the waiting list, timers stopped,
    open placement requests cancelled."""
    uow: PlanningUnitOfWork = ctx.uow
    if not await uow.records.participant_known(event.participant_ref):
        raise AwaitingPredecessor(f"unknown participant {event.participant_ref}")
    plan = await uow.plans.get(event.participant_ref)
    if plan is None:
        await uow.records.release_held_intake(event.participant_ref)
        return  # withdrawn before a Z-route plan: nothing to end
    if not plan.is_open:
        return
    now = today(uow.clock.now())
    plan.withdraw()
    await lifecycle.leave_group(uow, plan, now, GroupChangeReason.WITHDRAWN)
    await uow.groups.clear_waiting(plan.participant_ref)
    await scheduling.stop_timers(uow, deps, plan)
    await placements.cancel_open(uow, plan, PlacementCancelReason.PARTICIPANT_WITHDRAWN)
    await uow.plans.save(plan)
    log.info("plan_withdrawn", participant_ref=plan.participant_ref)
