"""What the planning handlers depend on, chosen in ``bootstrap`` only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zroute_planning.domain.rules import PlanningRules

LOCAL = ZoneInfo("Europe/Amsterdam")
TIMER_HOUR = time(8, 0)


@dataclass(frozen=True)
class Deps:
    rules: PlanningRules
    teaching_partner: str
    solver_workers: int = 2


def today(now: datetime) -> date:
    """The local (Europe/Amsterdam) date of a moment: rules count in days."""
    return now.astimezone(LOCAL).date()


def morning_of(day: date) -> datetime:
    """When a timer for ``day`` fires: eight in the morning, local time."""
    return datetime.combine(day, TIMER_HOUR, LOCAL)


def days(n: int) -> timedelta:
    return timedelta(days=n)
