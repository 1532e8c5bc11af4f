"""The waiting list: work no partner could take (at capacity, or none capable), handed
out again as soon as capacity frees or the registry or an agreement changes."""

from __future__ import annotations

from contextvars import ContextVar
from functools import partial

from zroute_contract.events.codes import PartnerCapability, RouteTask
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_support.domain.placements import PlacementStatus
from zroute_support.domain.preconditions import PreconditionStatus
from zroute_support.domain.referral_requests import ReferralRequest
from zroute_support.domain.urgency import serving_order
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import routing
from zroute_support.service_layer.handlers.referrals import refer
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)

_DISPATCHING: ContextVar[bool] = ContextVar("support_dispatching", default=False)


async def dispatch_waiting(uow: SupportUnitOfWork, deps: Deps) -> int:
    """Offer waiting referrals and placements to partners again; returns how many left
    the list. Re-entrant calls (a dispatched referral closing another) do nothing."""
    if _DISPATCHING.get():
        return 0
    token = _DISPATCHING.set(True)
    try:
        return (
            await _referrals(uow, deps) + await _placements(uow) + await _preconditions(uow, deps)
        )
    finally:
        _DISPATCHING.reset(token)


async def dispatch_at_start(uow: SupportUnitOfWork, *, deps: Deps) -> None:
    """At every start: hand out again what waits. A setting changed with the restart (a
    precondition kind configured now, ``ZROUTE_PRECONDITION_KINDS``; another overflow
    order) may route work no event would have handed out before the next one came."""
    handed_out = await dispatch_waiting(uow, deps)
    _log.info("waiting.dispatched_at_start", handed_out=handed_out)


async def _referrals(uow: SupportUnitOfWork, deps: Deps) -> int:
    now = uow.clock.now()
    waiting = uow.waiting
    participants = uow.participants
    handed_out = 0
    # The most urgent first, then whoever waited longest: freed capacity goes to them.
    for entry in serving_order(await waiting.waiting()):
        if entry.kind != "referral":
            continue
        who = await participants.get(entry.participant_ref)
        request = ReferralRequest.from_json(entry.request)
        consent = next(
            (
                c
                for c in await participants.consents(entry.participant_ref)
                if c.consent_id == request.consent_id
            ),
            None,
        )
        covered = request.consent_overridden or (
            consent is not None and consent.in_force(local_day(now))
        )
        if who is None or not who.active or not covered:
            await waiting.resolve(entry.entry_id, now)
            continue
        result = await refer(uow, deps, who, request, waitlist=False)
        if result.referral is None:
            await waiting.set_reason(entry.entry_id, result.waiting_reason or entry.reason)
            continue
        await waiting.resolve(entry.entry_id, now)
        handed_out += 1
    return handed_out


async def _placements(uow: SupportUnitOfWork) -> int:
    repo = uow.placements
    handed_out = 0
    for listed in await repo.list():
        if listed.status is not PlacementStatus.WAITING:
            continue
        placement = await repo.get(listed.placement_request_id)  # locked for the change
        assert placement is not None
        who = await routing.participant(uow, placement.participant_ref)
        choice = await routing.route(
            uow,
            who=who,
            task=RouteTask.PARTICIPATION_PLACEMENT,
            capability=PartnerCapability.PARTICIPATION_WORKPLACES,
            day=local_day(uow.clock.now()),
            load=repo.load,
            exclude=placement.declined_by,
        )
        placement.route_to(choice.partner_id, choice.reason)
        await repo.save(placement, uow.clock.now())
        handed_out += choice.partner_id is not None
    return handed_out


async def _preconditions(uow: SupportUnitOfWork, deps: Deps) -> int:
    repo = uow.preconditions
    handed_out = 0
    for precondition in await repo.list():
        if (
            precondition.partner_id is not None
            or precondition.status is not PreconditionStatus.NEEDED
        ):
            continue
        rule = deps.precondition_kinds.get(precondition.precondition_code)
        if rule is None:
            continue  # a kind support has no rule for waits for its configuration
        who = await routing.participant(uow, precondition.participant_ref)
        choice = await routing.route(
            uow,
            who=who,
            task=rule.task,
            capability=rule.capability,
            day=local_day(uow.clock.now()),
            load=partial(repo.load, precondition.precondition_code),
        )
        precondition.partner_id, precondition.waiting_reason = choice.partner_id, choice.reason
        await repo.save(precondition)
        handed_out += choice.partner_id is not None
    return handed_out
