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
    ReEnrolmentIn,
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


@router.post("/re-enrolment", summary="Undo a withdrawal: put the participant back")
async def re_enrol(
    participant_ref: ParticipantRef,
    body: ReEnrolmentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Back to the status before the withdrawal, under the same reference (the BSN is not
    registered twice). ``mistaken_withdrawal``: until the personal data is erased;
    ``withdrawal_revoked``: within the window the settings allow. The erasure the
    withdrawal scheduled is cancelled."""
    cmd = commands.ReEnrol(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        reason=body.reason,
        by=principal.subject,
    )
    participant = await run_command(runtime, request, lambda uow: handlers.re_enrol(cmd, uow, deps))
    etag(response, participant.version)
    return ParticipantOut.of(participant)
