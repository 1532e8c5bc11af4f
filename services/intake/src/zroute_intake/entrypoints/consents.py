"""Consent (toestemming) per purpose: record, withdraw, read."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Request, Response, status

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
from zroute_intake.entrypoints.requests import ConsentIn
from zroute_intake.entrypoints.responses import ConsentsOut, ParticipantOut
from zroute_intake.service_layer import handlers

router = APIRouter(prefix="/participants/{participant_ref}/consents", tags=["consents"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a consent")
async def record(
    participant_ref: ParticipantRef,
    body: ConsentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
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
    participant = await run_command(runtime, request, handlers.record_consent, cmd)
    etag(response, participant)
    return ParticipantOut.of(participant)


@router.post("/{consent_id}/withdrawal", summary="Withdraw a consent")
async def withdraw(
    participant_ref: ParticipantRef,
    consent_id: UUID,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
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
    participant = await run_command(runtime, request, handlers.withdraw_consent, cmd)
    etag(response, participant)
    return ParticipantOut.of(participant)


@router.get("", summary="The participant's consents")
async def read(participant_ref: ParticipantRef, principal: Reader, runtime: Runtime) -> ConsentsOut:
    async with runtime.pool.acquire() as conn:
        repo = ParticipantRepository(conn, intake_dependencies(runtime).protector)
        participant = await repo.get(participant_ref)
    if participant is None:
        raise HTTPException(404, f"no participant {participant_ref}")
    if principal.municipality not in (None, participant.municipality):
        raise HTTPException(403, "this participant belongs to another municipality")
    outcome = participant.current_outcome
    return ConsentsOut(
        participant_ref=participant.ref,
        consents=participant.consents,
        care_signal_ids=[s.signal_id for s in outcome.care_signals] if outcome else [],
    )
