"""Writing events to the transactional outbox.

Events are written in the same transaction as the state change that caused them, so
both commit or neither does. Each event gets its CloudEvents ``sequence`` here.

How ids stay gapless and in commit order: every writing transaction, as its last step
before COMMIT, increments the one counter row of its source in
``zr_outbox_sequence``. The row lock that ``UPDATE`` takes is held until the
transaction ends, so a second writer waits at that statement until the first has
committed (or rolled back, which also rolls back the increment). Numbers are therefore
handed out in the order transactions commit, with no gaps: the trap of a bigserial
(an id taken early by a transaction that commits late, read past by a relay that has
already moved on) cannot occur, and a consumer can treat a jump in ``sequence`` as
a missed event. The lock is held only from the flush to the commit, a few
milliseconds, which at this system's rate (well under one event per second on
average) costs nothing; ``tests/runtime/test_outbox.py`` proves the ordering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from zroute_contract.envelope import build_event
from zroute_contract.events.base import Event

from zroute_runtime.audit import TRAIL_INSERT, TrailRows
from zroute_runtime.context import MessageContext


@dataclass(frozen=True)
class PendingEvent:
    """An event a unit of work has collected and not yet written."""

    payload: Event
    subject: str | None
    dataref: str | None = None


def subject_of(payload: Event) -> str | None:
    """The participant an event is about: its ``participant_ref`` field, when it has one."""
    return getattr(payload, "participant_ref", None)


_NUMBER = """
    INSERT INTO zr_outbox_sequence AS s (source, last_value) VALUES ($1, $2)
    ON CONFLICT (source) DO UPDATE SET last_value = s.last_value + EXCLUDED.last_value
    RETURNING last_value
"""


# The counter and the user's trail in one statement; the counter's row lock is taken
# at the same point as before, so the numbering described above is unchanged.
_NUMBER_WITH_TRAIL = "WITH trail AS ({trail}) {number}".format(
    trail=TRAIL_INSERT.format(
        actor="$3", roles="$4", at="$5", refs="$6", actions="$7", services="$8"
    ),
    number=_NUMBER,
)


async def write_events(
    conn: asyncpg.Connection,
    *,
    source: str,
    events: Sequence[PendingEvent],
    context: MessageContext,
    now: datetime,
    trail: TrailRows | None = None,
) -> list[str]:
    """Write ``events`` to the outbox inside the caller's transaction; returns their ids.

    ``trail`` (the acting user's rows, :func:`zroute_runtime.audit.trail_rows`) is
    written by the statement that numbers the events: one round trip less per command."""
    if not events:
        return []
    count = len(events)
    if trail is None:
        last = await conn.fetchval(_NUMBER, source, count)
    else:
        last = await conn.fetchval(
            _NUMBER_WITH_TRAIL,
            source,
            count,
            trail.actor,
            trail.actor_roles,
            now,
            trail.participant_refs,
            trail.actions,
            trail.services,
        )
    first = last - count + 1
    rows = []
    for offset, pending in enumerate(events):
        envelope = build_event(
            pending.payload,
            source=source,
            sequence=first + offset,
            correlation_id=context.correlation_id,
            causation_id=context.causation_id,
            subject=pending.subject,
            time=now,
            dataref=pending.dataref,
            traceparent=context.traceparent,
            tracestate=context.tracestate,
        )
        rows.append(
            (
                first + offset,
                envelope.id,
                envelope.type,
                pending.payload.routing_key(),
                # Events about no participant keep their order among themselves.
                pending.subject or "",
                envelope.to_json().decode(),
            )
        )
    await conn.executemany(
        """
        INSERT INTO zr_outbox (sequence, event_id, event_type, routing_key, ordering_key, body)
        VALUES ($1, $2::uuid, $3, $4, $5, $6)
        """,
        rows,
    )
    return [row[1] for row in rows]
