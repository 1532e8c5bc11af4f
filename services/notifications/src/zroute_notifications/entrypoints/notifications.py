"""``/notifications``: delivery status per event and message, and re-sending a failure."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query
from zroute_runtime.auth import Principal
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_notifications.adapters import directory, store
from zroute_notifications.entrypoints import scope
from zroute_notifications.entrypoints.deps import Managers
from zroute_notifications.entrypoints.schemas import NotificationOut
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/notifications", tags=["notifications"])

    @api.get("")
    async def list_notifications(
        principal: Managers,
        runtime: Runtime,
        event_id: UUID | None = None,
        status: str | None = Query(default=None, pattern="^(pending|sent|failed)$"),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> list[NotificationOut]:
        """The messages of one event (``event_id``), or the latest, optionally by status."""
        async with runtime.pool.acquire() as conn:
            if event_id is not None:
                rows = await store.notifications_for_event(conn, event_id)
                rows = [r for r in rows if status is None or r["status"] == status]
            else:
                rows = await store.list_notifications(conn, status, limit)
            rows = await scope.in_scope(conn, principal, rows)
        return [NotificationOut.of(r) for r in rows]

    @api.get("/{notification_id}")
    async def read_notification(
        notification_id: UUID, principal: Managers, runtime: Runtime
    ) -> NotificationOut:
        async with runtime.pool.acquire() as conn:
            row = await store.notification(conn, notification_id)
            if row is None:
                raise HTTPException(404, "no such notification")
            if not await scope.record_in_scope(conn, principal, row):
                raise HTTPException(403, scope.ELSEWHERE)
        return NotificationOut.of(row)

    @api.post("/{notification_id}/retry", status_code=202)
    async def retry(
        notification_id: UUID, principal: Managers, runtime: Runtime
    ) -> NotificationOut:
        """Send a failed message again (with today's addresses and subscriptions)."""
        return NotificationOut.of(await resend(runtime, principal, notification_id))

    return api


async def resend(runtime: Any, principal: Principal, notification_id: UUID) -> Any:
    """Put a failed message back on the schedule, the API's retry and the screens' resend
    alike: 404 unknown, 403 outside the caller's scope, 409 not failed or not re-sendable.
    Returns the notification's row as it is afterwards."""
    async with runtime.uow(MessageContext.new()) as uow:
        row = await store.notification(uow.conn, notification_id, lock=True)
        if row is None:
            raise HTTPException(404, "no such notification")
        if not await scope.record_in_scope(uow.conn, principal, row):
            raise HTTPException(403, scope.ELSEWHERE)
        if row["status"] != "failed":
            raise HTTPException(409, f"the notification is {row['status']}, not failed")
        if row["recipient_kind"] == "unresolved":
            raise HTTPException(409, "nobody held the role; the event cannot be re-sent")
        now = uow.clock.now()
        await store.mark(
            uow.conn,
            notification_id,
            status="pending",
            reason=None,
            retriable=None,
            failed_at=None,
            due_at=now,
        )
        if row["subscription_id"] is not None:
            sub = await directory.subscription(uow.conn, row["subscription_id"])
            if sub is None or not sub["active"]:
                raise HTTPException(409, "the webhook subscription has ended")
        await outcomes.schedule_delivery(uow.conn, notification_id, row["attempts"], now)
        await uow.commit()
        row = await store.notification(uow.conn, notification_id)
    runtime.timers.wake()
    return row
