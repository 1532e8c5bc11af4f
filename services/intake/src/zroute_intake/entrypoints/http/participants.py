"""Participants: register, read one (personal data only with a purpose, logged), list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status
from zroute_contract.types import STAFF_REF_PATTERN
from zroute_runtime.auth import Role
from zroute_runtime.commands import command, refusals, run_command
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_intake.domain import commands
from zroute_intake.domain.errors import DuplicateBsn
from zroute_intake.domain.interpreters import intake_interpreter
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.values import Status
from zroute_intake.entrypoints.http.deps import (
    Auditor,
    Caseworker,
    IntakeDeps,
    ParticipantRef,
    Reader,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import (
    AccessOut,
    AccessPurpose,
    ParticipantOut,
    ParticipantPage,
    RegistrationIn,
)
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import participants as handlers

router = APIRouter(prefix="/participants", tags=["participants"])


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
    deps: IntakeDeps,
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

    async def handle(uow: UnitOfWork) -> Participant:
        try:
            return await handlers.register_participant(cmd, uow, deps)
        except DuplicateBsn as exc:  # the one refusal that points at a record: Location
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                exc.reason,
                headers={"Location": f"/participants/{exc.existing_ref}"},
            ) from None

    participant = await run_command(runtime, request, handle)
    etag(response, participant.version)
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
    filters = views.Filters(
        status=status_,
        contact_staff_ref=contact_staff_ref,
        intake_from=intake_from,
        intake_to=intake_to,
    )
    with refusals():
        async with runtime.uow() as uow:
            items, total = await views.participants(uow, principal, filters, limit, offset)
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
    async with command(runtime, request) as uow:
        if why is None:
            participant = await views.participant(uow, principal, participant_ref)
            personal = None
            answers = await uow.interpreters.of(participant_ref)
        else:
            read = await views.personal_data(
                uow,
                principal,
                participant_ref,
                why.value,
                request_id=getattr(request.state, "request_id", None),
            )
            if read.erased:
                raise HTTPException(410, "the personal data was erased after its retention period")
            answers = await uow.interpreters.of(participant_ref)
            await uow.commit()  # the access log's row
            participant, personal = read.participant, read.personal
    etag(response, participant.version)
    return ParticipantOut.of(
        participant,
        personal=personal,
        with_care_signals=caseworker,
        interpreter=intake_interpreter(participant.appointment, answers),
    )


@router.get("/{participant_ref}/access-log", summary="Who read the personal data")
async def read_access_log(
    participant_ref: ParticipantRef, principal: Auditor, runtime: Runtime
) -> list[AccessOut]:
    """Every read of the participant's personal data, newest first."""
    with refusals():
        async with runtime.uow() as uow:
            reads = await views.access_log(uow, principal, participant_ref)
    return [AccessOut.of(a) for a in reads]
