"""The outbox relay: publishes committed outbox rows and marks them published.

A batch is two statements, each in autocommit, with the publishes between them: *claim*
(pick the next due, unpublished rows, leave out those that must wait, lease the rest:
``next_attempt_at = now() + lease``) and *finish* (mark the confirmed rows published;
give a failed row its attempt, reason and backoff; release the rows held back behind
it). No transaction and no row lock is held over the publishes (the relay used to
need BEGIN, claim, UPDATE and COMMIT, with the locks held while it waited for
confirms).

Guarantees and how they are kept:

* **Nothing lost.** A row is marked published only after the broker confirmed it. A
  relay that dies (or fails) after its claim leaves its rows leased, not published:
  when the lease runs out they are due again and any relay, the restarted one too,
  publishes them. A crash between confirm and finish publishes a row again later;
  consumers drop the duplicate by event id (the inbox).
* **Order per participant.** Rows are read in ``sequence`` (commit) order. Within a
  batch, an event waits for the confirm of the previous event of the same participant
  (its ``ordering_key``) before it is sent; a failed event holds back the rest of its
  participant's events. A row is not even leased while an earlier row of its
  participant is unpublished outside the claim: leased by another relay, waiting for
  its retry, or locked by another relay's claim at that moment. Together: whenever any
  relay sends a row, every earlier row of its participant has been confirmed already
  (it is marked published only after its confirm) or is in the same claim and was
  confirmed before it, by the same relay. So the *first* arrival of each event is in
  order per participant, whatever the relays do, and that is the arrival the inbox
  keeps. The claim sees an earlier row whenever it sees a later one: numbers are taken
  in commit order (outbox.py).
* **Two relays at once.** The claim locks with ``FOR UPDATE SKIP LOCKED`` for the
  length of its one statement: a second relay skips rows being claimed and takes the
  next ones, and once the claim has committed, the lease keeps it off them. A claim
  that meets a row leased a moment ago re-reads it (PostgreSQL's read-committed
  re-check of a locked row) and leaves it out as not due.
* **A relay that dies holding a lease.** Another relay (or the same one restarted)
  waits out the lease (``relay_lease_s``, 30 s by default: well above a batch's
  publishing time, well below the 60 s without progress the fault suite allows), then
  claims the rows as any others. Meanwhile the participants' later rows are held back,
  not overtaken.
* **A lease that runs out while its relay still publishes** (a broker that takes more
  than the lease to confirm) lets a second relay claim and publish the same rows: a
  duplicate at most, dropped by the inbox, and the order of first arrivals holds by the
  argument above. Its finish marks what the broker confirmed whoever holds the lease
  then, but it touches failed and released rows only while its own lease is still on
  them (``next_attempt_at`` unchanged), so it never cuts short another relay's lease.
* **Throughput.** Up to ``window`` publishes are in flight at once, each awaiting its
  own confirm (a sliding window), instead of one round trip per message.
* **Prompt, and still certain.** ``wake()`` is called after every local commit, so an
  event leaves within milliseconds; a poll every ``poll_interval`` seconds picks up rows
  committed by other processes and retries. ``pg_notify`` was not used: measured on
  these machines it halves PostgreSQL's commit rate at 8 connections, and the local
  wake-up covers the common case at no cost.
* **Unroutable events** (no queue bound for the key) are not dropped when the catalogue
  promises them to a platform service: the row stays, with the reason in
  ``last_error``, and is retried with backoff while the ``zroute_outbox_unpublished``
  gauge shows the lag (the consumer's queue is missing: run ``zroute-topology``).
  An event the catalogue promises to no service (only integrators subscribe, e.g.
  ``notification-sent``) is done when no integrator is bound, and counted in
  ``zroute_events_unrouted_total``.
* **Per-municipality copies.** A public event whose data names municipalities is also
  published on ``<exchange>.by-municipality`` under ``<GM code>.<routing key>``, once
  per municipality, so a broker account can be held to the municipalities its partner
  serves. Added beside the existing keys: no consumer of ``<exchange>`` sees a change.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import re
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from aio_pika.abc import AbstractChannel
from zroute_contract.types import MUNICIPALITY_CODE_PATTERN

from zroute_runtime.db import create_pool
from zroute_runtime.loop import PollingLoop
from zroute_runtime.metrics import Metrics
from zroute_runtime.publisher import UnroutableError, event_message, publish
from zroute_runtime.topology import municipal_key

log = logging.getLogger("zroute.relay")


def _promised_to_services(event_type: str) -> bool:
    """True when the catalogue names platform services that consume ``event_type``:
    then an unroutable publish means a missing queue, and the event must wait for it."""
    from zroute_contract.events.base import event_class

    try:
        return bool(event_class(event_type).spec.consumers)
    except KeyError:
        return True


MAX_BACKOFF_S = 60.0
# The backlog gauges cost a query over the outbox; a relay woken after every commit
# would run it once per event (a third of the relay's time in the issue 20 profile).
# They are refreshed at most this often, and always when something is left unpublished.
GAUGE_INTERVAL_S = 1.0

# One autocommit statement claims the next due rows and leases them. The rows are locked
# (SKIP LOCKED: a second relay takes the next ones instead of waiting) only for this
# statement; the lease, ``next_attempt_at`` moved ahead, keeps other relays off them
# while they are published. A row is held back, not leased, while an earlier row of its
# participant is unpublished outside this claim (leased by another relay, or waiting for
# its retry), so two relays never overtake each other. Checked per row, so a row behind
# such an outside row waits even when an earlier row of its participant in this claim
# does not. Held-back rows come back with ``blocked`` and no body. ``$3``: claim only
# after this sequence (see ``publish_pending``).
_CLAIM = """
    WITH candidates AS MATERIALIZED (
        SELECT id, sequence, ordering_key
        FROM zr_outbox
        WHERE published_at IS NULL
          AND (next_attempt_at IS NULL OR next_attempt_at <= now())
          AND sequence > $3
        ORDER BY sequence
        LIMIT $1
        FOR UPDATE SKIP LOCKED
    ), checked AS MATERIALIZED (
        SELECT c.id, c.sequence, c.ordering_key, EXISTS (
            SELECT 1 FROM zr_outbox o
            WHERE o.published_at IS NULL
              AND o.ordering_key = c.ordering_key
              AND o.sequence < c.sequence
              AND o.id NOT IN (SELECT id FROM candidates)
        ) AS blocked
        FROM candidates c
    ), leased AS (
        UPDATE zr_outbox o SET next_attempt_at = now() + make_interval(secs => $2::float8)
        FROM checked c
        WHERE o.id = c.id AND NOT c.blocked
        RETURNING o.id, o.sequence, o.event_id::text AS event_id, o.event_type,
                  o.routing_key, o.ordering_key, o.body, o.attempts,
                  o.next_attempt_at AS leased_until, false AS blocked
    )
    SELECT * FROM leased
    UNION ALL
    SELECT id, sequence, NULL, NULL, NULL, ordering_key, NULL, NULL, NULL, true
    FROM checked WHERE blocked
    ORDER BY sequence
