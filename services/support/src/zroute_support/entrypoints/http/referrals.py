"""``/referrals``: closed-loop care referrals (lesson L5).

Partner staff see and act on their own partner's referrals only, as the care partner;
caseworkers and coordinators act as the referrer and see the programme, or only the
participants of their municipality when their token names one.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import AwareDatetime, BaseModel, Field
from zroute_contract.types import LanguageCode, PartnerId, ProgrammeId
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.commands import Reassign
from zroute_support.entrypoints.http.deps import Anyone, Coordinator, Referrer, SupportDeps
from zroute_support.entrypoints.http.interpreters import InterpreterRequestOut
from zroute_support.entrypoints.http.schemas import (
    CancelIn,
    CompleteIn,
    ContextOut,
    DeclineIn,
    MessageIn,
    MessageOut,
    ReasonIn,
    ReassignIn,
    ReferralIn,
    ReferralOut,
    RequestedOut,
)
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import (
    interpreters,
    reassignment,
    referral_actions,
    referral_thread,
)

router = APIRouter(prefix="/referrals", tags=["referrals"])


@router.get("")
async def list_referrals(
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    programme_id: ProgrammeId | None = None,
    partner_id: PartnerId | None = None,
) -> list[ReferralOut]:
    """Partner staff get their own partner's referrals only; caseworkers and coordinators
    limited to a municipality that municipality's; others the programme."""
    async with command(runtime, request) as uow:
        found = await views.referrals(
            uow, principal, programme_id=programme_id, partner_id=partner_id
        )
    return [ReferralOut.of(r) for r in found]


