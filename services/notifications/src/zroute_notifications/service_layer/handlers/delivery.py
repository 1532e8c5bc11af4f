"""Timers out: deliver one message, and gather a period's digest.

A delivery runs inside the timer's unit of work: the attempt's outcome, the next
attempt's timer and the ``notification-*`` event commit together with the timer's
"fired" mark. A crash between the send and the commit repeats the send on restart, so
delivery is at least once; receivers deduplicate on ``Zroute-Notification-Id`` (or the
Message-ID of an e-mail).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from zroute_contract.envelope import CloudEvent
from zroute_contract.events.codes import Channel, DeliveryFailure, RecipientRole, Timing
from zroute_runtime.clock import local_day
from zroute_runtime.context import MessageContext
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_notifications.adapters.rendering import Rendered
from zroute_notifications.domain.delivery import (
    Deferred,
    Delivered,
    Failed,
    NotSent,
    Outcome,
    TryAgain,
)
from zroute_notifications.domain.handshake import next_slot
from zroute_notifications.domain.participant import PARTICIPANT
from zroute_notifications.domain.recipients import Recipient, participants_of, programme_partners
from zroute_notifications.domain.rights import SubscriberFacts, refusal
from zroute_notifications.domain.schedule import timer_payload
from zroute_notifications.service_layer import naming, outcomes
from zroute_notifications.service_layer.addresses import address
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import typed
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


async def deliver(timer: DueTimer, runtime_uow: UnitOfWork, *, deps: Deps) -> None:
    """One attempt at one message; its outcome commits with the timer's "fired" mark."""
    uow = typed(runtime_uow)
    payload = timer_payload(timer.payload)
    row = await uow.notifications.get(uuid.UUID(payload["notification_id"]), lock=True)
    if row is None or row["status"] != "pending":
        log.info("delivery_stale", notification_id=payload["notification_id"])
        return  # sent, failed or re-sent meanwhile: this timer is stale
    caused_by = _continue_correlation(runtime_uow, payload)
    attempts = row["attempts"] + 1
    # The retry delay counts from the attempt, not from whenever the send returned: with
    # a simulated clock that may have moved on meanwhile, the next attempt still falls due
    # when the delay says.
    attempted_at = uow.clock.now()
    outcome = await _attempt(uow, deps, row)
    await outcomes.settle(
        uow, deps, row, attempts, outcome, attempted_at=attempted_at, caused_by=caused_by
    )


async def _attempt(uow: NotificationsUnitOfWork, deps: Deps, row: Any) -> Outcome:
    channel = Channel(row["channel"])
    if channel is Channel.INBOX:
        return Delivered()
    if channel is Channel.EMAIL:
        return await _email(uow, deps, row)
    return await _webhook(uow, deps, row)


async def _email(uow: NotificationsUnitOfWork, deps: Deps, row: Any) -> Outcome:
    if row["recipient_kind"] == PARTICIPANT:
        return await _participant_email(deps, row)
    to = await _email_address(uow, deps, row)
    if to is None:
        return Failed(
            DeliveryFailure.RECIPIENT_UNRESOLVED,
            f"no e-mail address for {row['recipient_kind']} {row['recipient_ref']}",
        )
    message = Rendered(row["subject"], row["body_text"], row["body_html"])
    message = await naming.with_name(deps, row, message)
    mail = deps.mailer.build(to, message, str(row["id"]), row["language"])
    return await deps.mailer.send(mail)


async def _participant_email(deps: Deps, row: Any) -> Outcome:
    """The participant's own message, to the address intake holds at send time (pulled,
    access-logged there, never stored here); none is no failure, only said in the log."""
    if deps.people is None:
        # No intake to ask (a deployment without it): nobody's address is known here.
        return NotSent("intake_not_configured")
    answer = await deps.people.email_for_message(str(row["recipient_ref"]))
    if answer.unavailable:
        return TryAgain(DeliveryFailure.RECIPIENT_UNRESOLVED, "intake could not be asked")
    if answer.address is None:
        return NotSent(answer.missing or "no_address")
    message = Rendered(row["subject"], row["body_text"], row["body_html"])
    return await deps.mailer.send(
        deps.mailer.build(answer.address, message, str(row["id"]), row["language"])
    )


async def _email_address(uow: NotificationsUnitOfWork, deps: Deps, row: Any) -> str | None:
    """The person's own address, else their organisation's (read at send time)."""
    if row["recipient_kind"] == "operator":
        entry = await address(uow, deps, "operator", "operator")
        return (entry["email"] if entry else None) or deps.settings.operator_email
    entry = await address(uow, deps, row["recipient_kind"], row["recipient_ref"])
    if entry and entry["email"]:
        return str(entry["email"])
    if row["recipient_kind"] == "staff" and row["partner_id"]:
        entry = await address(uow, deps, "partner", row["partner_id"])
        if entry and entry["email"]:
            return str(entry["email"])
    return None


