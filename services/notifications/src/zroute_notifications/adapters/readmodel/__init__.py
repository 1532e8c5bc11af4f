"""The read model fed by intake, planning and support events: who the roles are, and
the figures of the consultation overview. One small SQL writer per event type, in a
module per producing service; ``writers.WRITERS`` is the table of which writes what."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeAlias

import asyncpg

Conn: TypeAlias = asyncpg.Connection


async def set_status(conn: Conn, ref: str, status: str, **extra: Any) -> None:
    sets = ", ".join(f"{k} = ${n}" for n, k in enumerate(extra, start=3))
    await conn.execute(
        f"UPDATE nt_participants SET status = $2, updated_at = now()"
        f"{', ' + sets if sets else ''} WHERE participant_ref = $1",
        ref,
        status,
        *extra.values(),
    )


async def upsert_item(
    conn: Conn,
    kind: str,
    item_id: str,
    programme: str,
    ref: str | None,
    status: str,
    is_open: bool,
    due_on: date | None = None,
    detail: str | None = None,
) -> None:
    await conn.execute(
        """
        INSERT INTO nt_items (kind, item_id, programme_id, participant_ref, status, open,
                              due_on, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (kind, item_id) DO UPDATE SET status = EXCLUDED.status,
            open = EXCLUDED.open, due_on = coalesce(EXCLUDED.due_on, nt_items.due_on),
            detail = coalesce(EXCLUDED.detail, nt_items.detail)
        """,
        kind,
        item_id,
        programme,
        ref,
        status,
        is_open,
        due_on,
        detail,
    )


async def update_item(
    conn: Conn, kind: str, item_id: str, status: str, is_open: bool, detail: str | None = None
) -> None:
    await conn.execute(
        "UPDATE nt_items SET status = $3, open = $4, detail = coalesce($5, detail)"
        " WHERE kind = $1 AND item_id = $2",
        kind,
        item_id,
        status,
        is_open,
        detail,
    )


async def ensure_participant(conn: Conn, ref: str, programme: str) -> None:
    await conn.execute(
        "INSERT INTO nt_participants (participant_ref, programme_id) VALUES ($1, $2)"
        " ON CONFLICT (participant_ref) DO NOTHING",
        ref,
        programme,
    )
