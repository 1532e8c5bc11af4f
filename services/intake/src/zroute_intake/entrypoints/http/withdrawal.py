"""Withdrawal of a participant from the route (moved, exempted, stopped)."""

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
from zroute_intake.entrypoints.http.schemas import ParticipantOut, WithdrawalIn
from zroute_intake.service_layer.handlers import participants as handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["withdrawal"])


@router.post("/withdrawal", summary="Withdraw the participant from the route")
async def withdraw(
    participant_ref: ParticipantRef,
    body: WithdrawalIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
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
    participant = await run_command(
        runtime, request, lambda uow: handlers.withdraw_participant(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)
