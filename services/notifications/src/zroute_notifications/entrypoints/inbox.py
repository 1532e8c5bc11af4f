"""``/inbox``: the messages placed in a recipient's inbox."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query
from zroute_runtime.auth import Principal, Role
from zroute_runtime.http_host import Runtime

from zroute_notifications.adapters import municipalities, store
from zroute_notifications.entrypoints import scope
from zroute_notifications.entrypoints.deps import Anyone
from zroute_notifications.entrypoints.schemas import InboxMessage, Kind
from zroute_notifications.service_layer.deps import Deps


def may_read(principal: Principal, kind: str, ref: str) -> bool:
    """Operators and coordinators read every inbox; staff their own and their partner's."""
    if principal.has_any_role(Role.OPERATOR, Role.COORDINATOR):
        return True
    if kind == "staff" and principal.subject == ref:
        return True
    return (
        kind == "partner" and Role.PARTNER_STAFF in principal.roles and principal.partner_id == ref
    )


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/inbox", tags=["inbox"])

    @api.get("/{kind}/{ref}")
    async def read_inbox(
        kind: Kind,
        ref: str,
        principal: Anyone,
        runtime: Runtime,
        limit: int = Query(default=50, ge=1, le=500),
    ) -> list[InboxMessage]:
        """Newest first. ``kind`` is staff, partner, employer or operator."""
        async with runtime.pool.acquire() as conn:
            rows = await inbox_rows(conn, principal, kind, ref, limit)
        return [
            InboxMessage(
                id=r["id"],
                event_type=r["event_type"],
                participant_ref=r["participant_ref"],
                subject=r["subject"],
                body=r["body_text"],
                language=r["language"],
                received_at=r["sent_at"],
            )
            for r in rows
        ]

    return api


async def inbox_rows(conn: Any, principal: Principal, kind: str, ref: str, limit: int) -> list[Any]:
    """One inbox's messages, newest first, as the caller may read them (the API and the
    screens alike): 403 for someone else's inbox or another municipality's recipient."""
    if not may_read(principal, kind, ref):
        raise HTTPException(403, "this inbox belongs to someone else")
    own = principal.municipality_scope()
    served = await municipalities.of_recipient(conn, kind, ref)
    if own is not None and (kind == "operator" or (served and own not in served)):
        raise HTTPException(403, scope.ELSEWHERE)
    return await scope.in_scope(conn, principal, await store.inbox(conn, kind, ref, limit))
