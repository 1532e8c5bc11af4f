"""The outbox relay: publishes committed outbox rows and marks them published.

Guarantees and how they are kept:

* **Nothing lost.** A row is marked published only after the broker confirmed it, in
  the same transaction that locked it. A crash between confirm and commit publishes the
  row again later; consumers drop the duplicate by event id (the inbox).
* **Order per participant.** Rows are read in ``sequence`` (commit) order. Within a
  batch, an event waits for the confirm of the previous event of the same participant
  (its ``ordering_key``) before it is sent; a failed event holds back the rest of its
  participant's events. A row is also held back while an earlier row of its
  participant is still unpublished outside this batch (locked by another relay, or
  waiting for its retry), so two relays never overtake each other.
* **Several relays at once.** Rows are claimed with ``FOR UPDATE SKIP LOCKED``: a second
  instance takes the next rows instead of waiting, and takes over when one dies.
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
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from aio_pika.abc import AbstractChannel
from zroute_contract.types import MUNICIPALITY_CODE_PATTERN

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

# Claim the next rows and, in the same round trip, say which must wait: a row is held
# back while an earlier row of its participant is unpublished outside this claim (locked
# by another relay, or waiting for its retry), so two relays never overtake each other.
# Checked per row, so a row behind such an outside row waits even when an earlier row of
# its participant in this claim does not.
_CLAIM = """
    WITH claimed AS (
        SELECT id, sequence, event_id::text AS event_id, event_type, routing_key,
               ordering_key, body, attempts
        FROM zr_outbox
        WHERE published_at IS NULL
          AND (next_attempt_at IS NULL OR next_attempt_at <= now())
        ORDER BY sequence
        LIMIT $1
        FOR UPDATE SKIP LOCKED
    )
    SELECT c.*, EXISTS (
        SELECT 1 FROM zr_outbox o
        WHERE o.published_at IS NULL
          AND o.ordering_key = c.ordering_key
          AND o.sequence < c.sequence
          AND o.id NOT IN (SELECT id FROM claimed)
    ) AS blocked
    FROM claimed c
    ORDER BY c.sequence
"""


@dataclass
class BatchResult:
    published: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    held_back: int = 0
    claimed: int = 0


_MUNICIPALITY = re.compile(MUNICIPALITY_CODE_PATTERN.strip("^$"))


def municipalities_named(body: str) -> list[str]:
    """The municipalities an event's data names (``municipality`` or ``municipalities``)."""
    try:
        data = json.loads(body).get("data") or {}
    except (ValueError, AttributeError):
        return []
    named = data.get("municipalities") or [data.get("municipality")]
    return sorted({m for m in named if isinstance(m, str) and _MUNICIPALITY.fullmatch(m)})


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
    ) -> None:
        self._pool = pool
        self._channel = channel
        self._exchange = exchange
        self._municipal_exchange = municipal_exchange
        self._service = service
        self._batch_size = batch_size
        self._window = window
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
        while True:
            result = await self._run_batch()
            total += len(result.published)
            left_behind = bool(result.failed or result.held_back)
            if not result.published or result.claimed < self._batch_size:
                break
        now = time.monotonic()
        if left_behind or now - self._gauged_at >= GAUGE_INTERVAL_S:
            self._gauged_at = now
            await self._update_gauges()
        return total

    async def _run_batch(self) -> BatchResult:
        result = BatchResult()
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_CLAIM, self._batch_size)
            result.claimed = len(rows)
            if not rows:
                return result
            kept = [row for row in rows if not row["blocked"]]
            result.held_back += len(rows) - len(kept)
            rows = kept
            await self._publish_rows(rows, result)
            if result.published:
                await conn.execute(
                    "UPDATE zr_outbox SET published_at = now(), last_error = NULL"
                    " WHERE id = ANY($1::bigint[])",
                    result.published,
                )
            for row_id, reason in result.failed.items():
                await conn.execute(
                    """
                    UPDATE zr_outbox SET attempts = attempts + 1, last_error = $2,
                        next_attempt_at = now() + make_interval(
                            secs => least($3::float8, power(2, attempts)::float8))
                    WHERE id = $1
                    """,
                    row_id,
                    reason,
                    MAX_BACKOFF_S,
                )
        return result

    async def _publish_rows(self, rows: Sequence[asyncpg.Record], result: BatchResult) -> None:
        window = asyncio.Semaphore(self._window)
        previous: dict[str, asyncio.Task[bool]] = {}
        failed_keys: set[str] = set()
        tasks: list[asyncio.Task[bool]] = []

        async def send(row: asyncpg.Record, before: asyncio.Task[bool] | None) -> bool:
            key = row["ordering_key"]
            if before is not None and not await before:
                result.held_back += 1
                return False
            if key in failed_keys:
                result.held_back += 1
                return False
            async with window:
                try:
                    await self._publish_row(row)
                except UnroutableError:
                    if _promised_to_services(row["event_type"]):
                        failed_keys.add(key)
                        result.failed[row["id"]] = (
                            f"UnroutableError: no queue bound for {row['routing_key']}"
                        )
                        log.warning(
                            "outbox_publish_failed",
                            extra={
                                "event_id": row["event_id"],
                                "event_type": row["event_type"],
                                "error": "UnroutableError",
                                "attempts": row["attempts"] + 1,
                            },
                        )
                        return False
                    # Only integrators subscribe to this type and none is bound now: like
                    # any pub/sub topic without subscribers, it is done (and counted).
                    result.published.append(row["id"])
                    self._metrics.record_unrouted(row["event_type"])
                    log.info(
                        "outbox_event_unrouted",
                        extra={"event_id": row["event_id"], "event_type": row["event_type"]},
                    )
                    return True
                except Exception as exc:  # any failure keeps the row for a later try
                    failed_keys.add(key)
                    result.failed[row["id"]] = f"{type(exc).__name__}: {exc}"[:500]
                    log.warning(
                        "outbox_publish_failed",
                        extra={
                            "event_id": row["event_id"],
                            "event_type": row["event_type"],
                            "error": type(exc).__name__,
                            "attempts": row["attempts"] + 1,
                        },
                    )
                    return False
            result.published.append(row["id"])
            self._metrics.record_published(row["event_type"])
            return True

        for row in rows:
            task = asyncio.create_task(send(row, previous.get(row["ordering_key"])))
            previous[row["ordering_key"]] = task
            tasks.append(task)
        await asyncio.gather(*tasks)

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
