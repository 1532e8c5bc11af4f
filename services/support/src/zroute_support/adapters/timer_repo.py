"""Support's timers (``uow.timers``): the runtime's timer rows, in the unit of work's
transaction (``zroute_runtime.timers``)."""

from __future__ import annotations

from datetime import datetime

from zroute_runtime import timers
from zroute_runtime.repository import TrackingRepository


class TimerRepository(TrackingRepository):
    """Schedules and cancels the service's timers."""

    async def schedule(self, *, kind: str, key: str, due_at: datetime) -> None:
        """Schedule (or move) timer ``(kind, key)``."""
        await timers.schedule(self.conn, kind=kind, key=key, due_at=due_at)

    async def cancel(self, *, kind: str, key: str) -> bool:
        """Cancel a pending timer; True when there was one to cancel."""
        return await timers.cancel(self.conn, kind=kind, key=key)
