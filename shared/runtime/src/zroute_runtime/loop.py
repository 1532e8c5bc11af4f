"""The background loop the relay and the timers share: run a step on every wake-up and
at least every poll interval, until stopped; an error is logged and the next round tries
again (the database or the broker may be away for a while)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger("zroute.loop")


class PollingLoop:
    """``step`` runs when woken, and after ``interval`` seconds at the latest."""

    def __init__(
        self, name: str, step: Callable[[], Awaitable[object]], interval: float, error_event: str
    ) -> None:
        self._name = name
        self._step = step
        self._interval = interval
        self._error_event = error_event
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self._step()
            except (OSError, asyncpg.PostgresError, ConnectionError) as exc:
                # An outage: the next round retries, nothing is lost meanwhile.
                log.warning(self._error_event, extra={"error": type(exc).__name__})
            except Exception:
                log.exception(self._error_event)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=self._name)

    async def stop(self) -> None:
        """Finish the round in hand, then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
