"""The fixed contact person (vast aanspreekpunt): hand over, read the history."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from zroute_runtime.commands import refusals, run_command

from zroute_intake.domain import commands
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    IntakeDeps,
    ParticipantRef,
    Reader,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import (
    ContactAssignmentIn,
    ContactHistoryOut,
    ParticipantOut,
)
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import contact_persons as handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["contact persons"])


@router.put("/contact-person", summary="Hand over to a new contact person")
async def assign(
    participant_ref: ParticipantRef,
    body: ContactAssignmentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """There is always exactly one contact person: the new one replaces the current one
    from ``assigned_from``, and the history keeps both. A handover dated ahead is planned
    and takes effect on its date (``contact-person-assigned`` goes out then)."""
    cmd = commands.AssignContactPerson(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        contact=body.contact_person.to_ref(),
        assigned_from=body.assigned_from,
        reason=body.reason,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.assign_contact_person(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.get("/contact-persons", summary="The contact person and their predecessors")
async def history(
    participant_ref: ParticipantRef, principal: Reader, runtime: Runtime
) -> ContactHistoryOut:
    with refusals():
        async with runtime.uow() as uow:
            participant = await views.participant(uow, principal, participant_ref)
    return ContactHistoryOut(
        participant_ref=participant.ref,
        current=participant.contact,
        history=participant.contacts,
        planned=participant.planned_contact,
    )
