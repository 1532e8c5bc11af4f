"""``/partners``: the partner registry (lesson L1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import Channel, PartnerCapability
from zroute_contract.events.parts import UniqueTuple
from zroute_contract.types import MunicipalityCode, PartnerId
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.partners import ContactPoint, Partner
from zroute_support.entrypoints.http.deps import Anyone, Coordinator, SupportDeps
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import registry

router = APIRouter(prefix="/partners", tags=["partners"])


class ContactPointIn(BaseModel):
    channel: Channel
    address: str = Field(min_length=3, max_length=500, description="Mail address, URL or inbox id.")


class PartnerProfileIn(BaseModel):
    organisation: str = Field(min_length=2, max_length=200)
    municipalities: UniqueTuple[MunicipalityCode] = Field(min_length=1)
    capabilities: UniqueTuple[PartnerCapability] = Field(min_length=1)
    capacity: dict[PartnerCapability, Annotated[int, Field(ge=0, le=100000)]] = Field(
        default_factory=dict, description="Participants at once per capability; unlisted: no limit."
    )
    contact_points: list[ContactPointIn] = Field(min_length=1)
    active: bool = True


class PartnerIn(PartnerProfileIn):
    partner_id: PartnerId


class PartnerOut(PartnerIn):
    channels: list[Channel]
    version: int

    @classmethod
    def of(cls, p: Partner) -> PartnerOut:
        return cls(
            partner_id=p.partner_id,
            organisation=p.organisation,
            municipalities=p.municipalities,
            capabilities=p.capabilities,
            capacity=p.capacity,
            contact_points=[
                ContactPointIn(channel=c.channel, address=c.address) for c in p.contact_points
            ],
            active=p.active,
            channels=list(p.channels),
            version=p.version,
        )


def _partner(partner_id: str, body: PartnerProfileIn) -> Partner:
    return Partner(
        partner_id=partner_id,
        organisation=body.organisation,
        municipalities=body.municipalities,
        capabilities=body.capabilities,
        capacity=dict(body.capacity),
        contact_points=tuple(ContactPoint(c.channel, c.address) for c in body.contact_points),
        active=body.active,
    )


@router.post("", status_code=201)
async def register(
    body: PartnerIn, principal: Coordinator, runtime: Runtime, deps: SupportDeps, request: Request
) -> PartnerOut:
    """Register an execution partner (coordinator; one limited to a municipality registers
    partners serving that municipality alone)."""
    partner = _partner(body.partner_id, body)
    await run_command(
        runtime,
        request,
        lambda uow: registry.register_partner(
            uow, deps, partner, scope=principal.municipality_scope()
        ),
    )
    return PartnerOut.of(partner)


@router.put("/{partner_id}")
async def update(
    partner_id: PartnerId,
    body: PartnerProfileIn,
    principal: Coordinator,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> PartnerOut:
    """Replace a partner's profile (coordinator; one limited to a municipality changes
    partners serving that municipality alone); the change is published whole."""
    partner = _partner(partner_id, body)
    await run_command(
        runtime,
        request,
        lambda uow: registry.update_partner(
            uow, deps, partner, scope=principal.municipality_scope()
        ),
    )
    return PartnerOut.of(partner)


@router.get("")
async def list_partners(_: Anyone, runtime: Runtime, request: Request) -> list[PartnerOut]:
    async with command(runtime, request) as uow:
        return [PartnerOut.of(p) for p in await views.partners(uow)]


@router.get("/{partner_id}")
async def read(partner_id: PartnerId, _: Anyone, runtime: Runtime, request: Request) -> PartnerOut:
    """One partner with how it is reached (the ``dataref`` of the partner events)."""
    async with command(runtime, request) as uow:
        return PartnerOut.of(await views.partner(uow, partner_id))
