"""How a message ends: ``notification-sent`` or ``notification-failed`` (with the reason),
and the operator's alert, once per recipient per day, when one fails for good."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from zroute_contract.events.codes import Channel, DeliveryFailure, RecipientRole, Timing
from zroute_contract.events.notifications import NotificationFailed, NotificationSent
from zroute_contract.events.notifications import Recipient as RecipientRef
from zroute_runtime.clock import local_day
from zroute_runtime.context import MessageContext
from zroute_runtime.logging import get_logger

from zroute_notifications.adapters.rendering import Part
from zroute_notifications.domain.delivery import (
    Deferred,
    Delivered,
    Failed,
    NotSent,
    Outcome,
    TryAgain,
    next_attempt,
)
from zroute_notifications.domain.matrix import Target
from zroute_notifications.domain.recipients import OPERATOR, Recipient
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

DELIVER = "deliver"
log = get_logger(__name__)


async def schedule_delivery(
    uow: NotificationsUnitOfWork,
    notification_id: uuid.UUID,
    attempts: int,
    due: datetime,
    *,
    caused_by: MessageContext | None = None,
) -> None:
    """A durable timer per attempt (``<id>:<attempts made>``), so retries survive restarts.

    ``caused_by`` is the context of a command that asked for the attempt (a resend): the
    attempt's ``notification-*`` event then carries that caller's correlation id."""
    payload = {"notification_id": str(notification_id)}
    if caused_by is not None:
        payload["correlation_id"] = caused_by.correlation_id
        if caused_by.traceparent:
            payload["traceparent"] = caused_by.traceparent
    await uow.timers.schedule(
        kind=DELIVER, key=f"{notification_id}:{attempts}", due_at=due, payload=payload
    )


def _common(row: Any, attempts: int) -> dict[str, Any]:
    return {
        "notification_id": row["id"],
        "event_ids": tuple(dict.fromkeys(row["event_ids"])),
        "programme_id": row["programme_id"],
        "participant_ref": row["participant_ref"],
        "recipient": RecipientRef(
            role=RecipientRole(row["role"]),
            partner_id=row["partner_id"],
            staff_ref=row["staff_ref"],
            subscription_id=row["subscription_id"],
        ),
        "channel": Channel(row["channel"]),
        "timing": Timing(row["timing"]),
        "language": row["language"],
        "attempts": max(attempts, 1),
    }


async def settle(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    row: Any,
    attempts: int,
    outcome: Outcome,
    *,
    attempted_at: datetime,
    caused_by: MessageContext | None = None,
) -> None:
    """Record the attempt's outcome; a retry falls due its delay after ``attempted_at``.
    ``caused_by``: the command context the attempt continues (kept by a moved timer)."""
    now = uow.clock.now()
    if isinstance(outcome, NotSent):
        await not_sent(uow, row, attempts, outcome)
        return
    if isinstance(outcome, Deferred):
        await uow.notifications.mark(row["id"], due_at=outcome.until)
        # The same timer, moved: the timer runner then keeps it pending.
        await schedule_delivery(uow, row["id"], row["attempts"], outcome.until, caused_by=caused_by)
        return
    if isinstance(outcome, Delivered):
        await uow.notifications.mark(
            row["id"],
            status="sent",
            attempts=attempts,
            sent_at=now,
            reason=None,
            last_error=None,
        )
        uow.emit(NotificationSent(**_common(row, attempts)))
        log.info(
            "notification_sent",
            notification_id=str(row["id"]),
            channel=row["channel"],
            attempts=attempts,
        )
        return
    if isinstance(outcome, TryAgain):
        s = deps.settings
        when = next_attempt(
            outcome,
            attempts,
            s.delivery_retry_delays_s,
            attempted_at,
            timedelta(seconds=s.retry_after_max_s),
        )
        if when is not None:
            await uow.notifications.mark(
                row["id"], attempts=attempts, last_error=outcome.detail, due_at=when
            )
            await schedule_delivery(uow, row["id"], attempts, when)
            return
        outcome = Failed(outcome.reason, f"retries exhausted, last: {outcome.detail}", True)
    await fail(uow, deps, row, attempts, outcome)


async def not_sent(uow: NotificationsUnitOfWork, row: Any, attempts: int, outcome: NotSent) -> None:
    """Nothing to send to (a participant without an e-mail address): the delivery log
    says why, and it is no failure (no event, no operator alert)."""
    await uow.notifications.mark(
        row["id"], status="not_sent", attempts=attempts, reason=outcome.reason, last_error=None
    )
    log.info(
        "notification_not_sent",
        notification_id=str(row["id"]),
        channel=row["channel"],
        reason=outcome.reason,
    )


async def fail(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    row: Any,
    attempts: int,
    failure: Failed,
    *,
    alert: bool = True,
) -> None:
    now = uow.clock.now()
    await uow.notifications.mark(
        row["id"],
        status="failed",
        attempts=attempts,
        failed_at=now,
        reason=failure.reason.value,
        retriable=failure.retriable,
        last_error=failure.detail,
    )
    if failure.reason is DeliveryFailure.WEBHOOK_GONE and row["subscription_id"]:
        await uow.directory.end_subscription(row["subscription_id"], "gone", now)
    uow.emit(
        NotificationFailed(
            **_common(row, attempts), reason=failure.reason, retriable=failure.retriable
        )
    )
    log.warning(
        "notification_failed",
        notification_id=str(row["id"]),
        channel=row["channel"],
        reason=failure.reason.value,
        attempts=attempts,
    )
    if alert and row["role"] != RecipientRole.OPERATOR.value:
        await alert_operator(uow, deps, row, failure)


async def alert_operator(
    uow: NotificationsUnitOfWork, deps: Deps, row: Any, failure: Failed
) -> None:
    """Once per recipient per (local) day, not per message."""
    now = uow.clock.now()
    key = f"{row['recipient_kind']}:{row['recipient_ref']}"
    day = local_day(now)
    alert_id = uuid.uuid4()
    if not await uow.notifications.first_alert_today(key, day, alert_id):
        return
    language = deps.settings.default_language
    t = deps.templates
    subject = t.ui(language, "operator_subject", recipient=key)
    body = t.ui(language, "operator_body", recipient=key, reason=failure.reason.value)
    base = deps.settings.service_urls.get("notifications", "").rstrip("/")
    link = f"{base}/notifications?status=failed"
    rendered = t.compose(language, [Part(subject, body, body, link)])
    channels = [Channel.INBOX] + ([Channel.EMAIL] if deps.settings.operator_email else [])
    for channel in channels:
        nid = alert_id if channel is Channel.INBOX else uuid.uuid4()
        created = await uow.notifications.add(
            id=nid,
            dedupe_key=f"alert:{key}:{day}:{channel.value}",
            event_ids=row["event_ids"],
            event_type=None,
            programme_id=row["programme_id"],
            participant_ref=None,
            recipient=OPERATOR,
            channel=channel.value,
            timing=Timing.IMMEDIATE.value,
            language=language,
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            now=now,
            due_at=now,
        )
        if created:
            await schedule_delivery(uow, nid, 0, now)


async def unresolved(
    uow: NotificationsUnitOfWork, deps: Deps, envelope: Any, target: Target
) -> None:
    """The matrix names a role nobody holds yet (no contact person, no agreement)."""
    now = uow.clock.now()
    label = target.role.value + (f"-{target.task.value}" if target.task else "")
    nobody = Recipient(target.role, "unresolved", label)
    nid = uuid.uuid4()
    # A webhook goes only to subscriptions, and a role nobody holds has none: there is
    # no webhook delivery to fail (and a webhook outcome must name its subscription).
    for channel in (c for c in target.channels if c is not Channel.WEBHOOK):
        created = await uow.notifications.add(
            id=nid,
            dedupe_key=f"{envelope.id}:{nobody.key}:{channel.value}",
            event_ids=[uuid.UUID(envelope.id)],
            event_type=envelope.type,
            programme_id=envelope.data.get("programme_id"),
            participant_ref=envelope.subject,
            recipient=nobody,
            channel=channel.value,
            timing=target.timing.value,
            language=deps.settings.default_language,
            status="pending",
            now=now,
        )
        if created:
            row = await uow.notifications.get(nid)
            failure = Failed(
                DeliveryFailure.RECIPIENT_UNRESOLVED,
                f"nobody holds role {label} for this event",
                retriable=False,
            )
            await fail(uow, deps, row, 1, failure)
        nid = uuid.uuid4()


async def stop_relying_on(uow: NotificationsUnitOfWork, deps: Deps, consent_id: str) -> None:
    """A withdrawn consent stops the messages still pending about what it covered."""
    for row in await uow.notifications.pending_about_consent(consent_id):
        failure = Failed(DeliveryFailure.NOT_AUTHORISED, "consent withdrawn", retriable=False)
        await fail(uow, deps, row, max(row["attempts"], 1), failure, alert=False)
