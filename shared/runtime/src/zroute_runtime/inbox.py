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
    return claims_statement(consumer=consumer, events=[(event_id, event_type)])


def claims_statement(*, consumer: str, events: list[tuple[str, str]]) -> str:
    """One literal statement claiming every ``(event id, event type)`` of ``events`` (the
    consumer's batch); :func:`claimed` with their number reads its status."""
    rows = ", ".join(
        f"({_literal(consumer)}, {_literal(str(uuid.UUID(event_id)))}::uuid, "
        f"{_literal(event_type)})"
        for event_id, event_type in events
    )
    return (
        "INSERT INTO zr_inbox (consumer, event_id, event_type) VALUES "
        f"{rows} ON CONFLICT (consumer, event_id) DO NOTHING"
    )


def claimed(status: str | None, count: int = 1) -> bool:
    """True when the claim whose command status is ``status`` inserted all its ``count``
    rows (``INSERT 0 1`` for one): the first time the consumer handles each event."""
    return status == f"INSERT 0 {count}"
