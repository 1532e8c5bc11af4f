"""Will the targets fit in the integration term? A projection from the ramp-up profile (L9),
counted against the participant's hours norm (B 3.14: course and participation hours).

Hours still to come are the weekly hours of each phase (per hours kind, as the rotation of
teaching forms assigns them) times the teaching weeks left in that phase before the term
ends, scaled by the teaching weeks in a year. Hours already attended are added as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zroute_contract.events.codes import HoursKind

from zroute_planning.domain.hours_norm import RouteNorm, route_norm
from zroute_planning.domain.modules import ModuleSession
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


def targets_short(
    rules: PlanningRules,
    norm: RouteNorm,
    hours: Mapping[HoursKind, float],
    *,
    participation_part: bool = True,
) -> list[str]:
    """What ``hours`` fall short of, each with what is missing: the participant's norm as
    the PIP sets it, per part (B 3.14: course hours, NT2 and KNM together; participation
    hours, PVT and MAP within them; with the PIP's credits and reduced numbers), and the
    configured KNM and MAP minimums. A family migrant (course hours only, lid 3) has no
    participation part and no MAP minimum. Language hours alone are no target: KNM
    shares the course hours. ``participation_part=False`` leaves the participation
    part's count out (the projection's, below)."""
    counted = norm.progress(hours)
    t = rules.targets
    wanted: list[tuple[str, Decimal | float, Decimal | float]] = [
        ("course hours (NT2 and KNM)", counted.course.counted, counted.course.norm),
        ("knm", hours.get(HoursKind.KNM, 0.0), t.knm),
    ]
    if norm.norm.participation > 0:
        if participation_part:
            wanted.append(
                (
                    "participation hours (PVT and MAP within)",
                    counted.participation.counted,
                    counted.participation.norm,
                )
            )
        wanted.append(("map", hours.get(HoursKind.MAP, 0.0), t.map))
    return [
        f"{name} {float(got):g} of {float(target):g} hours"
        for name, got, target in wanted
        if float(got) < float(target)
    ]


def fits(rules: PlanningRules, norm: RouteNorm, hours: Mapping[HoursKind, float]) -> bool:
    """The course part of the PIP's norm (NT2 and KNM together, with credits) is met, and
    so are the configured KNM and MAP minimums (:func:`targets_short`). The participation
    part (800 hours, PVT and MAP within them) is counted against the ledger at completion
    but not projected: much of it (PVT, workplace hours at a partner) lies outside the
    school's timetable, and course hours beyond the course part never stand in for it."""
    # What targets_short(participation_part=False) checks, without its sentences: the
    # projection asks once a week of the term (issue 20 profile). The same numbers compared
    # the same way (floats of the same Decimals), so the answer is the same; a unit test
    # compares the two on many plans.
    t = rules.targets
    if float(hours.get(HoursKind.KNM, 0.0)) < float(t.knm):
        return False
    if norm.norm.participation > 0 and float(hours.get(HoursKind.MAP, 0.0)) < float(t.map):
        return False
    return not float(norm.course_counted(hours)) < float(norm.norm.course)


def project(
    rules: PlanningRules,
    *,
    start_on: date,
    term_end: date,
    today: date,
    attended: dict[HoursKind, float],
    slots: int,
    paused_days: int = 0,
    norm: RouteNorm | None = None,
    modules: Sequence[ModuleSession] = (),
) -> Projection:
    """Hours per kind by the term end, whether the targets fit, and the planned end (the
    week the targets are reached, or the term end when they are not). ``norm`` is the
    participant's (the PIP's); without one, the full norm of the rules.

    A customised module planned with hours (``modules``, issue 16 item 4) adds a session a
    week of the phase's length toward its kind, in a slot the phase leaves free (as the
    published week lays it), until its hours left are reached."""
    norm = norm or route_norm(rules.norm)
    share = rules.teaching_weeks_per_year / 52
    hours = {k: attended.get(k, 0.0) for k in KINDS}
    left = [m.hours_left for m in modules]
    day = max(today, start_on)
    planned_end = None
    # A phase's week is the same every week of it: its gains per kind, computed once (the
    # same products as before, and adding a kind's 0.0 changed nothing).
    gains: dict[int, list[tuple[HoursKind, float]]] = {}
    while day <= term_end:
        route_week = (day - start_on).days // 7 + 1 - paused_days // 7
        index = phase_index(rules, max(route_week, 1))
        if index not in gains:
            week = weekly_hours(rules, index, slots)
            gains[index] = [(kind, value * share) for kind, value in week.items() if value]
        for kind, gain in gains[index]:
            hours[kind] += gain
        phase = rules.phases[index]
        spare = max(0, slots - phase.sessions_per_week)
        for i, module in enumerate(modules[:spare]):
            gain = min(left[i], phase.session_minutes / 60 * share)
            left[i] -= gain
            hours[module.kind] += gain
        if planned_end is None and fits(rules, norm, hours):
            planned_end = min(day + timedelta(days=6), term_end)
        day += timedelta(days=7)
    return Projection(
        {k: round(v * 4) / 4 for k, v in hours.items()},
        fits(rules, norm, hours),
        planned_end or term_end,
    )
