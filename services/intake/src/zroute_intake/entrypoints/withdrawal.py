"""Withdrawal of a participant from the route (moved, exempted, stopped)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from zroute_intake.domain import commands
from zroute_intake.entrypoints.dependencies import (
    Caseworker,
    ExpectedVersion,
    ParticipantRef,
    Runtime,
    run_command,
)
from zroute_intake.entrypoints.participants import etag
from zroute_intake.entrypoints.requests import WithdrawalIn
from zroute_intake.entrypoints.responses import ParticipantOut
from zroute_intake.service_layer import handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["withdrawal"])


@router.post("/withdrawal", summary="Withdraw the participant from the route")
async def withdraw(
    participant_ref: ParticipantRef,
    body: WithdrawalIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Planning and support end what they run for the participant; the personal data is
    erased once the retention period after ``effective_on`` has passed."""
    cmd = commands.WithdrawParticipant(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        reason=body.reason,
        effective_on=body.effective_on,
    )
    participant = await run_command(runtime, request, handlers.withdraw_participant, cmd)
    etag(response, participant)
    return ParticipantOut.of(participant)
