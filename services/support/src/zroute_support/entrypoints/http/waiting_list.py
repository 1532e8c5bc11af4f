"""``/waiting-list``: referrals and placements no partner could take, with the reason.

A caseworker or coordinator whose token names a municipality sees that municipality's
participants only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_support.service_layer import views

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
    reason: str
    since: datetime | None
    urgency: str | None = None


@router.get("")
async def waiting(
    principal: Reader, runtime: Runtime, request: Request, programme_id: str | None = None
) -> list[WaitingOut]:
    """Everything waiting for a partner, with the reason: the most urgent first, then
    the longest waiting."""
    async with command(runtime, request) as uow:
        found = await views.waiting(uow, principal, programme_id)
    return [WaitingOut(**vars(w)) for w in found]
