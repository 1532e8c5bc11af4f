"""``/participants/{participant_ref}/...``: support's audit trail about one participant,
for the caseworkers and coordinators of the participant's municipality, and the
participant's own lead partner (issue 17), set by the coordinator."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.types import ParticipantRef, PartnerId, ReasonCode
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.entrypoints.http.deps import Coordinator, Referrer, SupportDeps
from zroute_support.entrypoints.http.schemas import OverrideOut
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import lead_partner as lead
from zroute_support.service_layer.handlers.lead_partner import LeadPartner

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


class LeadPartnerIn(BaseModel):
    """The participant's own lead partner; ``null`` returns them to the programme's."""

    partner_id: PartnerId | None
    reason: ReasonCode


class LeadPartnerOut(BaseModel):
    participant_ref: str
    lead_partner_id: str | None = Field(description="The lead partner that applies today.")
    own: bool = Field(description="True when set for this participant, not the programme's.")
    programme_lead_partner_id: str | None

    @classmethod
    def of(cls, found: LeadPartner) -> LeadPartnerOut:
        return cls(**found.__dict__)


@router.get("/{participant_ref}/lead-partner")
async def read_lead_partner(
    participant_ref: ParticipantRef, principal: Referrer, runtime: Runtime, request: Request
) -> LeadPartnerOut:
    """The participant's lead partner: their own, or else the programme's."""
    async with command(runtime, request) as uow:
        found = await lead.lead_partner(uow, principal, participant_ref)
    return LeadPartnerOut.of(found)


@router.put("/{participant_ref}/lead-partner")
async def set_lead_partner(
    participant_ref: ParticipantRef,
    body: LeadPartnerIn,
    principal: Coordinator,
    runtime: Runtime,
    request: Request,
    deps: SupportDeps,
) -> LeadPartnerOut:
    """The coordinator sets the participant's own lead partner, with a reason from
    ``lead_partner_reasons`` (emits ``lead-partner-set``)."""
    found = await run_command(
        runtime,
        request,
        lambda uow: lead.set_lead_partner(
            uow, principal, deps, participant_ref, body.partner_id, body.reason
        ),
    )
    return LeadPartnerOut.of(found)
