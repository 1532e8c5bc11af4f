"""``/programmes/{programme_id}/agreements``: task-division agreements (lesson L2).

A caseworker or coordinator whose token names a municipality sees and records the
versions of that municipality only (see ``Principal.municipality_scope``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import CurriculumModule, RouteTask
from zroute_contract.types import MunicipalityCode, PartnerId, ProgrammeId
from zroute_runtime.clock import local_day
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.agreements import Agreement, AgreementTerms
from zroute_support.entrypoints.http.deps import Anyone, Coordinator, SupportDeps
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import registry

router = APIRouter(prefix="/programmes/{programme_id}", tags=["agreements"])


class Assignment(BaseModel):
    task: RouteTask
    partner_id: PartnerId


class NotOffered(BaseModel):
    task: RouteTask
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$", description="From the configured list.")


class ModuleProviderIn(BaseModel):
    module: CurriculumModule
    partner_id: PartnerId


class AgreementIn(BaseModel):
    municipality: MunicipalityCode
    valid_from: date
    valid_until: date | None = None
    lead_partner_id: PartnerId
    assignments: list[Assignment] = Field(min_length=1, max_length=100)
    not_offered: list[NotOffered] = Field(
        default_factory=list,
        max_length=100,
        description="Tasks the programme does not offer, each with a reason (issue 17).",
    )
    module_providers: list[ModuleProviderIn] = Field(
        default_factory=list,
        max_length=20,
        description="The partner providing each module no task covers, such as the"
        " participatieverklaringstraject (pvt); it records the module's hours (issue 16).",
    )


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
            not_offered=[NotOffered(task=task, reason=r) for task, r in t.not_offered],
            module_providers=[
                ModuleProviderIn(module=m, partner_id=p) for m, p in t.module_providers
            ],
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
    deps: SupportDeps,
    request: Request,
) -> AgreementOut:
    """Record a new version; 422 lists every problem, 409 names overlapping versions, 403
    when the version or the programme is another municipality's."""
    terms = terms_of(programme_id, body)
    agreement = await run_command(
        runtime,
        request,
        lambda uow: registry.record_agreement(
            uow, deps, terms, scope=principal.municipality_scope()
        ),
    )
    return AgreementOut.of(agreement)


def terms_of(programme_id: str, body: AgreementIn) -> AgreementTerms:
    """The terms of a new version, as the API and the agreement editor take them."""
    return AgreementTerms(
        programme_id=programme_id,
        municipality=body.municipality,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        lead_partner_id=body.lead_partner_id,
        assignments=tuple((a.task, a.partner_id) for a in body.assignments),
        not_offered=tuple((n.task, n.reason) for n in body.not_offered),
        module_providers=tuple((m.module, m.partner_id) for m in body.module_providers),
    )


@router.post("/agreements/{version}/end")
async def end(
    programme_id: ProgrammeId,
    version: int,
    body: EndIn,
    principal: Coordinator,
    runtime: Runtime,
    request: Request,
) -> AgreementOut:
    """Set the last day of a version, so that a successor can take over."""
    agreement: Agreement = await run_command(
        runtime,
        request,
        lambda uow: registry.end_agreement(
            uow, programme_id, version, body.valid_until, scope=principal.municipality_scope()
        ),
    )
    return AgreementOut.of(agreement)


@router.get("/agreements")
async def versions(
    programme_id: ProgrammeId, principal: Anyone, runtime: Runtime, request: Request
) -> list[AgreementOut]:
    """All versions; a caller limited to a municipality gets that municipality's only."""
    async with command(runtime, request) as uow:
        found = await views.agreements(uow, principal, programme_id)
    return [AgreementOut.of(a) for a in found]


@router.get("/responsible")
async def responsible(
    programme_id: ProgrammeId,
    task: RouteTask,
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    on: Annotated[date | None, Query(description="The day; today when absent.")] = None,
) -> ResponsibleOut:
    """Who is responsible for ``task`` on a day, under the version in force then."""
    day = on or local_day(runtime.clock.now())
    async with command(runtime, request) as uow:
        agreement, partner_id = await views.responsible(uow, principal, programme_id, task, day)
    return ResponsibleOut(
        task=task,
        on=day,
        partner_id=partner_id,
        lead_partner_id=agreement.terms.lead_partner_id,
        agreement_id=agreement.agreement_id,
        version=agreement.version,
    )
