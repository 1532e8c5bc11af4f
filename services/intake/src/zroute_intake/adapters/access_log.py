"""The access log: one row for every read of a participant's personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg


@dataclass(frozen=True)
class Access:
    """Who read which personal data of whom, when and why (a purpose code)."""

    participant_ref: str
    accessed_at: datetime
    actor: str
    actor_roles: tuple[str, ...]
    purpose: str
    fields: tuple[str, ...]
    request_id: str | None = None


async def record(conn: asyncpg.Connection, access: Access) -> None:
    await conn.execute(
        """
        INSERT INTO intake_access_log
            (participant_ref, accessed_at, actor, actor_roles, purpose, fields, request_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        access.participant_ref,
        access.accessed_at,
        access.actor,
        list(access.actor_roles),
        access.purpose,
        list(access.fields),
        access.request_id,
    )


async def for_participant(conn: asyncpg.Connection, ref: str, limit: int = 200) -> list[Access]:
    rows = await conn.fetch(
        """
        SELECT participant_ref, accessed_at, actor, actor_roles, purpose, fields, request_id
          FROM intake_access_log WHERE participant_ref = $1 ORDER BY id DESC LIMIT $2
        """,
        ref,
        limit,
    )
    return [
        Access(
            r["participant_ref"],
            r["accessed_at"],
            r["actor"],
            tuple(r["actor_roles"]),
            r["purpose"],
            tuple(r["fields"]),
            r["request_id"],
        )
        for r in rows
    ]
