"""``/waiting-list``: referrals and placements no partner could take, with the reason.

A caseworker or coordinator whose token names a municipality sees that municipality's
participants only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.adapters.waiting_repo import WaitingList
from zroute_support.domain.placements import PlacementStatus
from zroute_support.domain.preconditions import PreconditionStatus
from zroute_support.entrypoints.http.deps import DomainErrorRoute, own_municipality

router = APIRouter(prefix="/waiting-list", tags=["waiting-list"], route_class=DomainErrorRoute)

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


@router.get("")
async def waiting(
    principal: Reader, runtime: Runtime, programme_id: str | None = None
) -> list[WaitingOut]:
    """Everything waiting for a partner, with the reason, oldest first."""
    municipality = own_municipality(principal)
    async with runtime.pool.acquire() as conn:
        entries = await WaitingList(conn).waiting(
            programme_id=programme_id, municipality=municipality
        )
        placements = await PlacementRepository(conn).list(
            programme_id=programme_id, municipality=municipality
        )
        preconditions = await PreconditionRepository(conn).list(
            programme_id=programme_id, municipality=municipality
        )
    found = [
        WaitingOut(
            kind=e.kind,
            id=e.entry_id,
            participant_ref=e.participant_ref,
            programme_id=e.programme_id,
            capability=e.capability.value,
            reason=e.reason,
            since=e.since,
        )
        for e in entries
    ]
    found += [
        WaitingOut(
            kind="placement",
            id=p.placement_request_id,
            participant_ref=p.participant_ref,
            programme_id=p.programme_id,
            capability="participation_workplaces",
            reason=p.waiting_reason or "",
            since=None,
        )
        for p in placements
        if p.status is PlacementStatus.WAITING
    ]
    found += [
        WaitingOut(
            kind=p.kind.value,
            id=p.precondition_id,
            participant_ref=p.participant_ref,
            programme_id=p.programme_id,
            capability=p.kind.value,
            reason=p.waiting_reason or "",
            since=None,
        )
        for p in preconditions
        if p.partner_id is None and p.status is PreconditionStatus.NEEDED
    ]
    return found
