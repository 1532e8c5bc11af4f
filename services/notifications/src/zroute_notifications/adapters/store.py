"""Received events, messages, digest items and operator alerts (SQL)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from zroute_notifications.domain.recipients import Recipient

Conn = asyncpg.Connection


# -- received events -------------------------------------------------------------------
async def save_event(conn: Conn, envelope: Any, now: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO nt_events (event_id, event_type, time, subject, programme_id, body, received_at)
        VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (event_id) DO NOTHING
        """,
        envelope.id,
        envelope.type,
        envelope.time,
        envelope.subject,
        envelope.data.get("programme_id"),
        json.loads(envelope.to_json()),  # the pool's codec stores it as a jsonb object
        now,
    )


async def load_events(conn: Conn, event_ids: Sequence[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT event_id, event_type, body FROM nt_events WHERE event_id = ANY($1::uuid[])"
        " ORDER BY time, event_id",
        list(event_ids),
    )


async def programme_event_ids(conn: Conn, programme_id: str, limit: int = 1000) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT event_id FROM nt_events WHERE programme_id = $1 ORDER BY time DESC LIMIT $2",
        programme_id,
        limit,
    )
    return [r["event_id"] for r in rows]


# -- messages --------------------------------------------------------------------------
async def add_notification(
    conn: Conn,
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
    row = await conn.fetchval(
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


async def notification(
    conn: Conn, notification_id: UUID, *, lock: bool = False
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM nt_notifications WHERE id = $1" + (" FOR UPDATE" if lock else ""),
        notification_id,
    )


async def mark(conn: Conn, notification_id: UUID, **values: Any) -> None:
    sets = ", ".join(f"{k} = ${n}" for n, k in enumerate(values, start=2))
    await conn.execute(
        f"UPDATE nt_notifications SET {sets} WHERE id = $1", notification_id, *values.values()
    )


async def notifications_for_event(conn: Conn, event_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM nt_notifications WHERE $1 = ANY(event_ids) ORDER BY created_at, id",
        event_id,
    )


async def list_notifications(conn: Conn, status: str | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM nt_notifications WHERE $1::text IS NULL OR status = $1"
        " ORDER BY created_at DESC, id LIMIT $2",
        status,
        limit,
    )


async def inbox(conn: Conn, kind: str, ref: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM nt_notifications WHERE channel = 'inbox' AND recipient_kind = $1"
        " AND recipient_ref = $2 AND status = 'sent' ORDER BY sent_at DESC, id LIMIT $3",
        kind,
        ref,
        limit,
    )


async def add_digest_item(
    conn: Conn,
    *,
    timing: str,
    period: str,
    recipient: Recipient,
    channel: str,
    event_id: str,
    language: str,
    programme_id: str | None,
) -> None:
    await conn.execute(
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


async def digest_items(conn: Conn, timing: str, period: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT d.*, e.event_type, e.body FROM nt_digest_items d"
        " JOIN nt_events e USING (event_id)"
        " WHERE d.timing = $1 AND d.period = $2"
        " ORDER BY d.recipient_kind, d.recipient_ref, d.channel, e.time, e.event_id",
        timing,
        period,
    )


async def first_alert_today(
    conn: Conn, recipient_key: str, day: date, notification_id: UUID
) -> bool:
    row = await conn.fetchval(
        "INSERT INTO nt_operator_alerts (recipient_key, day, notification_id) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING notification_id",
        recipient_key,
        day,
        notification_id,
    )
    return row is not None
