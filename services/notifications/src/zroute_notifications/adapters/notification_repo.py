"""The messages (``uow.notifications``): the received events they are about, the messages
themselves, digest items and operator alerts (SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_notifications.domain.recipients import Recipient

KEEP_EVENT = """
    INSERT INTO nt_events (event_id, event_type, time, subject, programme_id, body, received_at)
    VALUES ($1::uuid, $2, $3, $4, $5, $6::text::jsonb, $7) ON CONFLICT (event_id) DO NOTHING
"""
"""Keeps a received event: its seven parameters are :func:`kept_event`'s. A read-model
writer may send it as a CTE in front of its own statement (``readmodel.writers.KEEPING``)."""


def kept_event(envelope: Any, now: datetime) -> tuple[Any, ...]:
    """The parameters of :data:`KEEP_EVENT` for ``envelope`` received at ``now``. The body
    goes as the JSON text the envelope serialises to and PostgreSQL parses it into jsonb
    (``$6::text``), rather than through a dict that the pool's codec dumps again."""
    return (
        envelope.id,
        envelope.type,
        envelope.time,
        envelope.subject,
        envelope.data.get("programme_id"),
        envelope.to_json().decode(),
        now,
    )


class NotificationRepository(TrackingRepository):
    """Received events, messages, digest items and alerts on the unit of work's connection."""

    async def load_events(self, event_ids: Sequence[UUID]) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT event_id, event_type, body FROM nt_events WHERE event_id = ANY($1::uuid[])"
            " ORDER BY time, event_id",
            list(event_ids),
        )
        return rows

    async def programme_event_ids(self, programme_id: str, limit: int = 1000) -> list[UUID]:
        rows = await self.conn.fetch(
            "SELECT event_id FROM nt_events WHERE programme_id = $1 ORDER BY time DESC LIMIT $2",
            programme_id,
            limit,
        )
        return [r["event_id"] for r in rows]

    async def add(
        self,
        *,
        id: UUID,
        dedupe_key: str,
        event_ids: Sequence[UUID],
        event_type: str | None,
        programme_id: str | None,
        participant_ref: str | None,
        recipient: Recipient,
        channel: str,
        timing: str,
        language: str,
        subject: str = "",
        body_text: str = "",
        body_html: str = "",
        status: str = "pending",
        now: datetime,
        due_at: datetime | None = None,
    ) -> bool:
        """Insert a message; False when one with the same key exists (a redelivered event)."""
        row = await self.conn.fetchval(
            """
            INSERT INTO nt_notifications (id, dedupe_key, event_ids, event_type, programme_id,
                participant_ref, role, recipient_kind, recipient_ref, partner_id, staff_ref,
                subscription_id, channel, timing, language, subject, body_text, body_html, status,
                created_at, due_at)
            VALUES ($1, $2, $3::uuid[], $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                    $17, $18, $19, $20, $21)
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """,
            id,
            dedupe_key,
            list(event_ids),
            event_type,
            programme_id,
            participant_ref,
            recipient.role.value,
            recipient.kind,
            recipient.ref,
            recipient.partner_id,
            recipient.staff_ref,
            recipient.subscription_id,
            channel,
            timing,
            language,
            subject,
            body_text,
            body_html,
            status,
            now,
            due_at,
        )
        return row is not None

    async def get(self, notification_id: UUID, *, lock: bool = False) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM nt_notifications WHERE id = $1" + (" FOR UPDATE" if lock else ""),
            notification_id,
        )

    async def mark(self, notification_id: UUID, **values: Any) -> None:
        sets = ", ".join(f"{k} = ${n}" for n, k in enumerate(values, start=2))
        await self.conn.execute(
            f"UPDATE nt_notifications SET {sets} WHERE id = $1", notification_id, *values.values()
        )

    async def add_digest_item(
        self,
        *,
        timing: str,
        period: str,
        recipient: Recipient,
        channel: str,
        event_id: str,
        language: str,
        programme_id: str | None,
    ) -> None:
        await self.conn.execute(
            """
            INSERT INTO nt_digest_items (timing, period, recipient_kind, recipient_ref, channel,
                event_id, role, partner_id, staff_ref, language, programme_id)
            VALUES ($1, $2, $3, $4, $5, $6::uuid, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING
            """,
            timing,
            period,
            recipient.kind,
            recipient.ref,
            channel,
            event_id,
            recipient.role.value,
            recipient.partner_id,
            recipient.staff_ref,
            language,
            programme_id,
        )

    async def digest_items(self, timing: str, period: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT d.*, e.event_type, e.body FROM nt_digest_items d"
            " JOIN nt_events e USING (event_id)"
            " WHERE d.timing = $1 AND d.period = $2"
            " ORDER BY d.recipient_kind, d.recipient_ref, d.channel, e.time, e.event_id",
            timing,
            period,
        )
        return rows

    async def first_alert_today(self, recipient_key: str, day: date, notification_id: UUID) -> bool:
        row = await self.conn.fetchval(
            "INSERT INTO nt_operator_alerts (recipient_key, day, notification_id) VALUES ($1, $2, $3)"
            " ON CONFLICT DO NOTHING RETURNING notification_id",
            recipient_key,
            day,
            notification_id,
        )
        return row is not None

    async def pending_about_consent(self, consent_id: str) -> list[asyncpg.Record]:
        """The pending messages about events that relied on ``consent_id``, locked."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            """
            SELECT n.* FROM nt_notifications n JOIN nt_events e ON e.event_id = ANY(n.event_ids)
            WHERE n.status = 'pending' AND e.body -> 'data' ->> 'consent_id' = $1
            FOR UPDATE OF n
            """,
            consent_id,
        )
        return rows
        return rows

    async def appointment_events(
        self, participant_ref: str, types: Sequence[str], key: str, value: str
    ) -> list[asyncpg.Record]:
        """The received events of ``types`` about the participant whose ``data.<key>`` is
        ``value`` (one appointment): id, type and time."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT event_id, event_type, time FROM nt_events"
            " WHERE subject = $1 AND event_type = ANY($2::text[])"
            " AND body -> 'data' ->> $3 = $4",
            participant_ref,
            list(types),
            key,
            value,
        )
        return rows

    async def pending_reminders_about(self, event_ids: Sequence[UUID]) -> list[asyncpg.Record]:
        """The reminders still pending that these events planned, locked: id and event."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT n.*, n.event_ids[1] AS about FROM nt_notifications n"
            " WHERE n.status = 'pending' AND n.timing = 'reminder'"
            " AND n.event_ids && $1::uuid[] FOR UPDATE",
            list(event_ids),
        )
        return rows
