"""The idempotent inbox: one row per (consumer, event id).

The row is inserted in the handler's own transaction. A redelivered event hits the
primary key, the insert returns nothing, and the consumer acknowledges the message
without running the handler again; if the handler's transaction rolls back, the row
goes with it and the retry runs the handler for real.
"""

from __future__ import annotations

import uuid

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


def _literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings, on since PostgreSQL 9.1)."""
    return "'" + text.replace("'", "''") + "'"


def claim_statement(*, consumer: str, event_id: str, event_type: str) -> str:
    """:func:`claim` as one literal statement, to travel in the round trip that begins the
    handler's transaction (``UnitOfWork.begin_with``); :func:`claimed` reads its status.
    The event id must be a UUID (as the ``::uuid`` cast of :func:`claim` requires)."""
    return (
        "INSERT INTO zr_inbox (consumer, event_id, event_type) VALUES "
        f"({_literal(consumer)}, {_literal(str(uuid.UUID(event_id)))}::uuid, "
        f"{_literal(event_type)}) ON CONFLICT (consumer, event_id) DO NOTHING"
    )


def claimed(status: str | None) -> bool:
    """True when the :func:`claim_statement` whose command status is ``status``
    inserted its row (``INSERT 0 1``): the first time the consumer handles the event."""
    return status == "INSERT 0 1"
