"""``/partners``: the partner registry (lesson L1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from zroute_contract.events.codes import Channel, PartnerCapability
from zroute_contract.events.parts import UniqueTuple
from zroute_contract.types import MunicipalityCode, PartnerId
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.partners_repo import PartnerRepository
from zroute_support.domain.errors import NotFound
from zroute_support.domain.partners import ContactPoint, Partner
from zroute_support.entrypoints.http.deps import (
    Anyone,
    Coordinator,
    DomainErrorRoute,
    RulesDep,
    own_municipality,
)
from zroute_support.service_layer import registry

router = APIRouter(prefix="/partners", tags=["partners"], route_class=DomainErrorRoute)


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
    body: PartnerIn, principal: Coordinator, runtime: Runtime, rules: RulesDep
) -> PartnerOut:
    """Register an execution partner (coordinator; one limited to a municipality registers
    partners serving that municipality alone)."""
    partner = _partner(body.partner_id, body)
    async with runtime.uow(MessageContext.new()) as uow:
        await registry.register_partner(uow, rules, partner, scope=own_municipality(principal))
        await uow.commit()
    return PartnerOut.of(partner)


@router.put("/{partner_id}")
async def update(
    partner_id: PartnerId,
    body: PartnerProfileIn,
    principal: Coordinator,
    runtime: Runtime,
    rules: RulesDep,
) -> PartnerOut:
    """Replace a partner's profile (coordinator; one limited to a municipality changes
    partners serving that municipality alone); the change is published whole."""
    partner = _partner(partner_id, body)
    async with runtime.uow(MessageContext.new()) as uow:
        await registry.update_partner(uow, rules, partner, scope=own_municipality(principal))
        await uow.commit()
    return PartnerOut.of(partner)


@router.get("")
async def list_partners(_: Anyone, runtime: Runtime) -> list[PartnerOut]:
    async with runtime.pool.acquire() as conn:
        return [PartnerOut.of(p) for p in await PartnerRepository(conn).all()]


@router.get("/{partner_id}")
async def read(partner_id: PartnerId, _: Anyone, runtime: Runtime) -> PartnerOut:
    """One partner with how it is reached (the ``dataref`` of the partner events)."""
    async with runtime.pool.acquire() as conn:
        partner = await PartnerRepository(conn).get(partner_id)
    if partner is None:
        raise NotFound(f"unknown partner {partner_id}")
    return PartnerOut.of(partner)
