"""The waiting list: who waits for a group, why, and since when."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.auth import Role
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.adapters import groups as rows
from zroute_planning.entrypoints.deps import Staff
from zroute_planning.entrypoints.schemas import WaitingOut

router = APIRouter(prefix="/waiting-list", tags=["waiting list"])


@router.get("")
async def waiting_list(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    programme_id: str | None = Query(default=None, pattern=PARTNER_ID_PATTERN),
) -> list[WaitingOut]:
    async with command(runtime, request) as uow:
        partner_only = not principal.has_any_role(Role.COORDINATOR, Role.CASEWORKER)
        found = await rows.waiting(
            uow.conn,
            programme_id,
            municipality=principal.municipality_scope(),
            teaching_partner=principal.partner_id if partner_only else None,
        )
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
