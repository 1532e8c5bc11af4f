"""The delivery log's command: send a failed message again (the API's retry and the
screens' resend alike)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from zroute_contract.errors import Conflict, Forbidden, NotFound
from zroute_runtime.auth import Principal
from zroute_runtime.logging import get_logger

from zroute_notifications.service_layer import outcomes, scope
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


def resend_refusal(row: Any) -> str | None:
    """Why a message cannot be re-sent as it stands, or None when it can."""
    if row["status"] != "failed":
        return f"the notification is {row['status']}, not failed"
    if row["recipient_kind"] == "unresolved":
        return "nobody held the role; the event cannot be re-sent"
    return None


async def resend(uow: NotificationsUnitOfWork, principal: Principal, notification_id: UUID) -> Any:
    """Put a failed message back on the schedule, with today's addresses and subscriptions:
    NotFound unknown, Forbidden outside the caller's scope, Conflict when not failed or not
    re-sendable. The attempt continues the caller's correlation. Returns the message's row
    as it is afterwards; the caller commits."""
    row = await uow.notifications.get(notification_id, lock=True)
    if row is None:
        raise NotFound("no such notification")
    if not await scope.record_in_scope(uow, principal, row):
        raise Forbidden(scope.ELSEWHERE)
    refused = resend_refusal(row)
    if refused is not None:
        raise Conflict(refused)
    if row["subscription_id"] is not None:
        sub = await uow.directory.subscription(row["subscription_id"])
        if sub is None or not sub["active"]:
            raise Conflict("the webhook subscription has ended")
    now = uow.clock.now()
    await uow.notifications.mark(
        notification_id, status="pending", reason=None, retriable=None, failed_at=None, due_at=now
    )
    await outcomes.schedule_delivery(
        uow, notification_id, row["attempts"], now, caused_by=uow.context
    )
    log.info("notification_resent", notification_id=str(notification_id))
    return await uow.notifications.get(notification_id)
