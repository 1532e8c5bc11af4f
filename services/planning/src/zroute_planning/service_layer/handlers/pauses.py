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

A pause dated ahead (a treatment planned, a pregnancy leave) holds the plan from its first
day, not from the event's arrival: a timer (``case-pause-start``) holds it that morning.
A resumption dated ahead likewise releases it on its day (``case-pause-end``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zroute_contract.events.codes import GroupChangeReason, PauseReason, PlacementCancelReason
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext
from zroute_runtime.timers import DueTimer

from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps, morning_of, today
from zroute_planning.service_layer.handlers import placements
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


START, END = "case-pause-start", "case-pause-end"


async def participant_paused(event: ParticipantPaused, ctx: HandlerContext, deps: Deps) -> None:
    """The municipality paused the participant's route: the plan is held from its first day."""
    key = f"participant:{event.pause_id}"
    await _hold_from(ctx.uow, key, event.participant_ref, event.reason, event.paused_from)


async def care_pause_started(event: CarePauseStarted, ctx: HandlerContext, deps: Deps) -> None:
    """A referral's care pauses the route: the plan is held for care from its first day."""
    key = f"care:{event.pause_id}"
    await _hold_from(ctx.uow, key, event.participant_ref, PauseReason.CARE, event.paused_from)


async def participant_resumed(event: ParticipantResumed, ctx: HandlerContext, deps: Deps) -> None:
    """The participant's pause ended: the plan resumes on the day given, unless something
    else holds it."""
    key = f"participant:{event.pause_id}"
    await _release_on(ctx.uow, deps, key, event.participant_ref, event.resumed_on)


async def care_pause_ended(event: CarePauseEnded, ctx: HandlerContext, deps: Deps) -> None:
    """The care pause ended: the plan resumes on the day given, unless something else
    holds it."""
    key = f"care:{event.pause_id}"
    await _release_on(ctx.uow, deps, key, event.participant_ref, event.ended_on)


async def on_pause_start(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The ``case-pause-start`` timer: a pause dated ahead begins today."""
    payload = timer.payload
    await _hold(
        uow,
        payload["key"],
        payload["participant_ref"],
        PauseReason(payload["reason"]),
        date.fromisoformat(payload["paused_from"]),
    )


async def on_pause_end(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The ``case-pause-end`` timer: a resumption dated ahead takes effect today."""
    await _release(uow, deps, timer.payload["key"], timer.payload["participant_ref"])


def _timer_key(participant_ref: str, key: str) -> str:
    return f"{participant_ref}|{key}"


async def _hold_from(
    uow: PlanningUnitOfWork, key: str, participant_ref: str, reason: PauseReason, on: date
) -> None:
    if on > today(uow.clock.now()):
        # Dated ahead: the plan runs (and is taught) until the pause's first day.
        payload: dict[str, Any] = {
            "participant_ref": participant_ref,
            "key": key,
            "reason": reason.value,
            "paused_from": on.isoformat(),
        }
        await uow.timers.schedule(
            kind=START, key=_timer_key(participant_ref, key), due_at=morning_of(on), payload=payload
        )
        log.info("pause_planned", participant_ref=participant_ref, key=key, paused_from=on)
        return
    await _hold(uow, key, participant_ref, reason, on)


async def _release_on(
    uow: PlanningUnitOfWork, deps: Deps, key: str, participant_ref: str, on: date
) -> None:
    timer_key = _timer_key(participant_ref, key)
    if on > today(uow.clock.now()):
        payload = {"participant_ref": participant_ref, "key": key}
        await uow.timers.schedule(kind=END, key=timer_key, due_at=morning_of(on), payload=payload)
        log.info("resumption_planned", participant_ref=participant_ref, key=key, resumed_on=on)
        return
    # A pause that ended before its start timer fired never held the plan.
    await uow.timers.cancel(kind=START, key=timer_key)
    await _release(uow, deps, key, participant_ref)


async def _hold(
    uow: PlanningUnitOfWork, key: str, participant_ref: str, reason: PauseReason, on: date
) -> None:
    plan = await uow.plans.get(participant_ref)
    if plan is None or not plan.is_open:
        # No plan runs (the PIP is not established yet, or the route ended): nothing to hold.
        log.info("pause_without_open_plan", participant_ref=participant_ref, key=key)
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
