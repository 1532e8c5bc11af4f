"""The recipient directory and the webhook subscriptions (``uow.directory``, SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository


class DirectoryRepository(TrackingRepository):
    """Addresses and webhook subscriptions on the unit of work's connection."""

    async def address(self, kind: str, ref: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT email, language FROM nt_directory WHERE kind = $1 AND ref = $2", kind, ref
        )

    async def put_address(
        self,
        kind: str,
        ref: str,
        email: str | None,
        language: str,
        *,
        name: str | None = None,
        phone: str | None = None,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO nt_directory (kind, ref, email, language, name, phone)"
            " VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (kind, ref) DO UPDATE SET email = EXCLUDED.email,"
            " language = EXCLUDED.language, name = EXCLUDED.name, phone = EXCLUDED.phone,"
            " updated_at = now()",
            kind,
            ref,
            email,
            language,
            name,
            phone,
        )

    async def delete_address(self, kind: str, ref: str) -> bool:
        status = await self.conn.execute(
            "DELETE FROM nt_directory WHERE kind = $1 AND ref = $2", kind, ref
        )
        return bool(status.endswith(" 1"))

    async def add_subscription(self, **values: Any) -> None:
        await self.conn.execute(
            """
            INSERT INTO nt_subscriptions (id, partner_id, url, bearer_token, signing_secret,
                                          event_types, participant_refs, created_at,
                                          validated_at, allowed_rate)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            values["id"],
            values["partner_id"],
            values["url"],
            values["bearer_token"],
            values["signing_secret"],
            values["event_types"],
            values["participant_refs"],
            values["created_at"],
            values["validated_at"],
            values["allowed_rate"],
        )

    async def lock_subscription(self, subscription_id: UUID) -> asyncpg.Record | None:
        """The subscription, locked until the transaction ends (pacing a granted rate across
        several instances of the service)."""
        return await self.conn.fetchrow(
            "SELECT * FROM nt_subscriptions WHERE id = $1 FOR UPDATE", subscription_id
        )

    async def record_request(self, subscription_id: UUID, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE nt_subscriptions SET last_request_at = $2 WHERE id = $1", subscription_id, at
        )

    async def subscription(self, subscription_id: UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM nt_subscriptions WHERE id = $1", subscription_id
        )

    async def matching_subscriptions(
        self, event_type: str, participants: Sequence[str], partner_id: str | None
    ) -> list[asyncpg.Record]:
        """Active subscriptions for the event type and participant; of one partner when given."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            """
            SELECT * FROM nt_subscriptions
            WHERE active AND $1 = ANY(event_types)
              AND (participant_refs IS NULL OR participant_refs && $2::text[])
              AND ($3::text IS NULL OR partner_id = $3)
            ORDER BY created_at, id
            """,
            event_type,
            list(participants),
            partner_id,
        )
        return rows

    async def end_subscription(self, subscription_id: UUID, reason: str, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE nt_subscriptions SET active = false, ended_reason = $2, ended_at = $3"
            " WHERE id = $1 AND active",
            subscription_id,
            reason,
            now,
        )
