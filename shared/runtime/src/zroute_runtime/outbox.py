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

The increment, the rows and the acting user's trail are one statement, so the lock is
held over a single round trip after it (the COMMIT), not two (the rows' INSERT, then
the COMMIT): committing writers queue behind each other for half as long, and every
command sends one statement less. The body carries its number (the CloudEvents
``sequence``), so it is sent in two pieces around the number, which PostgreSQL puts in
as it numbers the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from zroute_contract.envelope import SEQUENCE_WIDTH, CloudEvent, build_event, format_sequence
from zroute_contract.events.base import Event

from zroute_runtime.audit import TRAIL_INSERT, TrailRows
from zroute_runtime.context import MessageContext


@dataclass(frozen=True)
class PendingEvent:
    """An event a unit of work has collected and not yet written."""

    payload: Event
    subject: str | None
    dataref: str | None = None
    # Set when one transaction writes the events of several incoming events (the
    # consumer's batch, ``UnitOfWork.next_step``): each keeps the correlation and cause
    # of the event that caused it. None: the writing unit of work's context.
    context: MessageContext | None = None


def subject_of(payload: Event) -> str | None:
    """The participant an event is about: its ``participant_ref`` field, when it has one."""
    return getattr(payload, "participant_ref", None)


_NUMBER = """
    INSERT INTO zr_outbox_sequence AS s (source, last_value) VALUES ($1, $2)
    ON CONFLICT (source) DO UPDATE SET last_value = s.last_value + EXCLUDED.last_value
    RETURNING last_value
"""

_TRAIL = TRAIL_INSERT.format(
    actor="$9", roles="$10", at="$11", refs="$12", actions="$13", services="$14"
)

# The counter, then the rows numbered by it with each number put into its body. The
# counter's row lock is taken by the CTE, at the same point of the transaction as a
# statement of its own took it, and held to the end of the transaction.
_NUMBER_AND_WRITE = f"""
WITH counter AS (
    INSERT INTO zr_outbox_sequence AS s (source, last_value) VALUES ($1, $2::bigint)
    ON CONFLICT (source) DO UPDATE SET last_value = s.last_value + EXCLUDED.last_value
    RETURNING last_value - $2::bigint AS before
){{trail}}
INSERT INTO zr_outbox (sequence, event_id, event_type, routing_key, ordering_key, body)
SELECT counter.before + e.n, e.event_id, e.event_type, e.routing_key, e.ordering_key,
       e.head || lpad((counter.before + e.n)::text, {SEQUENCE_WIDTH}, '0') || e.tail
FROM counter,
     unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS e(event_id, event_type, routing_key, ordering_key, head, tail, n)
"""
# A data-modifying CTE runs once whether or not the statement reads it.
_NUMBER_AND_WRITE_WITH_TRAIL = _NUMBER_AND_WRITE.format(trail=f", trail AS ({_TRAIL})")
_NUMBER_AND_WRITE = _NUMBER_AND_WRITE.format(trail="")
# The counter alone, with the trail: the fallback's first statement.
_NUMBER_WITH_TRAIL = "WITH trail AS ({trail}) {number}".format(
    trail=TRAIL_INSERT.format(
        actor="$3", roles="$4", at="$5", refs="$6", actions="$7", services="$8"
    ),
    number=_NUMBER,
)

# Any valid sequence number works as the stand-in: the body is cut around it.
_STAND_IN = 73_019_286_541_930_271_865


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

    One statement numbers them (``zr_outbox_sequence``), inserts them and writes
    ``trail`` (the acting user's rows, :func:`zroute_runtime.audit.trail_rows`)."""
    if not events:
        return []
    rows = [_row(pending, source=source, context=context, now=now) for pending in events]
    if any(row is None for row in rows):
        return await _write_numbered_first(
            conn, source=source, events=events, context=context, now=now, trail=trail
        )
    columns = list(zip(*rows, strict=True))
    if trail is None:
        await conn.execute(_NUMBER_AND_WRITE, source, len(rows), *columns)
    else:
        await conn.execute(
            _NUMBER_AND_WRITE_WITH_TRAIL, source, len(rows), *columns, *_trail_arguments(trail, now)
        )
    return list(columns[0])


def _trail_arguments(trail: TrailRows, now: datetime) -> tuple[object, ...]:
    return (
        trail.actor,
        trail.actor_roles,
        now,
        trail.participant_refs,
        trail.actions,
        trail.services,
    )


def _row(
    pending: PendingEvent, *, source: str, context: MessageContext, now: datetime
) -> tuple[str, str, str, str, str, str] | None:
    """(event id, type, routing key, ordering key, body before its number, after it), or
    None when the stand-in number also occurs elsewhere in the body."""
    envelope = _envelope(pending, source=source, sequence=_STAND_IN, context=context, now=now)
    body = envelope.to_json().decode()
    stand_in = format_sequence(_STAND_IN)
    if body.count(stand_in) != 1 or f'"sequence":"{stand_in}"' not in body:
        return None
    head, tail = body.split(stand_in)
    return (
        envelope.id,
        envelope.type,
        pending.payload.routing_key(),
        # Events about no participant keep their order among themselves.
        pending.subject or "",
        head,
        tail,
    )


def _envelope(
    pending: PendingEvent, *, source: str, sequence: int, context: MessageContext, now: datetime
) -> CloudEvent:
    context = pending.context or context
    return build_event(
        pending.payload,
        source=source,
        sequence=sequence,
        correlation_id=context.correlation_id,
        causation_id=context.causation_id,
        subject=pending.subject,
        time=now,
        dataref=pending.dataref,
        traceparent=context.traceparent,
        tracestate=context.tracestate,
    )


async def _write_numbered_first(
    conn: asyncpg.Connection,
    *,
    source: str,
    events: Sequence[PendingEvent],
    context: MessageContext,
    now: datetime,
    trail: TrailRows | None,
) -> list[str]:
    """Number first (with the trail), then build and insert the rows: two statements
    under the lock, for a body in which the stand-in number cannot be told apart."""
    count = len(events)
    if trail is None:
        last = await conn.fetchval(_NUMBER, source, count)
    else:
        last = await conn.fetchval(_NUMBER_WITH_TRAIL, source, count, *_trail_arguments(trail, now))
    first = last - count + 1
    rows = []
    for offset, pending in enumerate(events):
        envelope = _envelope(
            pending, source=source, sequence=first + offset, context=context, now=now
        )
        rows.append(
            (
                first + offset,
                envelope.id,
                envelope.type,
                pending.payload.routing_key(),
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