"""

# One autocommit statement records the batch: published rows are marked (whoever holds
# their lease now: the broker confirmed them); a failed row gets its attempt, reason and
# backoff, and a row held back behind it in the batch is released (due again: it stays
# held back by the failed one until that is published). Failed and released rows are
# only touched while this relay still holds their lease (``next_attempt_at`` unchanged):
# after the lease ran out, they belong to the relay that took them over.
_FINISH = """
    UPDATE zr_outbox o SET
        published_at = CASE u.state WHEN 'p' THEN now() END,
        last_error = CASE u.state WHEN 'p' THEN NULL WHEN 'f' THEN u.error ELSE o.last_error END,
        attempts = o.attempts + (u.state = 'f')::int,
        next_attempt_at = CASE u.state WHEN 'f' THEN now() + make_interval(
            secs => least($4::float8, power(2, o.attempts)::float8)) END
    FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, state, error)
    WHERE o.id = u.id
      AND o.published_at IS NULL
      AND (u.state = 'p' OR o.next_attempt_at = $5::timestamptz)
"""


def _chains(rows: Sequence[asyncpg.Record]) -> tuple[deque[int], dict[int, int]]:
    """The rows (by index) ready at once, the first of each participant in the batch, and
    for each row the index of its participant's next row."""
    following: dict[int, int] = {}
    last: dict[str, int] = {}
    ready: deque[int] = deque()
    for index, row in enumerate(rows):
        key = row["ordering_key"]
        if key in last:
            following[last[key]] = index
        else:
            ready.append(index)
        last[key] = index
    return ready, following


class _Outcome(enum.Enum):
    PUBLISHED = "published"
    UNROUTED = "unrouted"  # done: only integrators subscribe, and none is bound
    FAILED = "failed"


@dataclass
class BatchResult:
    """What one batch did: ids published, failed (with the reason) and released (leased,
    not sent: held back behind a failed row), and how many rows were held back."""

    published: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)
    held_back: int = 0
    claimed: int = 0
    last_sequence: int = 0  # the claim's last row, held back or not


_MUNICIPALITY = re.compile(MUNICIPALITY_CODE_PATTERN.strip("^$"))


