"""The delivery log's command: send a failed message again (the API's retry and the
screens' resend alike)."""

from __future__ import annotations

from typing import Any

from zroute_runtime.auth import Principal
from zroute_runtime.logging import get_logger

from zroute_notifications.domain.commands import Resend
from zroute_notifications.domain.delivery import resend_refusal
from zroute_notifications.domain.errors import NotFound, NotResendable, OutsideScope
from zroute_notifications.service_layer import outcomes, scope
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


async def resend(uow: NotificationsUnitOfWork, principal: Principal, command: Resend) -> Any:
    """Put a failed message back on the schedule, with today's addresses and subscriptions:
    NotFound unknown, OutsideScope outside the caller's scope, NotResendable when not
    failed, nobody held the role or its subscription ended. The attempt continues the
    caller's correlation. Returns the message's row as it is afterwards; the caller
    commits."""
    notification_id = command.notification_id
    row = await uow.notifications.get(notification_id, lock=True)
    if row is None:
        raise NotFound("no such notification")
    if not await scope.record_in_scope(uow, principal, row):
        raise OutsideScope(scope.ELSEWHERE)
    refused = resend_refusal(row["status"], row["recipient_kind"])
    if refused is not None:
        raise NotResendable(refused)
    if row["subscription_id"] is not None:
        sub = await uow.directory.subscription(row["subscription_id"])
        if sub is None or not sub["active"]:
            raise NotResendable("the webhook subscription has ended")
    now = uow.clock.now()
    await uow.notifications.mark(
        notification_id, status="pending", reason=None, retriable=None, failed_at=None, due_at=now
    )
    await outcomes.schedule_delivery(
        uow, notification_id, row["attempts"], now, caused_by=uow.context
    )
    log.info("notification_resent", notification_id=str(notification_id))
    return await uow.notifications.get(notification_id)
