"""The idempotent inbox: one row per (consumer, event id).

The row is inserted in the handler's own transaction. A redelivered event hits the
primary key, the insert returns nothing, and the consumer acknowledges the message
without running the handler again; if the handler's transaction rolls back, the row
goes with it and the retry runs the handler for real.
"""

from __future__ import annotations

import asyncpg


async def claim(conn: asyncpg.Connection, *, consumer: str, event_id: str, event_type: str) -> bool:
    """True when this is the first time ``consumer`` handles ``event_id``."""
    inserted = await conn.fetchval(
        """
        INSERT INTO zr_inbox (consumer, event_id, event_type) VALUES ($1, $2::uuid, $3)
        ON CONFLICT (consumer, event_id) DO NOTHING
        RETURNING 1
        """,
        consumer,
        event_id,
        event_type,
    )
    return inserted is not None
