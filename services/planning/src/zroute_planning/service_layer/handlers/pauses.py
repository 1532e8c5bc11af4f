"""Pauses of the route (issue 15): the participant's own pause from intake
(``participant-paused``/``-resumed``: illness, pregnancy, treatment, a care admission, a
request) and a referral's care pause from support (``care-pause-started``/``-ended``).

A pause holds the plan (``PauseReason.CARE`` or ``PARTICIPANT_REQUEST``) and frees
nothing: the group seat, placements and arrangements stay, so the participant comes back
to the same group. When the last pause ends the plan resumes and its projection is
reassessed; for the reasons configured in ``pause_moves_projection`` the paused days move
the remaining weeks. The term does not move (only DUO's extension moves it, W 12).
"""

from __future__ import annotations

from datetime import date

from zroute_contract.events.codes import PauseReason
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def participant_paused(event: ParticipantPaused, ctx: HandlerContext, deps: Deps) -> None:
    """The municipality paused the participant's route: the plan is held."""
    await _hold(ctx.uow, f"participant:{event.pause_id}", event, event.reason, event.paused_from)


async def care_pause_started(event: CarePauseStarted, ctx: HandlerContext, deps: Deps) -> None:
    """A referral's care pauses the route: the plan is held for care."""
    await _hold(ctx.uow, f"care:{event.pause_id}", event, PauseReason.CARE, event.paused_from)


async def participant_resumed(event: ParticipantResumed, ctx: HandlerContext, deps: Deps) -> None:
    """The participant's pause ended: the plan resumes unless something else holds it."""
    await _release(ctx.uow, deps, f"participant:{event.pause_id}", event.participant_ref)


async def care_pause_ended(event: CarePauseEnded, ctx: HandlerContext, deps: Deps) -> None:
    """The care pause ended: the plan resumes unless something else holds it."""
    await _release(ctx.uow, deps, f"care:{event.pause_id}", event.participant_ref)


async def _hold(
    uow: PlanningUnitOfWork,
    key: str,
    event: ParticipantPaused | CarePauseStarted,
    reason: PauseReason,
    on: date,
) -> None:
    plan = await uow.plans.get(event.participant_ref)
    if plan is None or not plan.is_open:
        # No plan runs (the PIP is not established yet, or the route ended): nothing to hold.
        log.info("pause_without_open_plan", participant_ref=event.participant_ref, key=key)
        return
    if plan.hold_for_case(key, reason, on):
        log.info("plan_paused_for_case", participant_ref=plan.participant_ref, reason=reason)
    await uow.plans.save(plan)


async def _release(uow: PlanningUnitOfWork, deps: Deps, key: str, participant_ref: str) -> None:
    plan = await uow.plans.get(participant_ref)
    if plan is None or key not in plan.case_holds:
        log.info("pause_end_without_hold", participant_ref=participant_ref, key=key)
        return  # a redelivery, or a pause that held no plan
    now = today(uow.clock.now())
    was_waiting = plan.start_on is None
    if plan.release_case(key, now, deps.rules):
        await _resumed(uow, deps, plan, now, started=was_waiting)
    elif plan.is_open and not plan.case_holds and plan.missing:
        # A precondition lapsed during the pause: the plan now waits for it as a lapse
        # would have made it (seat freed, on the waiting list).
        await lifecycle.paused(uow, plan, now)
    await uow.plans.save(plan)


async def _resumed(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, now: date, *, started: bool
) -> None:
    """The projection follows the pause; a participant still in their group goes on with
    it, one who is not (a plan that just started) waits for a group as any start does."""
    projection = await scheduling.reassess(uow, deps, plan, now)
    if started or await uow.groups.current_group(plan.participant_ref) is None:
        await lifecycle.started(uow, deps, plan, now, projection)
        return
    await scheduling.plan_timers(uow, deps, plan, now, projection)
    if (week := await scheduling.publish_schedule(uow, deps, plan, now)) is not None:
        plan.record(week)
    log.info("plan_resumed_after_pause", participant_ref=plan.participant_ref)
