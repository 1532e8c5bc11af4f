"""One clock for every time-based rule.

Production reads the system clock. Tests and the demo use a simulated clock that stands
still until it is advanced, so months of the route pass in seconds and a rule fires at
a moment the test chooses, not when a sleep happens to end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Amsterdam"
_local = ZoneInfo(DEFAULT_TIMEZONE)


class Clock(Protocol):
    """What domain code and timers ask for the current time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, always timezone-aware (UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """A clock that moves only when told to; ``advance`` never goes backwards."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime.now(UTC)
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time does not go backwards")
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (not earlier than now)."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        return self.advance(moment - self._now)


def clock_from_settings(mode: str, start: datetime | None) -> Clock:
    """The clock the settings ask for."""
    if mode == "simulated":
        return SimulatedClock(start)
    return SystemClock()


# The deployment's one local timezone. Rules count in local days (a deadline "within 5
# days", a lesson "on Monday"), while every stored moment is UTC. The service sets it once
# at start from ``ZROUTE_TIMEZONE`` (ServiceSettings.timezone).


def use_timezone(name: str) -> None:
    """Make ``name`` (an IANA zone) the local timezone of :func:`local_day` and friends."""
    global _local
    _local = ZoneInfo(name)


def local_timezone() -> ZoneInfo:
    """The deployment's local timezone."""
    return _local


def local_day(moment: datetime) -> date:
    """The local calendar day of a moment."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(_local).date()


def local_moment(day: date, at: time = time.min) -> datetime:
    """The moment ``at`` o'clock local time falls on ``day`` (timezone-aware)."""
    return datetime.combine(day, at, _local)
