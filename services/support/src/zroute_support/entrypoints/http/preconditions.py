"""``/preconditions``: childcare, transport and configured-kind tasks (lesson L14, issue 17).

Partner staff see and act on their own partner's tasks; caseworkers and coordinators whose
token names a municipality on the tasks of that municipality's participants only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import LapseReason, PreconditionKind, Weekday
from zroute_contract.events.parts import UniqueTuple
from zroute_contract.types import PartnerId, ProgrammeId
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.preconditions import Precondition, PreconditionStatus
from zroute_support.domain.routing import WaitCode
from zroute_support.entrypoints.http.deps import Anyone, SupportDeps
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import preconditions as service

router = APIRouter(prefix="/preconditions", tags=["preconditions"])


class PreconditionOut(BaseModel):
    precondition_id: UUID
    participant_ref: str
    programme_id: str
    kind: PreconditionKind
    code: str = Field(description="The kind's code: childcare, transport or a configured kind.")
    status: PreconditionStatus
    partner_id: str | None
    waiting_reason: str | None = Field(description="Why no partner was found, in English.")
    waiting_reason_code: WaitCode | None = None
    waiting_reason_params: dict[str, str] = Field(default_factory=dict)
    arrangement_id: UUID | None
    arranged_by: str | None
    arranged_from: date | None
    arranged_until: date | None
    days_covered: list[Weekday]
    lapsed_on: date | None
    lapse_reason: LapseReason | None
    recorded_by: str | None = None
    recorded_at: datetime | None = None

    @classmethod
    def of(cls, p: Precondition) -> PreconditionOut:
        waiting = p.waiting_reason
        skip = ("code", "waiting_reason", "waiting_reason_code", "waiting_reason_params")
        return cls(
            **{k: getattr(p, k) for k in cls.model_fields if k not in skip},
            code=p.precondition_code,
            waiting_reason=waiting.sentence() if waiting else None,
            waiting_reason_code=waiting.code if waiting else None,
            waiting_reason_params=waiting.parameters if waiting else {},
        )


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


@router.get("")
async def list_preconditions(
    principal: Anyone, runtime: Runtime, request: Request, programme_id: ProgrammeId | None = None
) -> list[PreconditionOut]:
    """Partner staff see the tasks of their own partner only; caseworkers and coordinators
    limited to a municipality the tasks of its participants."""
    async with command(runtime, request) as uow:
        found = await views.preconditions(uow, principal, programme_id)
    return [PreconditionOut.of(p) for p in found]


@router.post("/{precondition_id}/arrange")
async def arrange(
    precondition_id: UUID,
    body: ArrangeIn,
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    deps: SupportDeps,
) -> PreconditionOut:
    """Record the arrangement: by which partner, from and until, which weekdays."""
    precondition = await run_command(
        runtime,
        request,
        lambda uow: service.arrange_as(
            uow,
            principal,
            precondition_id,
            partner_id=body.partner_id,
            arranged_from=body.arranged_from,
            arranged_until=body.arranged_until,
            days_covered=body.days_covered,
            kinds=deps.precondition_kinds,
        ),
    )
    return PreconditionOut.of(precondition)


@router.post("/{precondition_id}/lapse")
async def lapse(
    precondition_id: UUID, body: LapseIn, principal: Anyone, runtime: Runtime, request: Request
) -> PreconditionOut:
    """The partner or the participant stopped: planning hears it lapsed."""
    precondition = await run_command(
        runtime,
        request,
        lambda uow: service.lapse_as(uow, principal, precondition_id, body.reason, body.lapsed_on),
    )
    return PreconditionOut.of(precondition)
