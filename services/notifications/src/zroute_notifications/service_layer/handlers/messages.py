"""Events in: plan the messages the communication matrix asks for.

Nothing is sent here. Each message becomes a row whose key (event, recipient, channel)
makes a redelivered event harmless, and a durable timer that delivers it (at once, at
the reminder's time) or a digest item that the period's digest timer gathers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from zroute_contract.envelope import CloudEvent
from zroute_contract.events.base import Event
from zroute_contract.events.codes import Channel, RecipientRole, Timing
from zroute_runtime.clock import local_timezone
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.adapters.rendering import NAME_SLOT
from zroute_notifications.domain import schedule
from zroute_notifications.domain.matrix import DIGESTS, Target
from zroute_notifications.domain.recipients import Recipient, participants_of
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.addresses import language_of
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work
from zroute_notifications.service_layer.recipients import (
    resolve,
    subscriber,
    task_not_offered,
)
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

DIGEST = "digest"
log = get_logger(__name__)


async def plan_messages(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    """Every message the matrix asks for about ``event``; an unheld role is a failure,
    except a responsible partner for a task the programme does not offer."""
    uow, envelope = unit_of_work(ctx), ctx.envelope
    now = uow.clock.now()
    for target in deps.matrix.targets_for(event.spec.type):
        recipients = await resolve(uow, target, event.spec.type, envelope.data, now)
        if not recipients and await task_not_offered(uow, target, envelope.data, now):
            log.info(
                "task_not_offered",
                event_id=envelope.id,
                task=target.task.value if target.task else None,
            )
            continue
        if not recipients and target.role is not RecipientRole.SUBSCRIBER:
            await outcomes.unresolved(uow, deps, envelope, target)
        for recipient in recipients:
            for channel in target.channels:
                await plan(uow, deps, envelope, target, recipient, channel, now)
    log.info("event_planned", event_id=envelope.id, event_type=envelope.type)


async def plan(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    envelope: CloudEvent,
    target: Target,
    recipient: Recipient,
    channel: Channel,
    now: datetime,
) -> None:
    """One recipient's message on one channel: a webhook delivery per subscription, a
    digest item, or a message due now or at the reminder's time."""
    if channel is Channel.WEBHOOK:
        for sub in await _subscriptions_of(uow, envelope, recipient):
            await _message(uow, deps, envelope, sub, channel, Timing.IMMEDIATE, now, now)
    elif recipient.kind == "subscription":
        return  # a subscription is told by webhook only
    elif target.timing in DIGESTS:
        await _digest_item(uow, deps, envelope, target, recipient, channel, now)
    else:
        due = _due(deps, envelope, target, now)
        await _message(uow, deps, envelope, recipient, channel, target.timing, now, due)


async def _subscriptions_of(
    uow: NotificationsUnitOfWork, envelope: CloudEvent, recipient: Recipient
) -> list[Recipient]:
    """The webhook subscriptions that stand for a recipient: itself, or its partner's."""
    if recipient.kind == "subscription":
        return [recipient]
    if not recipient.partner_id:
        return []
    rows = await uow.directory.matching_subscriptions(
        envelope.type, participants_of(envelope.data), recipient.partner_id
    )
    return [subscriber(recipient.role, r) for r in rows]


def _due(deps: Deps, envelope: CloudEvent, target: Target, now: datetime) -> datetime:
    """Now, or for a reminder the configured hour some days before the event's deadline."""
    if target.timing is not Timing.REMINDER or target.reminder is None:
        return now
    deadline = getattr(envelope.payload(), target.reminder.field)
    return schedule.reminder_due(
        deadline, target.reminder.days, deps.settings.reminder_hour, local_timezone(), now
    )


async def _digest_item(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    envelope: CloudEvent,
    target: Target,
    recipient: Recipient,
    channel: Channel,
    now: datetime,
) -> None:
    """An item of the period's digest, and the period's digest timer."""
    tz = local_timezone()
    period = schedule.digest_period(target.timing, now, tz)
    await uow.notifications.add_digest_item(
        timing=target.timing.value,
        period=period,
        recipient=recipient,
        channel=channel.value,
        event_id=envelope.id,
        language=await language_of(uow, deps, recipient.kind, recipient.ref),
        programme_id=envelope.data.get("programme_id"),
    )
    s = deps.settings
    due = schedule.digest_due(target.timing, period, tz, s.digest_hour, s.weekly_digest_weekday)
    await uow.timers.schedule(
        kind=DIGEST,
        key=f"{target.timing.value}:{period}",
        due_at=due,
        payload={"timing": target.timing.value, "period": period},
    )


async def _message(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    envelope: CloudEvent,
    recipient: Recipient,
    channel: Channel,
    timing: Timing,
    now: datetime,
    due: datetime,
) -> None:
    """One message, rendered now (a webhook carries the event itself), and its timer."""
    data = envelope.data
    texts: dict[str, str] = {}
    if channel is Channel.WEBHOOK:
        language = deps.language(None)
    else:
        language = await language_of(uow, deps, recipient.kind, recipient.ref)
        texts = _texts(deps, envelope, recipient, language, channel)
    suffix = ":reminder" if timing is Timing.REMINDER else ""
    notification_id = uuid.uuid4()
    created = await uow.notifications.add(
        id=notification_id,
        dedupe_key=f"{envelope.id}:{recipient.key}:{channel.value}{suffix}",
        event_ids=[uuid.UUID(envelope.id)],
        event_type=envelope.type,
        programme_id=data.get("programme_id"),
        participant_ref=envelope.subject,
        recipient=recipient,
        channel=channel.value,
        timing=timing.value,
        language=language,
        now=now,
        due_at=due,
        **texts,
    )
    if created:
        await outcomes.schedule_delivery(uow, notification_id, 0, due)


NAMED_ROLES = frozenset({RecipientRole.EMPLOYER, RecipientRole.JOB_COACH})
"""Whose e-mails name the participant where consent allows (issue 18)."""


def _texts(
    deps: Deps, envelope: CloudEvent, recipient: Recipient, language: str, channel: Channel
) -> dict[str, Any]:
    """The message's subject and bodies in the recipient's language and role's view; an
    e-mail to an employer or a job coach about one participant gets the slot the
    delivery fills with the name, or with why it is not given."""
    part = deps.part(envelope.type, envelope.data, recipient, language)
    named = (
        channel is Channel.EMAIL and recipient.role in NAMED_ROLES and envelope.subject is not None
    )
    rendered = deps.templates.compose(language, [part], name_slot=NAME_SLOT if named else None)
    return {"subject": rendered.subject, "body_text": rendered.text, "body_html": rendered.html}