def municipalities_named(body: str) -> list[str]:
    """The municipalities an event's data names (``municipality`` or ``municipalities``)."""
    try:
        data = json.loads(body).get("data") or {}
    except (ValueError, AttributeError):
        return []
    named = data.get("municipalities") or [data.get("municipality")]
    return sorted({m for m in named if isinstance(m, str) and _MUNICIPALITY.fullmatch(m)})


async def create_relay_pool(url: str) -> asyncpg.Pool:
    """The relay's own connection, its commits asynchronous (``synchronous_commit =
    off``): the relay's two statements per batch do not wait for the WAL flush (about
    2.5 ms each on these machines, measured; the units of work keep waiting for theirs
    on the service's pool). Everything the relay writes can be lost in a PostgreSQL
    crash without harm: a lost lease makes rows due again, a lost mark makes published
    rows unpublished again, a lost backoff retries sooner; each leads at most to a
    duplicate, which the inbox drops. The order of first arrivals still holds, as a row
    is only ever marked after its confirm, and a lost commit never survives a later one
    (the WAL is one sequence)."""
    return await create_pool(
        url, min_size=1, max_size=1, server_settings={"synchronous_commit": "off"}
    )


class OutboxRelay:
    """Moves events from the outbox table to the exchange."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        channel: AbstractChannel,
        *,
        exchange: str,
        service: str,
        batch_size: int = 200,
        window: int = 100,
        poll_interval: float = 1.0,
        metrics: Metrics | None = None,
        municipal_exchange: str | None = None,
        lease_s: float = 30.0,
    ) -> None:
        self._pool = pool
        self._channel = channel
        self._exchange = exchange
        self._municipal_exchange = municipal_exchange
        self._service = service
        self._batch_size = batch_size
        self._window = window
        self._lease_s = lease_s
        self._metrics = metrics or Metrics(service)
        self._gauged_at = -GAUGE_INTERVAL_S
        self._loop = PollingLoop(
            f"outbox-relay-{service}", self.publish_pending, poll_interval, "outbox_relay_error"
        )

    def wake(self) -> None:
        """Ask the relay to look at the outbox now (called after a local commit)."""
        self._loop.wake()

    async def publish_pending(self) -> int:
        """Publish what can be published now; returns how many rows were published."""
        total = 0
        left_behind = False
        after = 0
        while True:
            result = await self._run_batch(after)
            total += len(result.published)
            left_behind = left_behind or bool(result.failed or result.held_back)
            if result.claimed < self._batch_size:
                break
            # The next claim starts behind this one: a full claim of held-back rows (the
            # later rows of participants whose earlier ones another relay holds, or a
            # dead relay's lease, or a backoff) must not stop the rows behind them. What
            # it passed over is looked at again in the next round.
            after = result.last_sequence
        now = time.monotonic()
        if left_behind or now - self._gauged_at >= GAUGE_INTERVAL_S:
            self._gauged_at = now
            await self._update_gauges()
        return total

    async def _run_batch(self, after: int = 0) -> BatchResult:
        result = BatchResult()
        rows = await self._pool.fetch(_CLAIM, self._batch_size, self._lease_s, after)
        result.claimed = len(rows)
        if rows:
            result.last_sequence = rows[-1]["sequence"]
        leased = [row for row in rows if not row["blocked"]]
        result.held_back = len(rows) - len(leased)
        if not leased:
            return result
        await self._publish_rows(leased, result)
        await self._finish(leased[0]["leased_until"], result)
        return result

    async def _finish(self, leased_until: object, result: BatchResult) -> None:
        """Record the batch in one statement (see ``_FINISH``)."""
        ids = [*result.published, *result.failed, *result.released]
        states = (
            ["p"] * len(result.published)
            + ["f"] * len(result.failed)
            + ["r"] * len(result.released)
        )
        errors = [None] * len(result.published) + [*result.failed.values()]
        errors += [None] * len(result.released)
        await self._pool.execute(_FINISH, ids, states, errors, MAX_BACKOFF_S, leased_until)

    async def _publish_rows(self, rows: Sequence[asyncpg.Record], result: BatchResult) -> None:
        """Publish ``rows`` (in ``sequence`` order) with up to ``window`` confirms awaited
        at once. A row is sent only after its participant's previous row in the batch was
        confirmed; when that one failed, the rest of the participant's rows are released.

        ``window`` workers take ready rows first come, first served: a participant's next
        row becomes ready when its previous one is confirmed and queues behind the rows
        ready before it, as the per-row tasks waiting on a semaphore did, for a task per
        in-flight publish instead of one per row (the issue 20 profile)."""
        ready, following = _chains(rows)
        published: Counter[str] = Counter()
        unrouted: Counter[str] = Counter()

        async def worker() -> None:
            while ready:
                index = ready.popleft()
                outcome = await self._send(rows[index], result)
                if outcome is _Outcome.FAILED:
                    after = following.get(index)
                    while after is not None:
                        result.released.append(rows[after]["id"])
                        result.held_back += 1
                        after = following.get(after)
                    continue
                (published if outcome is _Outcome.PUBLISHED else unrouted)[
                    rows[index]["event_type"]
                ] += 1
                if index in following:
                    ready.append(following[index])

        workers = min(self._window, len(ready))
        if workers == 1:
            await worker()  # one at a time: no task needed
        else:
            await asyncio.gather(*(worker() for _ in range(workers)))
        # The counters after the batch, once per event type, not once per row.
        for event_type, count in published.items():
            self._metrics.record_published(event_type, count)
        for event_type, count in unrouted.items():
            self._metrics.record_unrouted(event_type, count)

    async def _send(self, row: asyncpg.Record, result: BatchResult) -> _Outcome:
        """Publish one row and note its outcome in ``result``."""
        try:
            await self._publish_row(row)
        except UnroutableError:
            if _promised_to_services(row["event_type"]):
                reason = f"UnroutableError: no queue bound for {row['routing_key']}"
                self._failed(row, result, reason, "UnroutableError")
                return _Outcome.FAILED
            # Only integrators subscribe to this type and none is bound now: like any
            # pub/sub topic without subscribers, it is done (and counted).
            result.published.append(row["id"])
            log.info(
                "outbox_event_unrouted",
                extra={"event_id": row["event_id"], "event_type": row["event_type"]},
            )
            return _Outcome.UNROUTED
        except Exception as exc:  # any failure keeps the row for a later try
            reason = f"{type(exc).__name__}: {exc}"[:500]
            self._failed(row, result, reason, type(exc).__name__)
            return _Outcome.FAILED
        result.published.append(row["id"])
        return _Outcome.PUBLISHED

    @staticmethod
    def _failed(row: asyncpg.Record, result: BatchResult, reason: str, error: str) -> None:
        result.failed[row["id"]] = reason
        log.warning(
            "outbox_publish_failed",
            extra={
                "event_id": row["event_id"],
                "event_type": row["event_type"],
                "error": error,
                "attempts": row["attempts"] + 1,
            },
        )

    async def _publish_row(self, row: asyncpg.Record) -> None:
        """The event and its municipal copies, their confirms awaited together (one
        broker round trip, not one per copy). The event's own failure is the one
        raised; a copy's failure fails the row as well."""
        main_publish = publish(
            self._channel,
            self._exchange,
            row["routing_key"],
            event_message(
                row["body"].encode(), event_id=row["event_id"], event_type=row["event_type"]
            ),
        )
        if not self._has_municipal_copies(row):
            await main_publish  # no tasks to gather: the common case stays cheap
            return
        main, copies = await asyncio.gather(
            main_publish, self._publish_municipal_copies(row), return_exceptions=True
        )
        for outcome in (main, copies):
            if isinstance(outcome, BaseException):
                raise outcome

    def _has_municipal_copies(self, row: asyncpg.Record) -> bool:
        return self._municipal_exchange is not None and row["routing_key"].count(".") == 2

    async def _publish_municipal_copies(self, row: asyncpg.Record) -> None:
        """The same event once per municipality it names, on the municipal exchange
        (public events only: an addressed one may carry care details). Nobody bound is
        normal there; any other failure fails the row, which is then published again
        (consumers drop the repeat by event id)."""
        exchange = self._municipal_exchange
        if exchange is None or not self._has_municipal_copies(row):
            return
        outcomes = await asyncio.gather(
            *(
                publish(
                    self._channel,
                    exchange,
                    municipal_key(municipality, row["routing_key"]),
                    event_message(
                        row["body"].encode(),
                        event_id=row["event_id"],
                        event_type=row["event_type"],
                    ),
                )
                for municipality in municipalities_named(row["body"])
            ),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(outcome, UnroutableError):
                raise outcome

    async def _update_gauges(self) -> None:
        async with self._pool.acquire() as conn:
            count, age = await conn.fetchrow(
                "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)"
                " FROM zr_outbox WHERE published_at IS NULL"
            )
        self._metrics.set_outbox_backlog(count, float(age))

    def start(self) -> None:
        """Publish in the background: on every wake-up and at least every poll interval."""
        self._loop.start()

    async def stop(self) -> None:
        """Finish the batch in hand, then stop."""
        await self._loop.stop()
