"""``/interpreter-requests``: interpreters for intakes, progress meetings and referrals'
intakes (issue 17 item 6, issue 18 item 4). The interpreter partner's staff see their requests and confirm
or decline them; coordinators read them all."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel
from zroute_contract.events.codes import InterpreterAppointment
from zroute_contract.types import ReasonCode
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.interpreters import InterpreterRequest
from zroute_support.entrypoints.http.deps import Anyone, PartnerStaff, SupportDeps
from zroute_support.service_layer.handlers import interpreters

router = APIRouter(prefix="/interpreter-requests", tags=["interpreters"])


class InterpreterRequestOut(BaseModel):
    """An interpreter request: codes and times only (no personal data)."""

    request_id: UUID
    participant_ref: str
    programme_id: str
    appointment: InterpreterAppointment
    intake_id: UUID | None
    meeting_number: int | None
    referral_id: UUID | None = None
    starts_at: str
    language: str
    partner_id: str | None
    status: str
    reason: str | None
    decided_by: str | None
    decided_at: str | None

    @classmethod
    def of(cls, r: InterpreterRequest) -> InterpreterRequestOut:
        a = r.appointment
        return cls(
            request_id=r.request_id,
            participant_ref=a.participant_ref,
            programme_id=a.programme_id,
            appointment=a.kind,
            intake_id=a.intake_id,
            meeting_number=a.meeting_number,
            referral_id=a.referral_id,
            starts_at=a.starts_at.isoformat(),
            language=a.language,
            partner_id=r.partner_id,
            status=r.status.value,
            reason=r.reason,
            decided_by=r.decided_by,
            decided_at=r.decided_at.isoformat() if r.decided_at else None,
        )


class DeclineIn(BaseModel):
    reason: ReasonCode


@router.get("")
async def list_requests(
    principal: Anyone, runtime: Runtime, request: Request
) -> list[InterpreterRequestOut]:
    """The caller's partner's requests (partner staff), or all of the caller's
    municipality's participants (coordinators, caseworkers)."""
    async with command(runtime, request) as uow:
        found = await interpreters.list_requests(uow, principal)
    return [InterpreterRequestOut.of(r) for r in found]


@router.get("/{request_id}")
async def read(
    request_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> InterpreterRequestOut:
    """One request."""
    async with command(runtime, request) as uow:
        found = await interpreters.read_request(uow, principal, request_id)
    return InterpreterRequestOut.of(found)


@router.post("/{request_id}/confirm")
async def confirm(
    request_id: UUID, principal: PartnerStaff, runtime: Runtime, request: Request
) -> InterpreterRequestOut:
    """The interpreter partner confirms (its own staff only)."""
    done = await run_command(
        runtime, request, lambda uow: interpreters.confirm(uow, principal, request_id)
    )
    return InterpreterRequestOut.of(done)


@router.post("/{request_id}/decline")
async def decline(
    request_id: UUID,
    body: DeclineIn,
    principal: PartnerStaff,
    runtime: Runtime,
    request: Request,
    deps: SupportDeps,
) -> InterpreterRequestOut:
    """The interpreter partner declines with a reason from the configured list."""
    done = await run_command(
        runtime,
        request,
        lambda uow: interpreters.decline(uow, principal, request_id, body.reason, deps),
    )
    return InterpreterRequestOut.of(done)
