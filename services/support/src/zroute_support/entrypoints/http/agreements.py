"""``/programmes/{programme_id}/agreements``: task-division agreements (lesson L2).

A caseworker or coordinator whose token names a municipality sees and records the
versions of that municipality only (see ``deps.own_municipality``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from zroute_contract.events.codes import RouteTask
from zroute_contract.types import MunicipalityCode, PartnerId, ProgrammeId
from zroute_runtime.auth import Principal
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.partners_repo import AgreementRepository
from zroute_support.domain.agreements import Agreement, AgreementTerms, in_force
from zroute_support.domain.errors import NotFound
from zroute_support.entrypoints.http.deps import (
    Anyone,
    Coordinator,
    DomainErrorRoute,
    RulesDep,
    ensure_municipality,
    own_municipality,
)
from zroute_support.service_layer import registry
from zroute_support.service_layer.rules import Rules, local_date

router = APIRouter(
    prefix="/programmes/{programme_id}", tags=["agreements"], route_class=DomainErrorRoute
)


class Assignment(BaseModel):
    task: RouteTask
    partner_id: PartnerId


class AgreementIn(BaseModel):
    municipality: MunicipalityCode
    valid_from: date
    valid_until: date | None = None
    lead_partner_id: PartnerId
    assignments: list[Assignment] = Field(min_length=1, max_length=100)


class AgreementOut(AgreementIn):
    agreement_id: UUID
    programme_id: ProgrammeId
    version: int

    @classmethod
    def of(cls, a: Agreement) -> AgreementOut:
        t = a.terms
        return cls(
            agreement_id=a.agreement_id,
            programme_id=t.programme_id,
            version=a.version,
            municipality=t.municipality,
            valid_from=t.valid_from,
            valid_until=t.valid_until,
            lead_partner_id=t.lead_partner_id,
            assignments=[Assignment(task=task, partner_id=p) for task, p in t.assignments],
        )


class EndIn(BaseModel):
    valid_until: date


class ResponsibleOut(BaseModel):
    task: RouteTask
    on: date
    partner_id: PartnerId
    lead_partner_id: PartnerId
    agreement_id: UUID
    version: int


@router.post("/agreements", status_code=201)
async def record(
    programme_id: ProgrammeId,
    body: AgreementIn,
    principal: Coordinator,
    runtime: Runtime,
    rules: RulesDep,
) -> AgreementOut:
    """Record a new version; 422 lists every problem, 409 names overlapping versions, 403
    when the version or the programme is another municipality's."""
    return AgreementOut.of(await record_version(runtime, rules, principal, programme_id, body))


async def record_version(
    runtime: Any, rules: Rules, principal: Principal, programme_id: str, body: AgreementIn
) -> Agreement:
    """The command behind ``POST .../agreements``, shared with the agreement editor on the
    screens: raises :class:`Refused` with every problem, :class:`Conflict`, :class:`Forbidden`."""
    terms = AgreementTerms(
        programme_id=programme_id,
        municipality=body.municipality,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        lead_partner_id=body.lead_partner_id,
        assignments=tuple((a.task, a.partner_id) for a in body.assignments),
    )
    async with runtime.uow(MessageContext.new()) as uow:
        agreement = await registry.record_agreement(
            uow, rules, terms, scope=own_municipality(principal)
        )
        await uow.commit()
    return agreement


@router.post("/agreements/{version}/end")
async def end(
    programme_id: ProgrammeId, version: int, body: EndIn, principal: Coordinator, runtime: Runtime
) -> AgreementOut:
    """Set the last day of a version, so that a successor can take over."""
    async with runtime.uow(MessageContext.new()) as uow:
        agreement = await registry.end_agreement(
            uow, programme_id, version, body.valid_until, scope=own_municipality(principal)
        )
        await uow.commit()
    return AgreementOut.of(agreement)


@router.get("/agreements")
async def versions(
    programme_id: ProgrammeId, principal: Anyone, runtime: Runtime
) -> list[AgreementOut]:
    """All versions; a caller limited to a municipality gets that municipality's only."""
    async with runtime.pool.acquire() as conn:
        found = await AgreementRepository(conn).for_programme(
            programme_id, municipality=own_municipality(principal)
        )
    return [AgreementOut.of(a) for a in found]


@router.get("/responsible")
async def responsible(
    programme_id: ProgrammeId,
    task: RouteTask,
    principal: Anyone,
    runtime: Runtime,
    on: Annotated[date | None, Query(description="The day; today when absent.")] = None,
) -> ResponsibleOut:
    """Who is responsible for ``task`` on a day, under the version in force then."""
    day = on or local_date(runtime.clock.now())
    async with runtime.pool.acquire() as conn:
        # All versions, not the caller's only: another municipality's version in force
        # answers 403, not a misleading 404.
        agreement = in_force(await AgreementRepository(conn).for_programme(programme_id), day)
    if agreement is None:
        raise NotFound(f"no agreement of {programme_id} is in force on {day}")
    ensure_municipality(principal, agreement.terms.municipality, "agreement")
    partner_id = agreement.responsible_for(task)
    assert partner_id is not None  # a recorded agreement names every task
    return ResponsibleOut(
        task=task,
        on=day,
        partner_id=partner_id,
        lead_partner_id=agreement.terms.lead_partner_id,
        agreement_id=agreement.agreement_id,
        version=agreement.version,
    )
