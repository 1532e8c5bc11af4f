"""``/preconditions``: childcare and transport tasks (lesson L14).

Partner staff see and act on their own partner's tasks; caseworkers and coordinators whose
token names a municipality on the tasks of that municipality's participants only.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter
from pydantic import BaseModel, Field
from zroute_contract.events.codes import LapseReason, PreconditionKind, Weekday
from zroute_contract.events.parts import UniqueTuple
from zroute_contract.types import PartnerId, ProgrammeId
from zroute_runtime.auth import Principal, ensure_partner_access
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.partners_repo import PartnerRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.domain.errors import Forbidden, Refused
from zroute_support.domain.preconditions import Precondition, PreconditionStatus
from zroute_support.entrypoints.http.deps import (
    Anyone,
    DomainErrorRoute,
    ensure_participant_municipality,
    own_municipality,
    own_partner,
)
from zroute_support.service_layer import lookups
from zroute_support.service_layer import preconditions as service

router = APIRouter(prefix="/preconditions", tags=["preconditions"], route_class=DomainErrorRoute)


class PreconditionOut(BaseModel):
    precondition_id: UUID
    participant_ref: str
    programme_id: str
    kind: PreconditionKind
    status: PreconditionStatus
    partner_id: str | None
    waiting_reason: str | None
    arrangement_id: UUID | None
    arranged_by: str | None
    arranged_from: date | None
    arranged_until: date | None
    days_covered: list[Weekday]
    lapsed_on: date | None
    lapse_reason: LapseReason | None

    @classmethod
    def of(cls, p: Precondition) -> PreconditionOut:
        return cls(**{k: getattr(p, k) for k in cls.model_fields})


class ArrangeIn(BaseModel):
    arranged_from: date
    arranged_until: date | None = None
    days_covered: UniqueTuple[Weekday] = Field(min_length=1)
    partner_id: PartnerId | None = Field(
        default=None, description="Coordinators only: the providing partner, if not the assigned."
    )


class LapseIn(BaseModel):
    reason: Literal[LapseReason.PARTNER_STOPPED, LapseReason.PARTICIPANT_STOPPED]
    lapsed_on: date


async def _check(
    principal: Principal, conn: asyncpg.Connection, precondition: Precondition
) -> None:
    """403 unless the caller may act on the task: its municipality, and for partner staff
    the partner that holds or arranged it."""
    await _in_municipality(principal, conn, precondition)
    if own_partner(principal) is not None:
        partner = precondition.arranged_by or precondition.partner_id
        ensure_partner_access(principal, partner or "-")
        await _serves_participant(principal, conn, precondition)


async def _serves_participant(
    principal: Principal, conn: asyncpg.Connection, precondition: Precondition
) -> None:
    """403 for staff of a partner that does not serve the participant's municipality."""
    who = await lookups.participant(conn, precondition.participant_ref)
    partner = await PartnerRepository(conn).get(principal.partner_id or "-")
    if partner is None or not partner.serves(who.municipality):
        raise Forbidden("your partner does not serve this participant's municipality")


async def _in_municipality(
    principal: Principal, conn: asyncpg.Connection, precondition: Precondition
) -> None:
    await ensure_participant_municipality(
        principal, conn, precondition.participant_ref, "precondition"
    )


@router.get("")
async def list_preconditions(
    principal: Anyone, runtime: Runtime, programme_id: ProgrammeId | None = None
) -> list[PreconditionOut]:
    """Partner staff see the tasks of their own partner only; caseworkers and coordinators
    limited to a municipality the tasks of its participants."""
    async with runtime.pool.acquire() as conn:
        found = await PreconditionRepository(conn).list(
            partner_id=own_partner(principal),
            programme_id=programme_id,
            municipality=own_municipality(principal),
        )
    return [PreconditionOut.of(p) for p in found]


@router.post("/{precondition_id}/arrange")
async def arrange(
    precondition_id: UUID, body: ArrangeIn, principal: Anyone, runtime: Runtime
) -> PreconditionOut:
    """Record the arrangement: by which partner, from and until, which weekdays."""
    async with runtime.uow(MessageContext.new()) as uow:
        precondition = await service.load(uow, precondition_id)
        await _in_municipality(principal, uow.conn, precondition)
        own = own_partner(principal)
        if own is not None:
            ensure_partner_access(principal, precondition.partner_id or "-")
            await _serves_participant(principal, uow.conn, precondition)
            if body.partner_id not in (None, own):
                raise Refused("partner staff arrange for their own partner only")
        partner_id = own or body.partner_id or precondition.partner_id
        if partner_id is None:
            raise Refused("no partner is assigned; name the providing partner_id")
        await service.arrange(
            uow,
            precondition,
            partner_id=partner_id,
            arranged_from=body.arranged_from,
            arranged_until=body.arranged_until,
            days_covered=body.days_covered,
        )
        await uow.commit()
    return PreconditionOut.of(precondition)


@router.post("/{precondition_id}/lapse")
async def lapse(
    precondition_id: UUID, body: LapseIn, principal: Anyone, runtime: Runtime
) -> PreconditionOut:
    """The partner or the participant stopped: planning hears it lapsed."""
    async with runtime.uow(MessageContext.new()) as uow:
        precondition = await service.load(uow, precondition_id)
        await _check(principal, uow.conn, precondition)
        if precondition.status is not PreconditionStatus.ARRANGED:
            raise Refused(f"a precondition that is {precondition.status.value} cannot lapse")
        await service.lapse(uow, precondition, body.reason, body.lapsed_on)
        await uow.commit()
    return PreconditionOut.of(precondition)
