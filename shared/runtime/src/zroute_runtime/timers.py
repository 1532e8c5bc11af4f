"""Durable timers: rules that must fire later, kept as rows in the service's database.

A timer is ``(kind, key)``, unique, with a due time and a small JSON payload (no
personal data). Scheduling the same ``(kind, key)`` again moves the due time, which
is how a deadline is pushed back. The runner claims due timers with
``FOR UPDATE SKIP LOCKED`` and fires each inside a unit of work whose transaction also
marks it fired, so:

* a timer fires once, whichever of several instances gets it (the others skip the
  locked row, and a fired row is never selected again);
* a crash before commit leaves it unfired, and it fires after the restart;
* whatever the timer's handler changes, and the events it emits, commit with the mark.

Due-ness is read from the service's clock, so a simulated clock moves timers too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext
from zroute_runtime.loop import PollingLoop
from zroute_runtime.metrics import Metrics
from zroute_runtime.unit_of_work import UnitOfWork

log = logging.getLogger("zroute.timers")


@dataclass(frozen=True)
class DueTimer:
    """A timer as its handler sees it."""

    id: int
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]


TimerHandler = Callable[[DueTimer, UnitOfWork], Awaitable[None]]


async def schedule(
    conn: asyncpg.Connection,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Schedule (or move) timer ``(kind, key)`` inside the caller's transaction."""
    await conn.execute(
        """
        INSERT INTO zr_timers (kind, key, due_at, payload) VALUES ($1, $2, $3, $4)
        ON CONFLICT (kind, key) DO UPDATE
            SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload,
                fired_at = NULL, cancelled_at = NULL, attempts = 0, last_error = NULL
        """,
        kind,
        key,
        due_at,
        dict(payload or {}),  # the pool's jsonb codec encodes it
    )


async def cancel(conn: asyncpg.Connection, *, kind: str, key: str) -> bool:
    """Cancel a pending timer; True when there was one to cancel."""
    status = await conn.execute(
        "UPDATE zr_timers SET cancelled_at = now()"
        " WHERE kind = $1 AND key = $2 AND fired_at IS NULL AND cancelled_at IS NULL",
        kind,
        key,
    )
    return status.endswith(" 1")


class TimerRunner:
    """Fires due timers through their kind's handler."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Clock,
        handlers: Mapping[str, TimerHandler],
        uow_factory: Callable[[MessageContext], UnitOfWork],
        service: str,
        poll_interval: float = 1.0,
        batch_size: int = 50,
        metrics: Metrics | None = None,
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._handlers = dict(handlers)
        self._uow_factory = uow_factory
        self._service = service
        self._batch_size = batch_size
        # One round of firing at a time in this process: the background loop's and an
        # explicit one's (advance_clock), so the latter returns only when all is committed.
        self._round = asyncio.Lock()
        self._metrics = metrics or Metrics(service)
        self._loop = PollingLoop(
            f"timers-{service}", self.fire_due, poll_interval, "timer_runner_error"
        )

    def wake(self) -> None:
        """Look for due timers now (after the simulated clock moved, say)."""
        self._loop.wake()

    async def fire_due(self) -> int:
        """Fire every timer due now; returns how many fired."""
        async with self._round:
            return await self._fire_all()

    async def advance(self, move: Callable[[], object]) -> int:
        """Call ``move`` (which moves a simulated clock) while no timer of this runner is
        firing, then fire what fell due; returns how many fired.

        Without the shared round, the background loop could hold a due timer (skipped by
        ``SKIP LOCKED`` here) that is still uncommitted when this returns, or a handler
        could read the clock half-way through a move."""
        async with self._round:
            move()
            return await self._fire_all()

    async def _fire_all(self) -> int:
        fired = 0
        while True:
            count = await self._fire_one()
            if count == 0:
                return fired
            fired += count

    async def _fire_one(self) -> int:
        now = self._clock.now()
        async with self._uow_factory(MessageContext.new()) as uow:
            row = await uow.conn.fetchrow(
                """
                SELECT id, kind, key, due_at, payload FROM zr_timers
                WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
                  AND kind = ANY($2::text[])
                ORDER BY due_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """,
                now,
                list(self._handlers),
            )
            if row is None:
                return 0
            timer = DueTimer(row["id"], row["kind"], row["key"], row["due_at"], row["payload"])
            try:
                async with uow.conn.transaction():  # a savepoint: a failure keeps the claim
                    await self._handlers[timer.kind](timer, uow)
            except Exception as exc:
                log.exception(
                    "timer_failed", extra={"timer_kind": timer.kind, "timer_key": timer.key}
                )
                await uow.conn.execute(
                    # Back off (30 s per attempt, at most an hour) and keep the claim.
                    "UPDATE zr_timers SET attempts = attempts + 1, last_error = $2,"
                    " due_at = $3::timestamptz"
                    " + make_interval(secs => least(3600, 30 * (attempts + 1)))"
                    " WHERE id = $1",
                    timer.id,
                    f"{type(exc).__name__}: {exc}"[:300],
                    now,
                )
                uow.collect_new_events()  # drop what the failed handler emitted
                await uow.commit()
                return 1
            # A handler that rescheduled its own timer (the next reminder) moved due_at:
            # the row then stays pending for the new time instead of being marked fired.
            await uow.conn.execute(
                "UPDATE zr_timers SET fired_at = $2"
                " WHERE id = $1 AND due_at = $3 AND fired_at IS NULL",
                timer.id,
                now,
                timer.due_at,
            )
            await uow.commit()
        self._metrics.record_timer_fired(timer.kind)
        log.info("timer_fired", extra={"timer_kind": timer.kind, "timer_key": timer.key})
        return 1

    def start(self) -> None:
        """Fire due timers in the background, at least every poll interval."""
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
