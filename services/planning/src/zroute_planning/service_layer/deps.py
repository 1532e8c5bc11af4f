"""What the planning handlers depend on, chosen in ``bootstrap`` only, and the local days
the rules count in (the deployment's one timezone, ``zroute_runtime.clock``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from zroute_runtime.clock import local_day, local_moment

from zroute_planning.domain.rules import PlanningRules

TIMER_HOUR = time(8, 0)


@dataclass(frozen=True)
class Deps:
    rules: PlanningRules
    teaching_partner: str
    solver_workers: int = 2


def today(now: datetime) -> date:
    """The local date of a moment: rules count in days."""
    return local_day(now)


def morning_of(day: date) -> datetime:
    """When a timer for ``day`` fires: eight in the morning, local time."""
    return local_moment(day, TIMER_HOUR)


def days(n: int) -> timedelta:
    return timedelta(days=n)
