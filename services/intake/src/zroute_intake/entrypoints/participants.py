"""Participants: register, read one (personal data only with a purpose, logged), list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status
from zroute_contract.types import STAFF_REF_PATTERN
from zroute_runtime.auth import Principal, Role

from zroute_intake.adapters import access_log, queries
from zroute_intake.adapters.repository import ParticipantRepository
from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.values import Status
from zroute_intake.entrypoints.dependencies import (
    Auditor,
    Caseworker,
    ParticipantRef,
    Reader,
    Runtime,
    intake_dependencies,
    run_command,
)
from zroute_intake.entrypoints.requests import RegistrationIn
from zroute_intake.entrypoints.responses import (
    AccessOut,
    AccessPurpose,
    ParticipantOut,
    ParticipantPage,
)
from zroute_intake.service_layer import handlers

router = APIRouter(prefix="/participants", tags=["participants"])

PERSONAL_FIELDS = ("bsn", "given_names", "family_name", "date_of_birth", "address", "phone")


def etag(response: Response, participant: Participant) -> None:
    response.headers["ETag"] = f'"{participant.version}"'


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a participant",
    responses={409: {"description": "The BSN is already registered; Location names the record"}},
)
async def register(
    body: RegistrationIn,
    principal: Caseworker,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Register a participant and mint the pseudonymous reference other services see.

    The BSN must pass the elfproef; a BSN already registered in the municipality is
    refused with 409, naming the existing participant."""
    cmd = commands.RegisterParticipant(
        programme_id=body.programme_id,
        municipality=body.municipality,
        personal=body.personal(),
        preferred_language=body.preferred_language,
        interpreter_needed=body.interpreter_needed,
        contact=body.contact_person.to_ref(),
        scope=principal.municipality,
    )
    participant = await run_command(runtime, request, handlers.register_participant, cmd)
    etag(response, participant)
    response.headers["Location"] = f"/participants/{participant.ref}"
    return ParticipantOut.of(participant)


@router.get("", summary="List participants")
async def list_participants(
    principal: Reader,
    runtime: Runtime,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    contact_staff_ref: Annotated[str | None, Query(pattern=STAFF_REF_PATTERN)] = None,
    intake_from: Annotated[datetime | None, Query(description="Intake starts at or after")] = None,
    intake_to: Annotated[datetime | None, Query(description="Intake starts before")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ParticipantPage:
    """Participants (no personal data) filtered by status, contact person and intake date."""
    if intake_from and intake_to and intake_to <= intake_from:
        raise HTTPException(422, "intake_to must be after intake_from")
    for moment in (intake_from, intake_to):
        if moment is not None and moment.tzinfo is None:
            raise HTTPException(422, "intake_from and intake_to need a UTC offset")
    filters = queries.Filters(
        status=status_,
        contact_staff_ref=contact_staff_ref,
        intake_from=intake_from,
        intake_to=intake_to,
        municipality=principal.municipality,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await queries.list_participants(conn, filters, limit, offset)
    following = offset + limit
    return ParticipantPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )


@router.get("/{participant_ref}", summary="Read a participant")
async def read_participant(
    participant_ref: ParticipantRef,
    principal: Reader,
    runtime: Runtime,
    request: Request,
    response: Response,
    purpose: Annotated[
        AccessPurpose | None,
        Query(description="Why personal data is needed; without it none is returned."),
    ] = None,
    x_access_purpose: Annotated[AccessPurpose | None, Header()] = None,
) -> ParticipantOut:
    """Intake status, needs, contact person and consents. With a ``purpose`` (query or
    ``X-Access-Purpose`` header) a caseworker also gets the personal data, and the read
    is written to the access log (who, when, why)."""
    why = purpose or x_access_purpose
    caseworker = Role.CASEWORKER in principal.roles
    if why is not None and not caseworker:
        raise HTTPException(403, "personal data is for caseworkers only; leave out purpose")
    deps = intake_dependencies(runtime)
    async with runtime.uow() as uow:
        repo = ParticipantRepository(uow.conn, deps.protector)
        participant = await repo.get(participant_ref)
        _check_access(participant, participant_ref, principal)
        assert participant is not None
        personal = None
        if why is not None:
            personal = await repo.personal_data(participant_ref)
            if personal is None:
                raise HTTPException(410, "the personal data was erased after its retention period")
            await access_log.record(
                uow.conn,
                access_log.Access(
                    participant_ref=participant_ref,
                    accessed_at=runtime.clock.now(),
                    actor=principal.subject,
                    actor_roles=tuple(sorted(principal.roles)),
                    purpose=why.value,
                    fields=PERSONAL_FIELDS,
                    request_id=getattr(request.state, "request_id", None),
                ),
            )
            await uow.commit()
    etag(response, participant)
    return ParticipantOut.of(participant, personal=personal, with_care_signals=caseworker)


@router.get("/{participant_ref}/access-log", summary="Who read the personal data")
async def read_access_log(
    participant_ref: ParticipantRef, principal: Auditor, runtime: Runtime
) -> list[AccessOut]:
    """Every read of the participant's personal data, newest first."""
    async with runtime.pool.acquire() as conn:
        municipality = await conn.fetchval(
            "SELECT municipality FROM intake_participants WHERE ref = $1", participant_ref
        )
        if municipality is None:
            raise HTTPException(404, f"no participant {participant_ref}")
        if principal.municipality not in (None, municipality):
            raise HTTPException(403, "this participant belongs to another municipality")
        return [AccessOut.of(a) for a in await access_log.for_participant(conn, participant_ref)]


def _check_access(participant: Participant | None, ref: str, principal: Principal) -> None:
    if participant is None:
        raise HTTPException(404, f"no participant {ref}; check the participant reference")
    if principal.municipality not in (None, participant.municipality):
        raise HTTPException(403, "this participant belongs to another municipality")
