"""The projection made cheaper (issue 20): ``fits`` without ``targets_short``'s sentences and
a phase's weekly gains computed once must give exactly the results of the projection as it
was. The old code is kept here as the reference and both run on many plans: norms full,
reduced, credited and of a family migrant, hours attended, slots, pauses, modules, a
start in the past or to come, short and long terms, other teaching weeks and targets."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from zroute_contract.events.codes import CurriculumModule, HoursKind, TeachingForm
from zroute_planning.domain.hours_norm import NormRules, RouteNorm, route_norm
from zroute_planning.domain.modules import ModuleSession
from zroute_planning.domain.projection import (
    KINDS,
    Projection,
    fits,
    phase_index,
    project,
    targets_short,
    weekly_hours,
)
from zroute_planning.domain.rules import PlanningRules

DAY = date(2027, 1, 4)


def old_fits(rules: PlanningRules, norm: RouteNorm, hours: Mapping[HoursKind, float]) -> bool:
    return not targets_short(rules, norm, hours, participation_part=False)


def old_project(
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
    """``project`` as it was before issue 20's pass (the reference)."""
    norm = norm or route_norm(rules.norm)
    share = rules.teaching_weeks_per_year / 52
    hours = {k: attended.get(k, 0.0) for k in KINDS}
    left = [m.hours_left for m in modules]
    day = max(today, start_on)
    planned_end = None
    while day <= term_end:
        route_week = (day - start_on).days // 7 + 1 - paused_days // 7
        index = phase_index(rules, max(route_week, 1))
        week = weekly_hours(rules, index, slots)
        for kind, value in week.items():
            hours[kind] += value * share
        phase = rules.phases[index]
        spare = max(0, slots - phase.sessions_per_week)
        for i, module in enumerate(modules[:spare]):
            gain = min(left[i], phase.session_minutes / 60 * share)
            left[i] -= gain
            hours[module.kind] += gain
        if planned_end is None and old_fits(rules, norm, hours):
            planned_end = min(day + timedelta(days=6), term_end)
        day += timedelta(days=7)
    return Projection(
        {k: round(v * 4) / 4 for k, v in hours.items()},
        old_fits(rules, norm, hours),
        planned_end or term_end,
    )


def _norm(draw: random.Random) -> RouteNorm:
    rules = NormRules()
    return draw.choice(
        [
            route_norm(rules),
            route_norm(rules, family_migrant=True),
            route_norm(rules, reduced_course=Decimal(draw.choice([400, 600, 650.5]))),
            route_norm(rules, credited_course=Decimal(str(draw.choice([0.25, 40, 123.75])))),
            route_norm(
                rules,
                reduced_participation=Decimal(500),
                credited_participation=Decimal(30),
            ),
        ]
    )


def _rules(draw: random.Random) -> PlanningRules:
    rules = PlanningRules()
    return rules.model_copy(
        update={
            "teaching_weeks_per_year": draw.choice([40, 38, 52, 33]),
            "targets": rules.targets.model_copy(
                update={"knm": draw.choice([100, 80, 150.5]), "map": draw.choice([100, 0, 64])}
            ),
        }
    )


def _attended(draw: random.Random) -> dict[HoursKind, float]:
    return {
        kind: round(draw.uniform(0, 400) * 4) / 4 + draw.choice([0.0, 0.1, 1 / 3])
        for kind in KINDS
        if draw.random() < 0.7
    }


def _modules(draw: random.Random) -> list[ModuleSession]:
    pool = [
        ModuleSession(CurriculumModule.DIGITAL_SKILLS, TeachingForm.CLASSROOM, HoursKind.KNM, 20),
        ModuleSession(
            CurriculumModule.FINANCIAL_SELF_RELIANCE, TeachingForm.KNM, HoursKind.KNM, 7.5
        ),
        ModuleSession(
            CurriculumModule.DIGITAL_SKILLS, TeachingForm.WORKPLACE_LEARNING, HoursKind.MAP, 33
        ),
    ]
    return draw.sample(pool, draw.randint(0, len(pool)))


def test_the_cheaper_projection_gives_the_old_results_on_many_plans():
    draw = random.Random(20)
    compared = 0
    for _ in range(400):
        rules, norm = _rules(draw), _norm(draw)
        start = DAY + timedelta(days=draw.randint(-400, 60))
        plan = {
            "start_on": start,
            "term_end": start + timedelta(days=draw.choice([90, 365, 3 * 365, 3 * 365 + 200])),
            "today": DAY,
            "attended": _attended(draw),
            "slots": draw.randint(1, 10),
            "paused_days": draw.choice([0, 0, 13, 42, 100]),
            "norm": norm,
            "modules": _modules(draw),
        }
        assert project(rules, **plan) == old_project(rules, **plan), plan
        compared += 1
    assert compared == 400


def test_fits_answers_as_targets_short_does_at_every_edge():
    rules = PlanningRules()
    draw = random.Random(4)
    for _ in range(2000):
        norm = _norm(draw)
        course = float(norm.norm.course - norm.credited_course)
        hours = {
            HoursKind.LANGUAGE: course - 100 + draw.choice([-0.25, 0.0, 0.1, 1e-9, 0.25]),
            HoursKind.KNM: draw.choice([99.75, 100.0, 100.1, 120.0]),
            HoursKind.MAP: draw.choice([0.0, 99.9, 100.0]),
            HoursKind.PARTICIPATION: draw.uniform(0, 900),
        }
        assert fits(rules, norm, hours) == old_fits(rules, norm, hours), (norm, hours)
