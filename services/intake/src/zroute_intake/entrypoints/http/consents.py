"""Consent (toestemming) per purpose: record, withdraw, read."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status
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
from zroute_intake.entrypoints.http.schemas import ConsentIn, ConsentsOut, ParticipantOut
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import consents as handlers

router = APIRouter(prefix="/participants/{participant_ref}/consents", tags=["consents"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a consent")
async def record(
    participant_ref: ParticipantRef,
    body: ConsentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Consent for a care referral (naming the care signals it covers) or for sharing
    with a named partner."""
    cmd = commands.RecordConsent(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        consent=body.to_consent(),
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.record_consent(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.post("/{consent_id}/withdrawal", summary="Withdraw a consent")
async def withdraw(
    participant_ref: ParticipantRef,
    consent_id: UUID,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Support stops what relied on the consent when it receives the event."""
    cmd = commands.WithdrawConsent(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        consent_id=consent_id,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.withdraw_consent(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.get("", summary="The participant's consents")
async def read(participant_ref: ParticipantRef, principal: Reader, runtime: Runtime) -> ConsentsOut:
    with refusals():
        async with runtime.uow() as uow:
            participant = await views.participant(uow, principal, participant_ref)
    outcome = participant.current_outcome
    return ConsentsOut(
        participant_ref=participant.ref,
        consents=participant.consents,
        care_signal_ids=[s.signal_id for s in outcome.care_signals] if outcome else [],
    )
