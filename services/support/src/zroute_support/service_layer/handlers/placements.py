"""Placements (lesson L4) and job coaches (lesson L8): routed to the responsible
participation partner, confirmed with a workplace and a job coach, checked in on."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from zroute_contract.events.codes import CheckInOutcome, CheckInParty, PartnerCapability, RouteTask
from zroute_contract.events.planning import PlacementRequested
from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day, local_moment
from zroute_runtime.logging import get_logger

from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.placements import JobCoach, Placement, Workplace
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps, check_reason
from zroute_support.service_layer.handlers import employers, routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)

CHECK_IN_TIMER = "check-in-due"


def check_in_key(placement: Placement, level: int) -> str:
    # The placement names the key, so a replacement (a new placement id) ignores the
    # ended placement's timers.
    return f"{placement.placement_request_id}/{placement.placement_id}/{level}"


async def schedule_next(uow: SupportUnitOfWork, deps: Deps, placement: Placement) -> None:
    """(Re)schedule the overdue check for the placement's next due check-in."""
    due = placement.check_in_due_on(deps.check_in_every_days)
    if due is None:
        return
    await uow.timers.schedule(
        kind=CHECK_IN_TIMER,
        key=check_in_key(placement, 1),
        due_at=local_moment(due + timedelta(days=1)),
    )


async def open_request(uow: SupportUnitOfWork, event: PlacementRequested) -> Placement:
    repo = uow.placements
    existing = await repo.get(event.placement_request_id)
    if existing is not None:
        return existing
    who = await routing.participant(uow, event.participant_ref)
    choice = await routing.route(
        uow,
        who=who,
        task=RouteTask.PARTICIPATION_PLACEMENT,
        capability=PartnerCapability.PARTICIPATION_WORKPLACES,
        day=local_day(uow.clock.now()),
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
    _log.info(
        "placement_routed",
        placement_request_id=str(placement.placement_request_id),
        partner_id=choice.partner_id,
    )
    return placement


async def load(uow: SupportUnitOfWork, request_id: UUID) -> Placement:
    found = await uow.placements.get(request_id)
    if found is None:
        raise NotFound(f"unknown placement request {request_id}")
    return found


async def save(uow: SupportUnitOfWork, placement: Placement) -> None:
    await uow.placements.save(placement, uow.clock.now())
    _log.info(
        "placement_changed",
        placement_request_id=str(placement.placement_request_id),
        status=placement.status.value,
    )


async def job_coach_for(
    uow: SupportUnitOfWork, placement: Placement, staff_ref: str, partner_id: str | None, on: date
) -> JobCoach:
    """The job coach's partner: the one named, else the one responsible for job coaching
    under the agreement on ``on``; it must have the capability."""
    if partner_id is None:
        agreement = await routing.agreement_on(uow, placement.programme_id, on)
        partner_id = agreement.responsible_for(RouteTask.JOB_COACHING) if agreement else None
    if partner_id is None:
        raise Refused("no partner is responsible for job coaching; name the job coach's partner")
    await routing.capable_partner(uow, partner_id, PartnerCapability.JOB_COACHING)
    return JobCoach(partner_id, staff_ref)


async def confirm(
    uow: SupportUnitOfWork,
    deps: Deps,
    placement: Placement,
    workplace: Workplace,
    coach_ref: str,
    coach_partner: str | None,
) -> None:
    await employers.registered_employer(uow, workplace.employer_id)
    coach = await job_coach_for(uow, placement, coach_ref, coach_partner, workplace.starts_on)
    placement.confirm(workplace, coach)
    await save(uow, placement)
    await schedule_next(uow, deps, placement)


async def decline(uow: SupportUnitOfWork, deps: Deps, placement: Placement, reason: str) -> None:
    check_reason(reason, deps.placement_decline_reasons, "decline")
    who = await routing.participant(uow, placement.participant_ref)
    exclude = {*placement.declined_by, placement.partner_id or ""}
    choice = await routing.route(
        uow,
        who=who,
        task=RouteTask.PARTICIPATION_PLACEMENT,
        capability=PartnerCapability.PARTICIPATION_WORKPLACES,
        day=local_day(uow.clock.now()),
        load=uow.placements.load,
        exclude=exclude,
        overflow_order=deps.overflow_order,
    )
    placement.decline(reason, choice.partner_id, choice.reason)
    await save(uow, placement)


async def check_in(
    uow: SupportUnitOfWork,
    deps: Deps,
    placement: Placement,
    party: CheckInParty,
    held_on: date,
    outcome: CheckInOutcome,
) -> None:
    coach = placement.record_check_in(party, held_on, outcome)
    assert placement.placement_id is not None
    await uow.placements.add_check_in(
        placement.placement_id, coach, party, held_on, outcome, uow.clock.now()
    )
    await save(uow, placement)  # the last check-in moves the rhythm's due day
    await schedule_next(uow, deps, placement)
    _log.info("check_in_recorded", placement_id=str(placement.placement_id), outcome=outcome.value)


async def confirm_as(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    request_id: UUID,
    workplace: Workplace,
    coach_ref: str,
    coach_partner: str | None,
) -> Placement:
    """The participation partner confirms the workplace; the job coach is assigned with it."""
    placement = await load(uow, request_id)
    await access.ensure_participant_municipality(
        uow, principal, placement.participant_ref, "placement"
    )
    access.ensure_partner(principal, placement.partner_id)
    await confirm(uow, deps, placement, workplace, coach_ref, coach_partner)
    return placement


async def decline_as(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, request_id: UUID, reason: str
) -> Placement:
    """The partner cannot offer a workplace: the next capable partner gets the request."""
    placement = await load(uow, request_id)
    await access.ensure_participant_municipality(
        uow, principal, placement.participant_ref, "placement"
    )
    access.ensure_partner(principal, placement.partner_id)
    await decline(uow, deps, placement, reason)
    return placement


async def hand_over(
    uow: SupportUnitOfWork,
    principal: Principal,
    request_id: UUID,
    staff_ref: str,
    partner_id: str | None,
) -> Placement:
    """Hand the placement over to another job coach, from today."""
    placement = await load(uow, request_id)
    await access.ensure_placement(uow, principal, placement)
    today = local_day(uow.clock.now())
    coach = await job_coach_for(uow, placement, staff_ref, partner_id, today)
    placement.assign_job_coach(coach, today)
    await save(uow, placement)
    return placement


async def check_in_as(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    request_id: UUID,
    party: CheckInParty,
    held_on: date,
    outcome: CheckInOutcome,
) -> Placement:
    """A job-coach check-in with the participant or the employer."""
    placement = await load(uow, request_id)
    await access.ensure_placement(uow, principal, placement)
    await check_in(uow, deps, placement, party, held_on, outcome)
    return placement
