"""``/inbox``: the messages placed in a recipient's inbox."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from zroute_runtime.http_host import Runtime

from zroute_notifications.entrypoints.http.deps import Anyone, reading
from zroute_notifications.entrypoints.http.schemas import InboxMessage, Kind
from zroute_notifications.service_layer import views

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("/{kind}/{ref}")
async def read_inbox(
    kind: Kind,
    ref: str,
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    limit: int = Query(default=50, ge=1, le=500),
) -> list[InboxMessage]:
    """Newest first. ``kind`` is staff, partner, employer or operator."""
    async with reading(runtime, request) as uow:
        rows = await views.inbox(uow, principal, kind, ref, limit)
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
