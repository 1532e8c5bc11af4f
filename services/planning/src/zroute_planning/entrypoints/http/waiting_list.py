"""The waiting list: who waits for a group, why, and since when."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.entrypoints.http.deps import Staff
from zroute_planning.entrypoints.http.schemas import WaitingOut
from zroute_planning.service_layer import views

router = APIRouter(prefix="/waiting-list", tags=["waiting list"])


@router.get("")
async def waiting_list(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    programme_id: str | None = Query(default=None, pattern=PARTNER_ID_PATTERN),
) -> list[WaitingOut]:
    async with command(runtime, request) as uow:
        found = await views.waiting(uow, principal, programme_id)
    return [
        WaitingOut(
            participant_ref=r["participant_ref"],
            programme_id=r["programme_id"],
            level_band=r["level_band"],
            reason=r["reason"],
            since=r["since"],
        )
        for r in found
    ]
