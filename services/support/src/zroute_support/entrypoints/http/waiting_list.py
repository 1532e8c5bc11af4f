"""``/waiting-list``: referrals and placements no partner could take, with the reason.

A caseworker or coordinator whose token names a municipality sees that municipality's
participants only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.commands import Reassign
from zroute_support.domain.referrals import Referral
from zroute_support.domain.routing import WaitCode
from zroute_support.entrypoints.http.deps import Coordinator, SupportDeps
from zroute_support.entrypoints.http.schemas import ReassignIn, ReferralOut
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import reassignment

router = APIRouter(prefix="/waiting-list", tags=["waiting-list"])

Reader = Annotated[
    Principal, Depends(require_roles(Role.COORDINATOR, Role.CASEWORKER, Role.OPERATOR))
]


class WaitingOut(BaseModel):
    kind: str
    id: UUID
    participant_ref: str
    programme_id: str
    capability: str
    reason: str = Field(description="Why it waits, in English.")
    reason_code: WaitCode | None = Field(
        default=None, description="Why it waits, as a code (with ``reason_params``)."
    )
    reason_params: dict[str, str] = Field(
        default_factory=dict, description="The code's parameters: capability, municipality..."
    )
    since: datetime | None
    urgency: str | None = None

    @classmethod
    def of(cls, w: views.Waiting) -> WaitingOut:
        fields = {k: v for k, v in vars(w).items() if k != "reason"}
        if w.reason is None:
            return cls(**fields, reason="")
        return cls(
            **fields,
            reason=w.reason.sentence(),
            reason_code=w.reason.code,
            reason_params=w.reason.parameters,
        )


@router.get("")
async def waiting(
    principal: Reader, runtime: Runtime, request: Request, programme_id: str | None = None
) -> list[WaitingOut]:
    """Everything waiting for a partner, with the reason: the most urgent first, then
    the longest waiting."""
    async with command(runtime, request) as uow:
        found = await views.waiting(uow, principal, programme_id)
    return [WaitingOut.of(w) for w in found]


class AssignedOut(BaseModel):
    """What the waiting work became: a referral to the chosen partner, or the placement
    request offered to it."""

    kind: str
    partner_id: str
    referral: ReferralOut | None = None
    placement_request_id: UUID | None = None


@router.post("/{entry_id}/assign")
async def assign(
    entry_id: UUID,
    body: ReassignIn,
    p: Coordinator,
    runtime: Runtime,
    deps: SupportDeps,
    request: Request,
) -> AssignedOut:
    """The coordinator hands waiting work to a chosen partner, with a reason (recorded,
    and as an exception when the task division names another partner)."""
    done = await run_command(
        runtime,
        request,
        lambda uow: reassignment.assign_waiting(
            uow, deps, p, Reassign(entry_id, body.partner_id, body.reason)
        ),
    )
    if isinstance(done, Referral):
        return AssignedOut(
            kind="referral", partner_id=done.partner_id, referral=ReferralOut.of(done)
        )
    return AssignedOut(
        kind="placement",
        partner_id=body.partner_id,
        placement_request_id=done.placement_request_id,
    )
