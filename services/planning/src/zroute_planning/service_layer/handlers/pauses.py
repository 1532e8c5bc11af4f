"""Pauses of the route (issue 15): the participant's own pause from intake
(``participant-paused``/``-resumed``: illness, pregnancy, treatment, a care admission, a
request) and a referral's care pause from support (``care-pause-started``/``-ended``).

A pause holds the plan (``PauseReason.CARE`` or ``PARTICIPANT_REQUEST``). As any paused
plan it leaves its group (formation places active plans only) and withdraws open
placement requests; it frees nothing else: confirmed placements, arrangements, the hours
and the PIP stay. When the last pause ends the plan resumes as any start does (waiting
list, formation, a placement request), its projection reassessed; for the reasons
configured in ``pause_moves_projection`` the paused days move the remaining weeks. The
term does not move (only DUO's extension moves it, W 12).
"""

from __future__ import annotations

from datetime import date

from zroute_contract.events.codes import GroupChangeReason, PauseReason, PlacementCancelReason
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.handlers import placements
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
        now = today(uow.clock.now())
        await lifecycle.leave_group(uow, plan, now, GroupChangeReason.PAUSED)
        await placements.cancel_open(uow, plan, PlacementCancelReason.PLAN_PAUSED)
        log.info("plan_paused_for_case", participant_ref=plan.participant_ref, reason=reason)
    await uow.plans.save(plan)


async def _release(uow: PlanningUnitOfWork, deps: Deps, key: str, participant_ref: str) -> None:
    plan = await uow.plans.get(participant_ref)
    if plan is None or key not in plan.case_holds:
        log.info("pause_end_without_hold", participant_ref=participant_ref, key=key)
        return  # a redelivery, or a pause that held no plan
    now = today(uow.clock.now())
    if plan.release_case(key, now, deps.rules):
        projection = await scheduling.reassess(uow, deps, plan, now)
        await lifecycle.started(uow, deps, plan, now, projection)
        log.info("plan_resumed_after_pause", participant_ref=plan.participant_ref)
    elif plan.is_open and not plan.case_holds and plan.missing:
        # A precondition lapsed during the pause: the plan now waits for it as a lapse
        # would have made it (seat freed, on the waiting list).
        await lifecycle.paused(uow, plan, now)
    await uow.plans.save(plan)