async def _webhook(uow: NotificationsUnitOfWork, deps: Deps, row: Any) -> Outcome:
    sub = await uow.directory.subscription(row["subscription_id"])
    if sub is not None and sub["allowed_rate"] is not None:
        # Paced deliveries to one endpoint go one at a time, across instances too.
        sub = await uow.directory.lock_subscription(sub["id"])
    if sub is None or not sub["active"]:
        gone = sub is not None and sub["ended_reason"] == "gone"
        reason = DeliveryFailure.WEBHOOK_GONE if gone else DeliveryFailure.NOT_AUTHORISED
        return Failed(reason, "subscription ended", retriable=False)
    [event] = await uow.notifications.load_events(row["event_ids"][:1])
    envelope = CloudEvent.model_validate(event["body"])
    denied = refusal(await _facts(uow, deps, sub, envelope))
    if denied is not None:
        return Failed(DeliveryFailure.NOT_AUTHORISED, denied, retriable=False)
    if sub["allowed_rate"] is not None:
        now = uow.clock.now()
        slot = next_slot(sub["last_request_at"], sub["allowed_rate"], now)
        if slot > now:
            return Deferred(slot)
        await uow.directory.record_request(sub["id"], now)
    return await deps.webhooks.post(
        sub["url"],
        envelope.to_json(),
        token=deps.webhooks.box.open(sub["id"], "bearer_token", sub["bearer_token"]),
        secret=deps.webhooks.box.open(sub["id"], "signing_secret", sub["signing_secret"]),
        notification_id=str(row["id"]),
    )


async def _facts(
    uow: NotificationsUnitOfWork, deps: Deps, sub: Any, envelope: CloudEvent
) -> SubscriberFacts:
    data = envelope.data
    spec = envelope.payload().spec
    partner_id = sub["partner_id"]
    agreement = None
    if data.get("programme_id"):
        today = local_day(uow.clock.now())
        agreement = await uow.readmodel.current_agreement(data["programme_id"], today)
    withdrawn = False
    if partner_id:
        for ref in participants_of(data):
            withdrawn = withdrawn or await uow.readmodel.sharing_withdrawn(ref, partner_id)
    named = {v for k, v in data.items() if k in ("partner_id", "lead_partner_id") and v}
    named |= {a.get("partner_id") for a in data.get("assignments", []) if isinstance(a, dict)}
    return SubscriberFacts(
        subscription_active=sub["active"],
        subscriber_partner=partner_id,
        partner_active=await uow.readmodel.partner_active(partner_id) if partner_id else True,
        addressed_to=data.get(spec.addressed_by) if spec.addressed_by else None,
        named_partners=frozenset(p for p in named if p),
        programme_partners=frozenset(programme_partners(agreement)),
        sharing_withdrawn=withdrawn,
    )


async def send_digest(timer: DueTimer, runtime_uow: UnitOfWork, *, deps: Deps) -> None:
    """One message per recipient and channel with every event of the period."""
    uow = typed(runtime_uow)
    payload = timer_payload(timer.payload)
    timing, period = payload["timing"], payload["period"]
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for item in await uow.notifications.digest_items(timing, period):
        groups[(item["recipient_kind"], item["recipient_ref"], item["channel"])].append(item)
    now = uow.clock.now()
    for (kind, ref, channel), items in groups.items():
        first = items[0]
        recipient = Recipient(
            RecipientRole(first["role"]),
            kind,
            ref,
            partner_id=first["partner_id"],
            staff_ref=first["staff_ref"],
        )
        language = deps.language(first["language"])
        parts = []
        for item in items:
            envelope = item["body"]
            role_view = Recipient(
                RecipientRole(item["role"]),
                kind,
                ref,
                partner_id=item["partner_id"],
                staff_ref=item["staff_ref"],
            )
            parts.append(deps.part(item["event_type"], envelope["data"], role_view, language))
        rendered = deps.templates.compose(
            language, parts, subject=deps.templates.ui(language, "digest_subject", n=len(parts))
        )
        programmes = {i["programme_id"] for i in items}
        subjects = {i["body"].get("subject") for i in items}
        nid = uuid.uuid4()
        created = await uow.notifications.add(
            id=nid,
            dedupe_key=f"digest:{timing}:{period}:{kind}:{ref}:{channel}",
            event_ids=[i["event_id"] for i in items],
            event_type=None,
            programme_id=programmes.pop() if len(programmes) == 1 else None,
            participant_ref=subjects.pop() if len(subjects) == 1 else None,
            recipient=recipient,
            channel=channel,
            timing=Timing(timing).value,
            language=language,
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            now=now,
            due_at=now,
        )
        if created:
            await outcomes.schedule_delivery(uow, nid, 0, now)


def _continue_correlation(uow: UnitOfWork, payload: dict[str, str]) -> MessageContext | None:
    """An attempt a command asked for (a resend) continues that caller's correlation: the
    ``notification-*`` event it causes carries the caller's ``X-Correlation-ID``. Returns
    the continued context, None for an attempt no command asked for."""
    if "correlation_id" not in payload:
        return None
    uow.context = MessageContext(
        correlation_id=payload["correlation_id"], traceparent=payload.get("traceparent")
    )
    return uow.context
