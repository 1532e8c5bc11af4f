"""The geometry of the planning screens' inline SVG charts, computed here so the templates
only draw: hours against targets as bars, the ramp-up as a step chart, the cohort by stage
as bars, and the week as a grid of weekday by part of the day. Plain Python, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zroute_contract.events.codes import DayPart, Weekday

from zroute_planning.domain.rules import PlanningRules

BAR_WIDTH = 420
LABEL_WIDTH = 300
ROW_HEIGHT = 40
STEP_WIDTH = 560
STEP_HEIGHT = 180
TICK_SPACE = 48
WORKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@dataclass(frozen=True)
class HoursBar:
    kind: str
    attended: float
    projected: float
    target: float
    y: int
    target_width: int
    attended_width: int
    projected_width: int


def hours_bars(
    attended: Mapping[str, float], projected: Mapping[str, float], targets: Mapping[str, float]
) -> list[HoursBar]:
    """One row per target (total first): the target as the outline, the hours attended as
    the bar inside it and the hours projected by the term's end as a thin bar below."""
    kinds = ["total", *(k for k in targets if k != "total")]
    values = {
        "total": (sum(attended.values()), sum(projected.values())),
        **{k: (attended.get(k, 0.0), projected.get(k, 0.0)) for k in kinds[1:]},
    }
    longest = max([*targets.values(), *(p for _, p in values.values())], default=0) or 1

    def width(value: float) -> int:
        return round(BAR_WIDTH * value / longest)

    return [
        HoursBar(
            kind,
            values[kind][0],
            values[kind][1],
            targets.get(kind, 0.0),
            8 + i * ROW_HEIGHT,
            width(targets.get(kind, 0.0)),
            width(min(values[kind][0], longest)),
            width(min(values[kind][1], longest)),
        )
        for i, kind in enumerate(kinds)
    ]


@dataclass(frozen=True)
class Step:
    number: int
    from_week: int
    until_week: int
    sessions_per_week: int
    session_minutes: int
    hours_per_week: float


@dataclass(frozen=True)
class StepChart:
    steps: list[Step]
    path: str
    weeks: int
    now_x: int | None
    ticks: list[tuple[int, int]]
    top_hours: float


def ramp_up(rules: PlanningRules, route_week: int | None) -> StepChart:
    """The ramp-up phases as a step line of hours a week over the route's weeks, with
    the participant's current route week marked (None: the plan has not started)."""
    phases = rules.phases
    weeks = max(phases[-1].from_week + 12, (route_week or 0) + 4)
    steps = [
        Step(
            i + 1,
            p.from_week,
            (phases[i + 1].from_week - 1) if i + 1 < len(phases) else weeks,
            p.sessions_per_week,
            p.session_minutes,
            p.sessions_per_week * p.session_minutes / 60,
        )
        for i, p in enumerate(phases)
    ]
    top = max(s.hours_per_week for s in steps) or 1

    def x(week: int) -> int:
        return round(STEP_WIDTH * (week - 1) / weeks)

    def y(hours: float) -> int:
        return round(STEP_HEIGHT - STEP_HEIGHT * hours / top)

    path = [f"M {x(1)} {STEP_HEIGHT}"]
    for step in steps:
        path += [f"V {y(step.hours_per_week)}", f"H {x(step.until_week + 1)}"]
    ticks: list[tuple[int, int]] = []
    for step in steps:  # a label only where it does not run into the one before
        if not ticks or x(step.from_week) - ticks[-1][1] >= TICK_SPACE:
            ticks.append((step.from_week, x(step.from_week)))
    now_x = x(route_week) if route_week else None
    return StepChart(steps, " ".join(path), weeks, now_x, ticks, top)


@dataclass(frozen=True)
class CohortBar:
    stage: str
    count: int
    y: int
    width: int


def cohort_bars(stages: Sequence[str], counts: Mapping[str, int]) -> list[CohortBar]:
    """One bar per stage in route order, the largest the full width."""
    largest = max(counts.values(), default=0) or 1
    return [
        CohortBar(
            stage,
            counts.get(stage, 0),
            8 + i * ROW_HEIGHT,
            round(BAR_WIDTH * counts.get(stage, 0) / largest),
        )
        for i, stage in enumerate(stages)
    ]


def stages(rules: PlanningRules) -> list[str]:
    """A plan's stages in route order: waiting, started, each ramp-up phase, then out."""
    phases = [f"phase-{n}" for n in range(1, len(rules.phases) + 1)]
    return ["waiting_for_preconditions", "active", *phases, "paused", "completed", "withdrawn"]


@dataclass(frozen=True)
class Week:
    days: list[str]
    parts: list[str]
    cells: dict[tuple[str, str], list[Any]]


def week_grid(sessions: Iterable[tuple[str, str, Any]]) -> Week:
    """Items by (weekday, part of the day): Monday to Friday and the weekend days that have
    sessions, the parts of the day that have them (morning and afternoon always)."""
    cells: dict[tuple[str, str], list[Any]] = {}
    for weekday, day_part, item in sessions:
        cells.setdefault((weekday, day_part), []).append(item)
    used_days = {d for d, _ in cells}
    used_parts = {p for _, p in cells}
    days = [d.value for d in Weekday if d in WORKDAYS or d.value in used_days]
    parts = [
        p.value
        for p in DayPart
        if p in (DayPart.MORNING, DayPart.AFTERNOON) or p.value in used_parts
    ]
    return Week(days, parts, cells)
