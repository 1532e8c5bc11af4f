"""Will the targets fit in the integration term? A projection from the ramp-up profile (L9).

Hours still to come are the weekly hours of each phase (per hours kind, as the rotation of
teaching forms assigns them) times the teaching weeks left in that phase before the term
ends, scaled by the teaching weeks in a year. Hours already attended are added as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zroute_contract.events.codes import HoursKind

from zroute_planning.domain.rules import PlanningRules

KINDS = tuple(HoursKind)


@dataclass(frozen=True)
class Projection:
    hours: dict[HoursKind, float]
    fits: bool
    planned_end: date

    @property
    def total(self) -> float:
        return sum(self.hours.values())


def weekly_hours(rules: PlanningRules, phase_index: int, slots: int) -> dict[HoursKind, float]:
    """Hours a week per kind in a phase, for a participant with ``slots`` free slots."""
    phase = rules.phases[phase_index]
    hours = dict.fromkeys(KINDS, 0.0)
    for i in range(min(phase.sessions_per_week, slots)):
        hours[rules.rotation[i % len(rules.rotation)].kind] += phase.session_minutes / 60
    return hours


def phase_index(rules: PlanningRules, route_week: int) -> int:
    """The phase a route week (1-based) belongs to."""
    index = 0
    for i, phase in enumerate(rules.phases):
        if phase.from_week <= route_week:
            index = i
    return index


def _fits(rules: PlanningRules, hours: dict[HoursKind, float]) -> bool:
    t = rules.targets
    wanted = {
        HoursKind.LANGUAGE: t.language,
        HoursKind.PARTICIPATION: t.participation,
        HoursKind.KNM: t.knm,
        HoursKind.MAP: t.map,
    }
    return sum(hours.values()) >= t.total and all(hours[k] >= wanted[k] for k in KINDS)


def project(
    rules: PlanningRules,
    *,
    start_on: date,
    term_end: date,
    today: date,
    attended: dict[HoursKind, float],
    slots: int,
    paused_days: int = 0,
) -> Projection:
    """Hours per kind by the term end, whether the targets fit, and the planned end (the
    week the targets are reached, or the term end when they are not)."""
    share = rules.teaching_weeks_per_year / 52
    hours = {k: attended.get(k, 0.0) for k in KINDS}
    day = max(today, start_on)
    planned_end = None
    while day <= term_end:
        route_week = (day - start_on).days // 7 + 1 - paused_days // 7
        week = weekly_hours(rules, phase_index(rules, max(route_week, 1)), slots)
        for kind, value in week.items():
            hours[kind] += value * share
        if planned_end is None and _fits(rules, hours):
            planned_end = min(day + timedelta(days=6), term_end)
        day += timedelta(days=7)
    return Projection(
        {k: round(v * 4) / 4 for k, v in hours.items()},
        _fits(rules, hours),
        planned_end or term_end,
    )
