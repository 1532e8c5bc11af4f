"""What the HTTP reads and the screens need (``uow.reads``): the only place their SQL
lives. ``service_layer/views.py`` and the service layer's scope rules are its callers."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_notifications.adapters import municipalities
from zroute_notifications.adapters.readmodel import queries


class NotificationsReads(TrackingRepository):
    # -- messages ----------------------------------------------------------------------
    async def notification(self, notification_id: UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM nt_notifications WHERE id = $1", notification_id
        )

    async def notifications_for_event(self, event_id: UUID) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM nt_notifications WHERE $1 = ANY(event_ids) ORDER BY created_at, id",
            event_id,
        )
        return rows

    async def notifications(self, status: str | None, limit: int) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM nt_notifications WHERE $1::text IS NULL OR status = $1"
            " ORDER BY created_at DESC, id LIMIT $2",
            status,
            limit,
        )
        return rows

    async def inbox(self, kind: str, ref: str, limit: int) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM nt_notifications WHERE channel = 'inbox' AND recipient_kind = $1"
            " AND recipient_ref = $2 AND status = 'sent' ORDER BY sent_at DESC, id LIMIT $3",
            kind,
            ref,
            limit,
        )
        return rows

    # -- directory and subscriptions ---------------------------------------------------
    async def addresses(self, kind: str | None) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT kind, ref, email, language, name, phone FROM nt_directory"
            " WHERE $1::text IS NULL OR kind = $1 ORDER BY kind, ref",
            kind,
        )
        return rows

    async def subscription(self, subscription_id: UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM nt_subscriptions WHERE id = $1", subscription_id
        )

    async def subscriptions(self, partner_id: str | None) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM nt_subscriptions WHERE $1::text IS NULL OR partner_id = $1"
            " ORDER BY created_at, id",
            partner_id,
        )
        return rows

    # -- programmes --------------------------------------------------------------------
    async def programmes(self) -> list[dict[str, Any]]:
        rows = await self.conn.fetch(
            "SELECT programme_id, count(*) AS participants FROM nt_participants"
            " GROUP BY programme_id ORDER BY programme_id"
        )
        return [dict(r) for r in rows]

    async def current_agreement(self, programme_id: str, today: date) -> dict[str, Any] | None:
        return await queries.current_agreement(self.conn, programme_id, today)

    async def programme_figures(self, programme_id: str) -> queries.ProgrammeFigures:
        return await queries.programme_figures(self.conn, programme_id)

    # -- municipalities (the scope rule) -----------------------------------------------
    async def municipality_of_participant(self, participant_ref: str) -> str | None:
        return await municipalities.of_participant(self.conn, participant_ref)

    async def municipalities_of_programme(self, programme_id: str) -> set[str]:
        return await municipalities.of_programme(self.conn, programme_id)

    async def municipalities_of_recipient(self, kind: str, ref: str) -> set[str] | None:
        return await municipalities.of_recipient(self.conn, kind, ref)
