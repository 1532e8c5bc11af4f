"""Intake's timers (``uow.timers``): the runtime's timer rows, in the unit of work's
transaction (``zroute_runtime.timers``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from zroute_runtime import timers
from zroute_runtime.repository import TrackingRepository


class TimerRepository(TrackingRepository):
    async def schedule(
        self, *, kind: str, key: str, due_at: datetime, payload: Mapping[str, Any] | None = None
    ) -> None:
        """Schedule (or move) timer ``(kind, key)``."""
        await timers.schedule(self.conn, kind=kind, key=key, due_at=due_at, payload=payload)

    async def cancel(self, *, kind: str, key: str) -> bool:
        """Cancel timer ``(kind, key)``; False when none was scheduled."""
        return await timers.cancel(self.conn, kind=kind, key=key)
