"""In-memory repositories for notifications' fast handler tier: what the handlers reach on
``uow.notifications``, ``uow.directory``, ``uow.readmodel`` and ``uow.timers``, with the
behaviour a handler can tell apart (a message's key makes a second one with the same key
harmless, as the unique index does). Handed to ``tests.fakes.FakeUnitOfWork`` by name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from zroute_notifications.domain.recipients import Recipient

from tests.fakes import FakeUnitOfWork


class FakeNotifications:
    def __init__(self) -> None:
        self.rows: dict[UUID, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.digest: list[dict[str, Any]] = []
        self.alerts: set[tuple[str, date]] = set()

    async def save_event(self, envelope: Any, now: datetime) -> None:
        self.events.setdefault(
            envelope.id,
            {"event_id": envelope.id, "event_type": envelope.type, "body": envelope.model_dump()},
        )

    async def load_events(self, event_ids: Sequence[UUID]) -> list[dict[str, Any]]:
        return [self.events[str(i)] for i in event_ids if str(i) in self.events]

    async def add(self, *, recipient: Recipient, now: datetime, **values: Any) -> bool:
        if any(r["dedupe_key"] == values["dedupe_key"] for r in self.rows.values()):
            return False
        self.rows[values["id"]] = {
            "status": "pending",
            "attempts": 0,
            "subject": "",
            "body_text": "",
            "body_html": "",
            **values,
            "role": recipient.role.value,
            "recipient_kind": recipient.kind,
            "recipient_ref": recipient.ref,
            "partner_id": recipient.partner_id,
            "staff_ref": recipient.staff_ref,
            "subscription_id": recipient.subscription_id,
            "created_at": now,
        }
        return True

    async def get(self, notification_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        row = self.rows.get(notification_id)
        return None if row is None else dict(row)

    async def mark(self, notification_id: UUID, **values: Any) -> None:
        self.rows[notification_id].update(values)

    async def add_digest_item(self, **values: Any) -> None:
        self.digest.append(values)

    async def first_alert_today(self, key: str, day: date, notification_id: UUID) -> bool:
        first = (key, day) not in self.alerts
        self.alerts.add((key, day))
        return first

    async def pending_about_consent(self, consent_id: str) -> list[dict[str, Any]]:
        return []

    def of(self, **match: Any) -> list[dict[str, Any]]:
        """The messages whose fields have the given values."""
        return [r for r in self.rows.values() if all(r.get(k) == v for k, v in match.items())]


class FakeDirectory:
    def __init__(self) -> None:
        self.addresses: dict[tuple[str, str], dict[str, Any]] = {}
        self.subscriptions: dict[UUID, dict[str, Any]] = {}
        self.ended: dict[UUID, str] = {}

    async def address(self, kind: str, ref: str) -> dict[str, Any] | None:
        return self.addresses.get((kind, ref))

    async def subscription(self, subscription_id: UUID) -> dict[str, Any] | None:
        return self.subscriptions.get(subscription_id)

    async def lock_subscription(self, subscription_id: UUID) -> dict[str, Any] | None:
        return self.subscriptions.get(subscription_id)

    async def record_request(self, subscription_id: UUID, at: datetime) -> None:
        self.subscriptions[subscription_id]["last_request_at"] = at

    async def matching_subscriptions(
        self, event_type: str, participants: Sequence[str], partner_id: str | None
    ) -> list[dict[str, Any]]:
        return [
            s
            for s in self.subscriptions.values()
            if s["active"]
            and event_type in s["event_types"]
            and (partner_id is None or s["partner_id"] == partner_id)
        ]

    async def end_subscription(self, subscription_id: UUID, reason: str, now: datetime) -> None:
        self.ended[subscription_id] = reason


class FakeReadModel:
    def __init__(self, notifications: FakeNotifications) -> None:
        self.notifications = notifications  # where a received event is kept
        self.applied: list[Any] = []
        self.contacts: dict[str, dict[str, Any]] = {}
        self.agreements: dict[str, dict[str, Any]] = {}
        self.withdrawn: set[tuple[str, str]] = set()

    async def keep_and_apply(self, envelope: Any, event: Any, now: datetime) -> None:
        await self.notifications.save_event(envelope, now)
        await self.apply(event)

    async def apply(self, event: Any) -> None:
        self.applied.append(event)

    async def contact(self, participant_ref: str) -> dict[str, Any] | None:
        return self.contacts.get(participant_ref)

    async def current_agreement(self, programme_id: str, today: date) -> dict[str, Any] | None:
        return self.agreements.get(programme_id)

    async def own_lead_partner(self, participant_ref: str) -> tuple[bool, str | None]:
        return False, None  # support set none: the programme's lead partner applies

    async def placement(self, participant_ref: str) -> None:
        return None

    async def partner_active(self, partner_id: str) -> bool:
        return True

    async def sharing_withdrawn(self, participant_ref: str, partner_id: str) -> bool:
        return (participant_ref, partner_id) in self.withdrawn


class FakeTimers:
    def __init__(self) -> None:
        self.scheduled: list[dict[str, Any]] = []

    async def schedule(self, **timer: Any) -> None:
        self.scheduled.append(timer)


class FakeParticipants:
    """The participant's side (issue 18): profiles, weeks and appointments set by the test;
    messages, letters and links as written."""

    def __init__(self) -> None:
        self.profiles: dict[str, dict[str, Any]] = {}
        self.schedules: dict[str, dict[str, Any]] = {}
        self.appointments: dict[str, dict[str, Any]] = {}
        self.messages_written: list[dict[str, Any]] = []
        self.letters_written: list[dict[str, Any]] = []
        self.links: dict[str, dict[str, Any]] = {}

    async def profile(self, ref: str) -> dict[str, Any] | None:
        return self.profiles.get(ref)

    async def schedule(self, ref: str) -> dict[str, Any] | None:
        return self.schedules.get(ref)

    async def appointment(self, ref: str) -> dict[str, Any] | None:
        return self.appointments.get(ref)

    async def add_message(self, **values: Any) -> bool:
        key = (values["event_id"], values["kind"])
        if any((m["event_id"], m["kind"]) == key for m in self.messages_written):
            return False
        self.messages_written.append(values)
        return True

    async def messages(self, ref: str, limit: int = 10) -> list[dict[str, Any]]:
        return [m for m in self.messages_written if m["participant_ref"] == ref][:limit]

    async def add_link(self, link_id: str, ref: str, expires_at: datetime, now: datetime) -> None:
        self.links[link_id] = {
            "link_id": link_id,
            "participant_ref": ref,
            "expires_at": expires_at,
            "revoked_at": None,
        }

    async def link(self, link_id: str) -> dict[str, Any] | None:
        return self.links.get(link_id)

    async def revoke_links(self, ref: str, now: datetime) -> int:
        found = [
            k for k in self.links.values() if k["participant_ref"] == ref and not k["revoked_at"]
        ]
        for k in found:
            k["revoked_at"] = now
        return len(found)

    async def has_letter(self, event_id: str) -> bool:
        return any(str(x["event_id"]) == event_id for x in self.letters_written)

    async def add_letter(self, **values: Any) -> bool:
        self.letters_written.append(values)
        return True

    async def current_letter_digest(self, ref: str, now: datetime) -> str | None:
        """The newest letter's digest while its link works (revoked or expired: None)."""
        for letter in reversed(self.letters_written):
            if letter["participant_ref"] != ref:
                continue
            link = self.links[letter["link_id"]]
            working = link["revoked_at"] is None and link["expires_at"] > now
            return str(letter.get("content_digest")) if working else None
        return None


def unit_of_work() -> FakeUnitOfWork:
    """A fake unit of work with notifications' repositories, all empty."""
    notifications = FakeNotifications()
    return FakeUnitOfWork(
        notifications=notifications,
        directory=FakeDirectory(),
        readmodel=FakeReadModel(notifications),
        timers=FakeTimers(),
        participants=FakeParticipants(),
    )
