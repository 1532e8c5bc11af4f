"""The people and systems acting in the demo: their HTTP clients, the simulated date,
what they counted, and the small helpers every step uses."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from zroute_runtime.auth import Role

from zroute_demo.cohort import Person, cohort
from zroute_demo.system import System
from zroute_demo.webhooks import WebhookReceiver

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore imports sniffio on every request (twice) to learn the event loop; without
    # it installed each try searches the whole path again, a fifth of the demo's CPU
    # (issue 20 profile). Remembering that it is missing makes the failing import free.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
WEEKDAY_INDEX = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
CONCURRENCY = 8
EMPLOYERS = ("bakkerij-noord", "buurthuis-oost", "kringloop-west")


class DemoError(RuntimeError):
    """A call the scenario relies on was refused: the message says which and why."""


def check(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in (expected or (200, 201)):
        raise DemoError(
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code}: {response.text[:600]}"
        )
    return response.json() if response.content else None


async def gather_limited(calls: Iterable[Awaitable[Any]], limit: int = CONCURRENCY) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[Any]) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


@dataclass(frozen=True)
class Timeline:
    """In which week of the route what happens (the end-to-end test compresses it)."""

    answer_referrals: int = 2
    complete_referrals: int = 16
    childcare_lapses: int = 20
    childcare_arranged_again: int = 23
    close_routes_from: int = 60


class Actors:
    """The programme's cohort, the simulated date, and the HTTP clients of the people
    and partner systems who act in it (one client per role and partner)."""

    def __init__(
        self, system: System, console: Console, participants: int, timeline: Timeline | None = None
    ) -> None:
        self.timeline = timeline or Timeline()
        self.webhook: WebhookReceiver | None = None
        self.system = system
        self.console = console
        self.people = cohort(participants)
        self.today = datetime.fromisoformat(system.config.clock_start).date()
        self.clients: dict[tuple, httpx.AsyncClient] = {}
        self.completed: set[str] = set()
        self.completed_on: dict[str, str] = {}  # participant_ref -> the route's completion day
        self.follow_up: set[str] = set()
        self.schedules: dict[str, dict] = {}
        self.present_minutes: Counter[tuple[str, date]] = Counter()
        """Minutes recorded present per participant and day in the week being recorded:
        what planning counts toward the day's maximum (participation fits around it)."""
        self.stats: Counter[str] = Counter()
        self.lapsed: set[str] = set()
        self.placements_asked: set[str] = set()
        self._started = time.perf_counter()

    def note(self, text: str) -> None:
        """A progress line, with the wall time so far, where no live bar shows (a file or
        a CI log); a terminal has the bars."""
        if not self.console.is_terminal:
            self.console.print(f"{time.perf_counter() - self._started:5.0f} s  {text}")

    def client(
        self, service: str, role: Role, partner_id: str | None = None, subject: str = "demo"
    ) -> httpx.AsyncClient:
        key = (service, role, partner_id, subject)
        if key not in self.clients:
            token = self.system.settings and self.system.token(
                role, partner_id=partner_id, subject=subject
            )
            self.clients[key] = httpx.AsyncClient(
                base_url=self.system.processes[service].base_url,
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
        return self.clients[key]

    def coordinator(self, service: str) -> httpx.AsyncClient:
        return self.client(service, Role.COORDINATOR, subject="coordinator-demo")

    def caseworker(self, person: Person) -> httpx.AsyncClient:
        return self.client("intake", Role.CASEWORKER, subject=person.caseworker)

    def partner(self, service: str, partner_id: str) -> httpx.AsyncClient:
        return self.client(service, Role.PARTNER_STAFF, partner_id, subject=f"staff-{partner_id}")

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def advance(self, delta: timedelta) -> None:
        """Move every service's clock, then let the events that caused settle (the sinks
        go on beside the next steps; the next clock step waits for them)."""
        await self.system.advance_clocks(delta.total_seconds())
        self.today += delta if delta >= DAY else timedelta(0)
        await self.system.settle(leave_sinks=True)

    # -- the programme ------------------------------------------------------------------
