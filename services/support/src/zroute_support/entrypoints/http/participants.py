"""``/participants/{participant_ref}/...``: support's audit trail about one participant,
for the caseworkers and coordinators of the participant's municipality."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_contract.types import ParticipantRef
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_support.entrypoints.http.deps import Referrer
from zroute_support.entrypoints.http.schemas import OverrideOut
from zroute_support.service_layer import views

router = APIRouter(prefix="/participants", tags=["participants"])


@router.get("/{participant_ref}/consent-overrides")
async def consent_overrides(
    participant_ref: ParticipantRef, principal: Referrer, runtime: Runtime, request: Request
) -> list[OverrideOut]:
    """Every emergency referral made without a covering consent: who, when, why and on
    which legal ground."""
    async with command(runtime, request) as uow:
        found = await views.consent_overrides(uow, principal, participant_ref)
    return [OverrideOut.of(o) for o in found]
