"""``/notifications``: delivery status per event and message, and re-sending a failure."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, Request
from zroute_runtime.http_host import Runtime

from zroute_notifications.domain.commands import Resend
from zroute_notifications.entrypoints.http.deps import Managers, reading, run
from zroute_notifications.entrypoints.http.schemas import NotificationOut
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.handlers import notifications

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("")
async def list_notifications(
    principal: Managers,
    runtime: Runtime,
    request: Request,
    event_id: UUID | None = None,
    status: str | None = Query(default=None, pattern="^(pending|sent|failed|not_sent)$"),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationOut]:
    """The messages of one event (``event_id``), or the latest, optionally by status."""
    async with reading(runtime, request) as uow:
        rows = await views.notifications(
            uow, principal, event_id=event_id, status=status, limit=limit
        )
    return [NotificationOut.of(r) for r in rows]


@router.get("/{notification_id}")
async def read_notification(
    notification_id: UUID, principal: Managers, runtime: Runtime, request: Request
) -> NotificationOut:
    async with reading(runtime, request) as uow:
        row = await views.notification(uow, principal, notification_id)
    return NotificationOut.of(row)


@router.post("/{notification_id}/retry", status_code=202)
async def retry(
    notification_id: UUID, principal: Managers, runtime: Runtime, request: Request
) -> NotificationOut:
    """Send a failed message again (with today's addresses and subscriptions)."""
    row = await run(
        runtime, request, lambda uow: notifications.resend(uow, principal, Resend(notification_id))
    )
    runtime.timers.wake()
    return NotificationOut.of(row)
