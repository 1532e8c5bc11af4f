"""Changes after registration: the personal data, and re-enrolment after a withdrawal."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from zroute_runtime.commands import run_command

from zroute_intake.domain import commands
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    IntakeDeps,
    ParticipantRef,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import (
    ParticipantOut,
    PersonalDataChangeIn,
)
from zroute_intake.service_layer.handlers import changes as handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["changes"])


@router.post("/personal-data/changes", summary="Change personal data after registration")
async def change_personal_data(
    participant_ref: ParticipantRef,
    body: PersonalDataChangeIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Address, phone, preferred language or interpreter need, with a reason; a field
    left out stays as it is. The event names the changed fields only (no address or phone
    leaves intake); an address or phone change is in the access log."""
    cmd = commands.ChangePersonalData(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        change=body.to_change(),
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.change_personal_data(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)
