"""The fixed contact person (vast aanspreekpunt): hand over, read the history."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from zroute_intake.adapters.repository import ParticipantRepository
from zroute_intake.domain import commands
from zroute_intake.entrypoints.dependencies import (
    Caseworker,
    ExpectedVersion,
    ParticipantRef,
    Reader,
    Runtime,
    intake_dependencies,
    run_command,
)
from zroute_intake.entrypoints.participants import etag
from zroute_intake.entrypoints.requests import ContactAssignmentIn
from zroute_intake.entrypoints.responses import ContactHistoryOut, ParticipantOut
from zroute_intake.service_layer import handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["contact persons"])


@router.put("/contact-person", summary="Hand over to a new contact person")
async def assign(
    participant_ref: ParticipantRef,
    body: ContactAssignmentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """There is always exactly one contact person: the new one replaces the current one
    from ``assigned_from``, and the history keeps both."""
    cmd = commands.AssignContactPerson(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        contact=body.contact_person.to_ref(),
        assigned_from=body.assigned_from,
        reason=body.reason,
    )
    participant = await run_command(runtime, request, handlers.assign_contact_person, cmd)
    etag(response, participant)
    return ParticipantOut.of(participant)


@router.get("/contact-persons", summary="The contact person and their predecessors")
async def history(
    participant_ref: ParticipantRef, principal: Reader, runtime: Runtime
) -> ContactHistoryOut:
    async with runtime.pool.acquire() as conn:
        repo = ParticipantRepository(conn, intake_dependencies(runtime).protector)
        participant = await repo.get(participant_ref)
    if participant is None:
        raise HTTPException(404, f"no participant {participant_ref}")
    if principal.municipality not in (None, participant.municipality):
        raise HTTPException(403, "this participant belongs to another municipality")
    return ContactHistoryOut(
        participant_ref=participant.ref, current=participant.contact, history=participant.contacts
    )
