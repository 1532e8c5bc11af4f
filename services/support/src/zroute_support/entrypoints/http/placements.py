"""``/placements``: placement requests, confirmed workplaces, job coaches and check-ins
(lessons L4, L8). Partner staff see the placements of their partner (as participation
partner or as job coach's partner) only; caseworkers and coordinators whose token names a
municipality see and act on the placements of that municipality's participants only."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import CheckInOutcome, CheckInParty, ParticipationActivity
from zroute_contract.events.parts import Hours
from zroute_contract.types import EmployerId, LocationId, PartnerId, ProgrammeId, StaffRef
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.placements import Placement, PlacementStatus, Workplace
from zroute_support.domain.routing import WaitCode
from zroute_support.entrypoints.http.deps import Anyone, SupportDeps
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import check_in_rhythm as check_in_rhythm_service
from zroute_support.service_layer.handlers import placement_life
from zroute_support.service_layer.handlers import placements as service

router = APIRouter(prefix="/placements", tags=["placements"])


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


class StartIn(BaseModel):
    started_on: date


class ChangeIn(BaseModel):
    """What changes (the rest stays), and from when."""

    employer_id: EmployerId | None = None
    location_id: LocationId | None = None
    hours_per_week: Hours | None = None
    changed_from: date


class RhythmIn(BaseModel):
    every_days: int = Field(ge=1, le=366, description="Days between job-coach check-ins.")


class EndIn(BaseModel):
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")
    ended_on: date


class PlacementOut(BaseModel):
    placement_request_id: UUID
    participant_ref: str
    programme_id: str
    activity: ParticipationActivity
    needed_by: date
    hours_per_week: float
    partner_id: str | None
    status: PlacementStatus
    waiting_reason: str | None = Field(description="Why no partner was found, in English.")
    waiting_reason_code: WaitCode | None = None
    waiting_reason_params: dict[str, str] = Field(default_factory=dict)
    escalation_level: int
    placement_id: UUID | None
    employer_id: str | None = None
    location_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    job_coach: JobCoachOut | None = None
    started_on: date | None = None
    end_reason: str | None = None
    starts_after_needed_by: bool = False
    check_in_every_days: int | None = None
    last_check_in: date | None = None
    replaces_placement_id: UUID | None = None

    @classmethod
    def of(cls, p: Placement) -> PlacementOut:
        w, c = p.workplace, p.job_coach
        return cls(
            **{
                k: getattr(p, k)
                for k in cls.model_fields
                if k not in _LATER and not k.startswith("waiting_reason")
            },
            waiting_reason=p.waiting_reason.sentence() if p.waiting_reason else None,
            waiting_reason_code=p.waiting_reason.code if p.waiting_reason else None,
            waiting_reason_params=p.waiting_reason.parameters if p.waiting_reason else {},
            employer_id=w.employer_id if w else None,
            location_id=w.location_id if w else None,
            starts_on=w.starts_on if w else None,
            ends_on=w.ends_on if w else None,
            job_coach=JobCoachOut(staff_ref=c.staff_ref, partner_id=c.partner_id) if c else None,
            starts_after_needed_by=p.late,
            replaces_placement_id=p.replaces,
        )


_LATER = {
    "employer_id",
    "location_id",
    "starts_on",
    "ends_on",
    "job_coach",
    "starts_after_needed_by",
    "replaces_placement_id",
}


@router.get("")
async def list_placements(
    principal: Anyone, runtime: Runtime, request: Request, programme_id: ProgrammeId | None = None
) -> list[PlacementOut]:
    async with command(runtime, request) as uow:
        found = await views.placements(uow, principal, programme_id)
    return [PlacementOut.of(p) for p in found]


@router.get("/{request_id}")
async def read(
    request_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> PlacementOut:
    async with command(runtime, request) as uow:
        return PlacementOut.of(await views.placement(uow, principal, request_id))


@router.post("/{request_id}/confirm")
async def confirm(
    request_id: UUID,
    body: ConfirmIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """The participation partner confirms the workplace; the job coach is assigned with it."""
    workplace = Workplace(
        employer_id=body.employer_id,
        location_id=body.location_id,
        starts_on=body.starts_on,
        hours_per_week=body.hours_per_week,
        ends_on=body.ends_on,
    )
    placement = await run_command(
        runtime,
        request,
        lambda uow: service.confirm_as(
            uow,
            deps,
            principal,
            request_id,
            workplace,
            body.job_coach.staff_ref,
            body.job_coach.partner_id,
        ),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/decline")
async def decline(
    request_id: UUID,
    body: DeclineIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """The partner cannot offer a workplace: the next capable partner gets the request."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: service.decline_as(uow, deps, principal, request_id, body.reason),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/job-coach")
async def assign_job_coach(
    request_id: UUID, body: JobCoachIn, principal: Anyone, runtime: Runtime, request: Request
) -> PlacementOut:
    """Hand the placement over to another job coach."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: service.hand_over(uow, principal, request_id, body.staff_ref, body.partner_id),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/check-ins", status_code=201)
async def check_in(
    request_id: UUID,
    body: CheckInIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """A job-coach check-in with the participant or the employer."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: service.check_in_as(
            uow, deps, principal, request_id, body.party, body.held_on, body.outcome
        ),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/start")
async def start(
    request_id: UUID,
    body: StartIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """The participant started on the confirmed workplace."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: placement_life.start_as(uow, deps, principal, request_id, body.started_on),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/change")
async def change(
    request_id: UUID, body: ChangeIn, principal: Anyone, runtime: Runtime, request: Request
) -> PlacementOut:
    """Another workplace or other hours, from ``changed_from``."""
    changes = body.model_dump(exclude={"changed_from"})
    placement = await run_command(
        runtime,
        request,
        lambda uow: placement_life.change_as(
            uow, principal, request_id, changes, body.changed_from
        ),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/end")
async def end(
    request_id: UUID,
    body: EndIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """The placement ends before its time, with a reason (the employer dropped out, ...)."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: placement_life.end_as(
            uow, deps, principal, request_id, body.reason, body.ended_on
        ),
    )
    return PlacementOut.of(placement)


@router.post("/{request_id}/replace")
async def replace(
    request_id: UUID, principal: Anyone, runtime: Runtime, deps: SupportDeps, request: Request
) -> PlacementOut:
    """Serve the request again after the employer ended its placement: the partner then
    confirms a new workplace (``replaces_placement_id``); the escalation stays open until
    the replacement starts."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: placement_life.replace_as(uow, deps, principal, request_id),
    )
    return PlacementOut.of(placement)


@router.put("/{request_id}/check-in-rhythm")
async def check_in_rhythm(
    request_id: UUID,
    body: RhythmIn,
    principal: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PlacementOut:
    """The placement's own check-in rhythm (days between check-ins)."""
    placement = await run_command(
        runtime,
        request,
        lambda uow: check_in_rhythm_service.set_rhythm_as(
            uow, deps, principal, request_id, body.every_days
        ),
    )
    return PlacementOut.of(placement)
