"""Placements (lesson L4) and job coaches (lesson L8): routed to the responsible
participation partner, confirmed with a workplace and a job coach, checked in on."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from zroute_contract.events.codes import CheckInOutcome, CheckInParty, PartnerCapability, RouteTask
from zroute_contract.events.planning import PlacementRequested
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.placements import JobCoach, Placement, Workplace
from zroute_support.service_layer import lookups
from zroute_support.service_layer.rules import Rules, check_reason, local_date


async def open_request(uow: UnitOfWork, event: PlacementRequested) -> Placement:
    repo = PlacementRepository(uow.conn)
    existing = await repo.get(event.placement_request_id)
    if existing is not None:
        return existing
    who = await lookups.participant(uow.conn, event.participant_ref)
    choice = await lookups.route(
        uow.conn,
        who=who,
        task=RouteTask.PARTICIPATION_PLACEMENT,
        capability=PartnerCapability.PARTICIPATION_WORKPLACES,
        day=local_date(uow.clock.now()),
        load=repo.load,
    )
    placement = Placement(
        placement_request_id=event.placement_request_id,
        participant_ref=event.participant_ref,
        programme_id=event.programme_id,
        activity=event.activity,
        needed_by=event.needed_by,
        hours_per_week=event.hours_per_week,
        partner_id=None,
    )
    placement.route_to(choice.partner_id, choice.reason)
    await repo.save(placement, uow.clock.now())
    return placement


async def load(uow: UnitOfWork, request_id: UUID) -> Placement:
    found = await PlacementRepository(uow.conn).get(request_id)
    if found is None:
        raise NotFound(f"unknown placement request {request_id}")
    return found


async def save(uow: UnitOfWork, placement: Placement) -> None:
    await PlacementRepository(uow.conn).save(placement, uow.clock.now())
    uow.track(placement)


async def job_coach_for(
    uow: UnitOfWork, placement: Placement, staff_ref: str, partner_id: str | None, on: date
) -> JobCoach:
    """The job coach's partner: the one named, else the one responsible for job coaching
    under the agreement on ``on``; it must have the capability."""
    if partner_id is None:
        agreement = await lookups.agreement_on(uow.conn, placement.programme_id, on)
        partner_id = agreement.responsible_for(RouteTask.JOB_COACHING) if agreement else None
    if partner_id is None:
        raise Refused("no partner is responsible for job coaching; name the job coach's partner")
    await lookups.capable_partner(uow.conn, partner_id, PartnerCapability.JOB_COACHING)
    return JobCoach(partner_id, staff_ref)


async def confirm(
    uow: UnitOfWork,
    placement: Placement,
    workplace: Workplace,
    coach_ref: str,
    coach_partner: str | None,
) -> None:
    coach = await job_coach_for(uow, placement, coach_ref, coach_partner, workplace.starts_on)
    placement.confirm(workplace, coach)
    await save(uow, placement)


async def decline(uow: UnitOfWork, rules: Rules, placement: Placement, reason: str) -> None:
    check_reason(reason, rules.placement_decline_reasons, "decline")
    who = await lookups.participant(uow.conn, placement.participant_ref)
    exclude = {*placement.declined_by, placement.partner_id or ""}
    choice = await lookups.route(
        uow.conn,
        who=who,
        task=RouteTask.PARTICIPATION_PLACEMENT,
        capability=PartnerCapability.PARTICIPATION_WORKPLACES,
        day=local_date(uow.clock.now()),
        load=PlacementRepository(uow.conn).load,
        exclude=exclude,
    )
    placement.decline(reason, choice.partner_id, choice.reason)
    await save(uow, placement)


async def check_in(
    uow: UnitOfWork,
    placement: Placement,
    party: CheckInParty,
    held_on: date,
    outcome: CheckInOutcome,
) -> None:
    coach = placement.record_check_in(party, held_on, outcome)
    assert placement.placement_id is not None
    await PlacementRepository(uow.conn).add_check_in(
        placement.placement_id, coach, party, held_on, outcome, uow.clock.now()
    )
    uow.track(placement)
