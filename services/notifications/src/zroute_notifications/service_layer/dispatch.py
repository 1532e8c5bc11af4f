"""Events in: update the read model, then plan the messages the matrix asks for.

Nothing is sent here. Each message becomes a row whose key (event, recipient, channel)
makes a redelivered event harmless, and a durable timer that delivers it (at once, at
the reminder's time) or a digest item that the period's digest timer gathers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from zroute_contract.events.base import Event
from zroute_contract.events.codes import Channel, RecipientRole, Timing
from zroute_contract.events.intake import ConsentWithdrawn
from zroute_contract.events.support import AgreementRecorded
from zroute_runtime import timers
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_notifications.adapters import directory, readmodel, store
from zroute_notifications.adapters.readmodel import queries
from zroute_notifications.domain import schedule
from zroute_notifications.domain.matrix import DIGESTS, Target
from zroute_notifications.domain.recipients import (
    OPERATOR,
    Recipient,
    participants_of,
    partner,
    staff,
)
from zroute_notifications.service_layer import outcomes, overview
from zroute_notifications.service_layer.deps import Deps

DELIVER = outcomes.DELIVER
DIGEST = "digest"


async def handle(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    conn, now = ctx.uow.conn, ctx.uow.clock.now()
    await store.save_event(conn, ctx.envelope, now)
    await readmodel.apply(conn, event)
    data = ctx.envelope.data
    if isinstance(event, AgreementRecorded):
        await overview.schedule_next(conn, deps, event.programme_id, now)
    if isinstance(event, ConsentWithdrawn):
        await outcomes.stop_relying_on(ctx.uow, deps, str(event.consent_id))
    for target in deps.matrix.targets_for(event.spec.type):
        recipients = await resolve(conn, target, event.spec.type, data, now, deps)
        if not recipients and target.role is not RecipientRole.SUBSCRIBER:
            await outcomes.unresolved(ctx.uow, deps, ctx.envelope, target)
        for recipient in recipients:
            for channel in target.channels:
                await plan(ctx, deps, target, recipient, channel, now)


async def resolve(
    conn: Any, target: Target, event_type: str, data: dict[str, Any], now: datetime, deps: Deps
) -> list[Recipient]:
    """The people or organisations ``target.role`` names for this event."""
    role = target.role
    found: list[Recipient] = []
    if role in (RecipientRole.CONTACT_PERSON, RecipientRole.CASEWORKER):
        for ref in participants_of(data):
            row = await queries.contact(conn, ref)
            if row is None:
                # Intake assigns the first contact person in the transaction that
                # registers the participant: none known means contact-person-assigned
                # has not arrived yet (a retry queue holds it). Wait for it.
                raise AwaitingPredecessor(f"no contact person known for participant {ref}")
            if role is RecipientRole.CONTACT_PERSON:
                found.append(staff(role, row["staff_ref"], row["partner_id"]))
            elif row["caseworker_ref"]:
                found.append(staff(role, row["caseworker_ref"], None))
    elif role in (RecipientRole.LEAD_PARTNER, RecipientRole.RESPONSIBLE_PARTNER):
        today = now.astimezone(deps.tz).date()
        agreement = await queries.current_agreement(conn, data["programme_id"], today)
        if agreement and role is RecipientRole.LEAD_PARTNER:
            found.append(partner(role, agreement["lead_partner_id"]))
        elif agreement and target.task is not None:
            found += [
                partner(role, a["partner_id"])
                for a in agreement["assignments"]
                if a["task"] == target.task.value
            ]
    elif role is RecipientRole.CARE_PARTNER:
        found.append(partner(role, data["partner_id"]))
    elif role in (RecipientRole.JOB_COACH, RecipientRole.EMPLOYER):
        found += await _placement_people(conn, role, data)
    elif role is RecipientRole.OPERATOR:
        found.append(OPERATOR)
    elif role is RecipientRole.SUBSCRIBER:
        subs = await directory.matching_subscriptions(conn, event_type, participants_of(data), None)
        found += [_subscriber(role, s) for s in subs]
    return list(dict.fromkeys(found))


async def _placement_people(
    conn: Any, role: RecipientRole, data: dict[str, Any]
) -> list[Recipient]:
    coach, coach_partner, employer = (
        data.get("job_coach"),
        data.get("partner_id"),
        data.get("employer_id"),
    )
    if (role is RecipientRole.JOB_COACH and not coach) or (
        role is RecipientRole.EMPLOYER and not employer
    ):
        row = await queries.placement(conn, data.get("participant_ref", ""))
        if row is not None:
            coach, coach_partner = row["job_coach"], row["job_coach_partner_id"]
            employer = row["employer_id"]
    if role is RecipientRole.JOB_COACH:
        return [staff(role, coach, coach_partner)] if coach else []
    return [Recipient(role, "employer", employer)] if employer else []


def _subscriber(role: RecipientRole, sub: Any) -> Recipient:
    return Recipient(
        role,
        "subscription",
        str(sub["id"]),
        partner_id=sub["partner_id"],
        subscription_id=sub["id"],
    )


async def plan(
    ctx: HandlerContext,
    deps: Deps,
    target: Target,
    recipient: Recipient,
    channel: Channel,
    now: datetime,
) -> None:
    conn, envelope = ctx.uow.conn, ctx.envelope
    data = envelope.data
    if channel is Channel.WEBHOOK:
        if recipient.kind == "subscription":
            subs = [recipient]
        elif recipient.partner_id:
            rows = await directory.matching_subscriptions(
                conn, envelope.type, participants_of(data), recipient.partner_id
            )
            subs = [_subscriber(recipient.role, r) for r in rows]
        else:
            subs = []
        for sub in subs:
            await _message(ctx, deps, sub, channel, Timing.IMMEDIATE, now, now, content=False)
        return
    if recipient.kind == "subscription":
        return
    if target.timing in DIGESTS:
        entry = await deps.address(conn, recipient.kind, recipient.ref)
        period = schedule.digest_period(target.timing, now, deps.tz)
        await store.add_digest_item(
            conn,
            timing=target.timing.value,
            period=period,
            recipient=recipient,
            channel=channel.value,
            event_id=envelope.id,
            language=deps.language(entry["language"] if entry else None),
            programme_id=data.get("programme_id"),
        )
        s = deps.settings
        due = schedule.digest_due(
            target.timing, period, deps.tz, s.digest_hour, s.weekly_digest_weekday
        )
        await timers.schedule(
            conn,
            kind=DIGEST,
            key=f"{target.timing.value}:{period}",
            due_at=due,
            payload={"timing": target.timing.value, "period": period},
        )
        return
    due = now
    if target.timing is Timing.REMINDER and target.reminder is not None:
        deadline = getattr(_payload(envelope), target.reminder.field)
        due = schedule.reminder_due(
            deadline, target.reminder.days, deps.settings.reminder_hour, deps.tz, now
        )
    await _message(ctx, deps, recipient, channel, target.timing, now, due, content=True)


def _payload(envelope: Any) -> Event:
    return envelope.payload()


async def _message(
    ctx: HandlerContext,
    deps: Deps,
    recipient: Recipient,
    channel: Channel,
    timing: Timing,
    now: datetime,
    due: datetime,
    *,
    content: bool,
) -> None:
    conn, envelope = ctx.uow.conn, ctx.envelope
    data = envelope.data
    entry = await deps.address(conn, recipient.kind, recipient.ref) if content else None
    language = deps.language(entry["language"] if entry else None)
    texts: dict[str, str] = {}
    if content:
        part = deps.part(envelope.type, data, recipient, language)
        rendered = deps.templates.compose(language, [part])
        texts = {
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
        }
    suffix = ":reminder" if timing is Timing.REMINDER else ""
    notification_id = uuid.uuid4()
    created = await store.add_notification(
        conn,
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
        await outcomes.schedule_delivery(conn, notification_id, 0, due)
