"""The waiting list: work no partner could take (at capacity, or none capable), handed
out again as soon as capacity frees or the registry or an agreement changes."""

from __future__ import annotations

from contextvars import ContextVar
from functools import partial

from zroute_contract.events.codes import PartnerCapability, RouteTask
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_support.adapters.participants_repo import ParticipantRepository
from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.adapters.waiting_repo import WaitingList
from zroute_support.domain.placements import PlacementStatus
from zroute_support.domain.preconditions import PreconditionStatus
from zroute_support.service_layer import lookups
from zroute_support.service_layer.preconditions import CAPABILITY, TASK
from zroute_support.service_layer.referral_requests import ReferralRequest
from zroute_support.service_layer.referrals import refer
from zroute_support.service_layer.rules import Rules, local_date

_DISPATCHING: ContextVar[bool] = ContextVar("support_dispatching", default=False)


async def dispatch_waiting(uow: UnitOfWork, rules: Rules) -> int:
    """Offer waiting referrals and placements to partners again; returns how many left
    the list. Re-entrant calls (a dispatched referral closing another) do nothing."""
    if _DISPATCHING.get():
        return 0
    token = _DISPATCHING.set(True)
    try:
        return await _referrals(uow, rules) + await _placements(uow) + await _preconditions(uow)
    finally:
        _DISPATCHING.reset(token)


async def _referrals(uow: UnitOfWork, rules: Rules) -> int:
    now = uow.clock.now()
    waiting = WaitingList(uow.conn)
    participants = ParticipantRepository(uow.conn)
    handed_out = 0
    for entry in await waiting.waiting():
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
        if (
            who is None
            or not who.active
            or consent is None
            or not consent.in_force(local_date(now))
        ):
            await waiting.resolve(entry.entry_id, now)
            continue
        result = await refer(uow, rules, who, request, waitlist=False)
        if result.referral is None:
            await waiting.set_reason(entry.entry_id, result.waiting_reason or entry.reason)
            continue
        await waiting.resolve(entry.entry_id, now)
        handed_out += 1
    return handed_out


async def _placements(uow: UnitOfWork) -> int:
    repo = PlacementRepository(uow.conn)
    handed_out = 0
    for placement in await repo.list():
        if placement.status is not PlacementStatus.WAITING:
            continue
        placement = await repo.get(placement.placement_request_id)
        assert placement is not None
        who = await lookups.participant(uow.conn, placement.participant_ref)
        choice = await lookups.route(
            uow.conn,
            who=who,
            task=RouteTask.PARTICIPATION_PLACEMENT,
            capability=PartnerCapability.PARTICIPATION_WORKPLACES,
            day=local_date(uow.clock.now()),
            load=repo.load,
            exclude=placement.declined_by,
        )
        placement.route_to(choice.partner_id, choice.reason)
        await repo.save(placement, uow.clock.now())
        handed_out += choice.partner_id is not None
    return handed_out


async def _preconditions(uow: UnitOfWork) -> int:
    repo = PreconditionRepository(uow.conn)
    handed_out = 0
    for precondition in await repo.list():
        if (
            precondition.partner_id is not None
            or precondition.status is not PreconditionStatus.NEEDED
        ):
            continue
        who = await lookups.participant(uow.conn, precondition.participant_ref)
        choice = await lookups.route(
            uow.conn,
            who=who,
            task=TASK[precondition.kind],
            capability=CAPABILITY[precondition.kind],
            day=local_date(uow.clock.now()),
            load=partial(repo.load, precondition.kind),
        )
        precondition.partner_id, precondition.waiting_reason = choice.partner_id, choice.reason
        await repo.save(precondition)
        handed_out += choice.partner_id is not None
    return handed_out