@router.get("/{referral_id}")
async def read(
    referral_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> ReferralOut:
    async with command(runtime, request) as uow:
        return ReferralOut.of(await views.referral(uow, principal, referral_id))


@router.post("", status_code=201)
async def request_referral(
    body: ReferralIn,
    principal: Referrer,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
    response: Response,
) -> RequestedOut:
    """A caseworker's referral; only under a care-referral consent on record (422 without),
    and only for a participant of the caller's municipality when the token names one (403)."""
    result = await run_command(
        runtime,
        request,
        lambda uow: referral_actions.request_referral(uow, deps, principal, body.command()),
    )
    if result.referral is None:
        response.status_code = 202
    return RequestedOut(
        referral=ReferralOut.of(result.referral) if result.referral else None,
        waiting_reason=result.waiting_reason.sentence() if result.waiting_reason else None,
        waiting_reason_code=result.waiting_reason.code if result.waiting_reason else None,
        waiting_entry_id=result.waiting_entry,
    )


async def _act(
    runtime: Any, request: Request, deps: Any, p: Any, referral_id: UUID, action: str, **kw: Any
) -> ReferralOut:
    referral = await run_command(
        runtime,
        request,
        lambda uow: referral_actions.act(uow, deps, p, referral_id, action, **kw),
    )
    return ReferralOut.of(referral)


@router.post("/{referral_id}/accept")
async def accept(
    referral_id: UUID, p: Anyone, runtime: Runtime, deps: SupportDeps, request: Request
) -> ReferralOut:
    """The care partner accepts (performer only)."""
    return await _act(runtime, request, deps, p, referral_id, "accept")


@router.post("/{referral_id}/decline")
async def decline(
    referral_id: UUID,
    body: DeclineIn,
    p: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    """The care partner declines with a reason; it is re-routed to the next capable partner
    unless ``reroute`` is false."""
    return await _act(
        runtime, request, deps, p, referral_id, "decline", reason=body.reason, reroute=body.reroute
    )


@router.post("/{referral_id}/start")
async def start(
    referral_id: UUID, p: Anyone, runtime: Runtime, deps: SupportDeps, request: Request
) -> ReferralOut:
    return await _act(runtime, request, deps, p, referral_id, "start")


@router.post("/{referral_id}/hold")
async def hold(
    referral_id: UUID,
    body: ReasonIn,
    p: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    return await _act(runtime, request, deps, p, referral_id, "hold", reason=body.reason)


@router.post("/{referral_id}/resume")
async def resume(
    referral_id: UUID, p: Anyone, runtime: Runtime, deps: SupportDeps, request: Request
) -> ReferralOut:
    return await _act(runtime, request, deps, p, referral_id, "start")


@router.post("/{referral_id}/fail")
async def fail(
    referral_id: UUID,
    body: ReasonIn,
    p: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    return await _act(runtime, request, deps, p, referral_id, "fail", reason=body.reason)


@router.post("/{referral_id}/complete")
async def complete(
    referral_id: UUID,
    body: CompleteIn,
    p: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    """Close with the outcome: successful or not, a reason from the list, delivered when."""
    return await _act(runtime, request, deps, p, referral_id, "complete", outcome=body.outcome())


@router.post("/{referral_id}/cancel")
async def cancel(
    referral_id: UUID,
    body: CancelIn,
    p: Anyone,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    """The referrer cancels; the care partner is told to stop."""
    return await _act(runtime, request, deps, p, referral_id, "cancel", reason=body.reason)


@router.get("/{referral_id}/context")
async def context(
    referral_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> ContextOut:
    """Why the referral was made, what supports it, and the message thread: the care
    partner sees it once it has accepted the referral (403 with the reason before)."""
    async with command(runtime, request) as uow:
        found, ctx, thread = await views.referral_context(uow, principal, referral_id)
    return ContextOut.of(found.referral_id, ctx, thread)


@router.post("/{referral_id}/messages", status_code=201)
async def post_message(
    referral_id: UUID, body: MessageIn, p: Anyone, runtime: Runtime, request: Request
) -> MessageOut:
    """A message to the other side of the referral (stays in support, never on the bus)."""
    message = await run_command(
        runtime, request, lambda uow: referral_thread.post_message(uow, p, referral_id, body.body)
    )
    return MessageOut.of(message)


@router.post("/{referral_id}/reassign")
async def reassign(
    referral_id: UUID,
    body: ReassignIn,
    p: Coordinator,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> ReferralOut:
    """The coordinator moves the referral to a chosen partner, with a reason; answers the
    new referral (the old one is cancelled as ``reassigned``)."""
    moved = await run_command(
        runtime,
        request,
        lambda uow: reassignment.reassign_referral(
            uow, deps, p, Reassign(referral_id, body.partner_id, body.reason)
        ),
    )
    return ReferralOut.of(moved)


class ReferralIntakeIn(BaseModel):
    """The intake of an accepted referral (issue 18 item 4): when, and the interpreter."""

    starts_at: AwareDatetime = Field(description="When the care partner meets the participant.")
    interpreter_needed: bool | None = Field(
        default=None,
        description="Whether to ask an interpreter; absent: as the participant's registration says.",
    )
    interpreter_language: LanguageCode | None = Field(
        default=None,
        description="The language to interpret from Dutch; absent: the preferred language.",
    )


class ReferralInterpreterOut(BaseModel):
    """Whether the referral's intake has an interpreter asked for, and its answer."""

    referral_id: UUID
    interpreter: InterpreterRequestOut | None = Field(
        description="The interpreter request (status requested, confirmed, declined or"
        " unrouted); absent when none is asked for."
    )


@router.put("/{referral_id}/intake-appointment")
async def plan_intake(
    referral_id: UUID, body: ReferralIntakeIn, p: Anyone, runtime: Runtime, request: Request
) -> ReferralInterpreterOut:
    """The care partner (or the coordinator) plans the referral's intake once accepted;
    with an interpreter, the interpreter partner the task division names is asked."""
    found = await run_command(
        runtime,
        request,
        lambda uow: interpreters.referral_intake(
            uow,
            p,
            referral_id,
            body.starts_at,
            (body.interpreter_needed, body.interpreter_language),
        ),
    )
    return ReferralInterpreterOut(
        referral_id=referral_id, interpreter=InterpreterRequestOut.of(found) if found else None
    )


@router.get("/{referral_id}/interpreter")
async def interpreter(
    referral_id: UUID, p: Anyone, runtime: Runtime, request: Request
) -> ReferralInterpreterOut:
    """Whether an interpreter is asked for the referral's intake and confirmed."""
    async with command(runtime, request) as uow:
        found = await views.referral_interpreter(uow, p, referral_id)
    return ReferralInterpreterOut(
        referral_id=referral_id, interpreter=InterpreterRequestOut.of(found) if found else None
    )
