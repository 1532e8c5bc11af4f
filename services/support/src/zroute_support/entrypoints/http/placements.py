"""``/placements``: placement requests, confirmed workplaces, job coaches and check-ins
(lessons L4, L8). Partner staff see the placements of their partner (as participation
partner or as job coach's partner) only; caseworkers and coordinators whose token names a
municipality see and act on the placements of that municipality's participants only."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
from fastapi import APIRouter
from pydantic import BaseModel, Field
from zroute_contract.events.codes import CheckInOutcome, CheckInParty, ParticipationActivity
from zroute_contract.events.parts import Hours
from zroute_contract.types import EmployerId, LocationId, PartnerId, ProgrammeId, StaffRef
from zroute_runtime.auth import Principal, ensure_partner_access
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.domain.errors import NotFound
from zroute_support.domain.placements import Placement, PlacementStatus, Workplace
from zroute_support.entrypoints.http.deps import (
    Anyone,
    DomainErrorRoute,
    RulesDep,
    ensure_participant_municipality,
    own_municipality,
    own_partner,
)
from zroute_support.service_layer import placements as service
from zroute_support.service_layer.rules import local_date

router = APIRouter(prefix="/placements", tags=["placements"], route_class=DomainErrorRoute)


class JobCoachIn(BaseModel):
    staff_ref: StaffRef
    partner_id: PartnerId | None = Field(
        default=None, description="The coach's partner; default: responsible for job coaching."
    )


class JobCoachOut(BaseModel):
    staff_ref: str
    partner_id: str


class ConfirmIn(BaseModel):
    employer_id: EmployerId
    location_id: LocationId
    starts_on: date
    ends_on: date | None = None
    hours_per_week: Hours
    job_coach: JobCoachIn


class DeclineIn(BaseModel):
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")


class CheckInIn(BaseModel):
    party: CheckInParty
    held_on: date
    outcome: CheckInOutcome


class PlacementOut(BaseModel):
    placement_request_id: UUID
    participant_ref: str
    programme_id: str
    activity: ParticipationActivity
    needed_by: date
    hours_per_week: float
    partner_id: str | None
    status: PlacementStatus
    waiting_reason: str | None
    escalation_level: int
    placement_id: UUID | None
    employer_id: str | None = None
    location_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    job_coach: JobCoachOut | None = None

    @classmethod
    def of(cls, p: Placement) -> PlacementOut:
        w, c = p.workplace, p.job_coach
        return cls(
            **{k: getattr(p, k) for k in cls.model_fields if k not in _LATER},
            employer_id=w.employer_id if w else None,
            location_id=w.location_id if w else None,
            starts_on=w.starts_on if w else None,
            ends_on=w.ends_on if w else None,
            job_coach=JobCoachOut(staff_ref=c.staff_ref, partner_id=c.partner_id) if c else None,
        )


_LATER = {"employer_id", "location_id", "starts_on", "ends_on", "job_coach"}


async def _may_see(principal: Principal, conn: asyncpg.Connection, placement: Placement) -> None:
    """403 unless the caller may see the placement: its municipality, and for partner staff
    its participation or job-coach partner."""
    await _in_municipality(principal, conn, placement)
    own = own_partner(principal)
    if own is None:
        return
    coach = placement.job_coach.partner_id if placement.job_coach else None
    if own != coach:
        ensure_partner_access(principal, placement.partner_id or "-")


async def _in_municipality(
    principal: Principal, conn: asyncpg.Connection, placement: Placement
) -> None:
    await ensure_participant_municipality(principal, conn, placement.participant_ref, "placement")


@router.get("")
async def list_placements(
    principal: Anyone, runtime: Runtime, programme_id: ProgrammeId | None = None
) -> list[PlacementOut]:
    async with runtime.pool.acquire() as conn:
        found = await PlacementRepository(conn).list(
            partner_id=own_partner(principal),
            programme_id=programme_id,
            municipality=own_municipality(principal),
        )
    return [PlacementOut.of(p) for p in found]


@router.get("/{request_id}")
async def read(request_id: UUID, principal: Anyone, runtime: Runtime) -> PlacementOut:
    async with runtime.pool.acquire() as conn:
        placement = await PlacementRepository(conn).get(request_id, for_update=False)
        if placement is None:
            raise NotFound(f"unknown placement request {request_id}")
        await _may_see(principal, conn, placement)
    return PlacementOut.of(placement)


@router.post("/{request_id}/confirm")
async def confirm(
    request_id: UUID, body: ConfirmIn, principal: Anyone, runtime: Runtime
) -> PlacementOut:
    """The participation partner confirms the workplace; the job coach is assigned with it."""
    async with runtime.uow(MessageContext.new()) as uow:
        placement = await service.load(uow, request_id)
        await _in_municipality(principal, uow.conn, placement)
        ensure_partner_access(principal, placement.partner_id or "-")
        workplace = Workplace(
            employer_id=body.employer_id,
            location_id=body.location_id,
            starts_on=body.starts_on,
            hours_per_week=body.hours_per_week,
            ends_on=body.ends_on,
        )
        await service.confirm(
            uow, placement, workplace, body.job_coach.staff_ref, body.job_coach.partner_id
        )
        await uow.commit()
    return PlacementOut.of(placement)


@router.post("/{request_id}/decline")
async def decline(
    request_id: UUID, body: DeclineIn, principal: Anyone, runtime: Runtime, rules: RulesDep
) -> PlacementOut:
    """The partner cannot offer a workplace: the next capable partner gets the request."""
    async with runtime.uow(MessageContext.new()) as uow:
        placement = await service.load(uow, request_id)
        await _in_municipality(principal, uow.conn, placement)
        ensure_partner_access(principal, placement.partner_id or "-")
        await service.decline(uow, rules, placement, body.reason)
        await uow.commit()
    return PlacementOut.of(placement)


@router.post("/{request_id}/job-coach")
async def assign_job_coach(
    request_id: UUID, body: JobCoachIn, principal: Anyone, runtime: Runtime
) -> PlacementOut:
    """Hand the placement over to another job coach."""
    async with runtime.uow(MessageContext.new()) as uow:
        placement = await service.load(uow, request_id)
        await _may_see(principal, uow.conn, placement)
        today = local_date(uow.clock.now())
        coach = await service.job_coach_for(uow, placement, body.staff_ref, body.partner_id, today)
        placement.assign_job_coach(coach, today)
        await service.save(uow, placement)
        await uow.commit()
    return PlacementOut.of(placement)


@router.post("/{request_id}/check-ins", status_code=201)
async def check_in(
    request_id: UUID, body: CheckInIn, principal: Anyone, runtime: Runtime
) -> PlacementOut:
    """A job-coach check-in with the participant or the employer."""
    async with runtime.uow(MessageContext.new()) as uow:
        placement = await service.load(uow, request_id)
        await _may_see(principal, uow.conn, placement)
        await service.check_in(uow, placement, body.party, body.held_on, body.outcome)
        await uow.commit()
    return PlacementOut.of(placement)
