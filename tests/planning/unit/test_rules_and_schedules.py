"""Plan rules without I/O: configuration, modules, the preconditions gate, ramp-up
schedules with varied teaching forms, and the projection against the term."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from zroute_contract.events.codes import (
    HoursKind,
    LanguageLevel,
    LevelBand,
    Literacy,
    PreconditionKind,
    TeachingForm,
)
from zroute_contract.events.planning import PlanPaused, PlanResumed, PlanStartScheduled
from zroute_planning.domain.errors import PlanError
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.projection import project
from zroute_planning.domain.rules import Phase, PlanningRules, SessionPattern
from zroute_planning.domain.schedule import weekly_schedule
from zroute_planning.domain.variety import VarietyRules, check_variety

from tests.planning.events import intake_completed
from tests.planning.unit.cohorts import ALL_SLOTS

RULES = PlanningRules()
DAY = date(2027, 1, 4)


def test_the_defaults_are_the_laws_numbers():
    # B 3.14(2): 800 course hours, NT2 and KNM together, and 800 participation hours,
    # MAP within them; the targets by kind split the norm, language alone is not 800.
    t = RULES.targets
    assert (RULES.norm.course_hours, RULES.norm.participation_hours) == (800, 800)
    assert (t.language + t.knm, t.participation + t.map, t.total) == (800, 800, 1600)
    assert RULES.integration_term_years == 3
    assert [m.value for m in RULES.core_modules] == ["language", "knm", "map", "pvt"]


def test_a_profile_that_breaks_its_own_variety_rules_is_refused():
    classroom = SessionPattern(form=TeachingForm.CLASSROOM, kind=HoursKind.LANGUAGE)
    with pytest.raises(ValidationError, match="variety"):
        PlanningRules(rotation=(classroom,))
    with pytest.raises(ValidationError, match="week 1"):
        PlanningRules(phases=(Phase(from_week=2, sessions_per_week=2, session_minutes=60),))


def test_rules_load_from_json_as_configuration():
    text = RULES.model_copy(update={"integration_term_years": 4}).model_dump_json()
    assert PlanningRules.model_validate_json(text).integration_term_years == 4


def test_variety_rules_catch_a_dominant_form_and_a_long_run():
    rules = VarietyRules(max_share=0.5, max_run=1)
    c, d = TeachingForm.CLASSROOM, TeachingForm.DIGITAL
    assert check_variety([c, d, c, d], rules) == []
    assert check_variety([c, c, d], rules)  # a run and above half
    assert check_variety([c, d, c], rules)  # two thirds classroom


def test_modules_follow_literacy_goals_and_needs_and_the_band_follows_literacy():
    plan = Plan.activate(
        intake_completed(literacy=Literacy.NOT_ALPHABETISED, level=LanguageLevel.A1),
        RULES,
        today=DAY,
        term_start=DAY,
        arranged=set(),
    )
    assert {"literacy", "digital_skills"} <= {m.value for m in plan.modules}
    assert plan.level_band is LevelBand.ALPHA
    assert plan.term_end == date(2030, 1, 4)


def test_the_gate_holds_the_start_until_every_needed_precondition_and_a_lapse_pauses():
    plan = Plan.activate(
        intake_completed(childcare=True, transport=True),
        RULES,
        today=DAY,
        term_start=DAY,
        arranged=set(),
    )
    assert plan.status is PlanStatus.WAITING and plan.start_on is None
    assert not plan.precondition_arranged(PreconditionKind.CHILDCARE, today=DAY, rules=RULES)
    assert plan.precondition_arranged(PreconditionKind.TRANSPORT, today=DAY, rules=RULES)
    assert plan.start_on == DAY + timedelta(days=RULES.start_after_days)
    assert isinstance(plan.events.pop(), PlanStartScheduled)

    later = DAY + timedelta(days=60)
    assert plan.precondition_lapsed(PreconditionKind.TRANSPORT, lapsed_on=later)
    assert isinstance(plan.events.pop(), PlanPaused)
    with pytest.raises(PlanError, match="transport"):
        plan.resume(later)
    assert plan.precondition_arranged(
        PreconditionKind.TRANSPORT, today=later + timedelta(days=28), rules=RULES
    )
    assert isinstance(plan.events.pop(), PlanResumed)
    assert plan.paused_days == 28


@settings(max_examples=60, deadline=None)
@given(
    free=st.sets(st.sampled_from(ALL_SLOTS), min_size=2, max_size=12),
    phase=st.integers(0, len(RULES.phases) - 1),
    in_group=st.booleans(),
)
def test_every_published_week_keeps_the_variety_rules(free, phase, in_group):
    group_slots = tuple(sorted(free))[:2] if in_group else ()
    week = weekly_schedule(RULES, phase, frozenset(free), group_slots, "g" if in_group else None)
    # A session no free slot takes within the day maximum is left out, and counted.
    assert len(week.sessions) + week.left_out == min(
        RULES.phases[phase].sessions_per_week, len(free)
    )
    assert {s.slot for s in week.sessions} <= free
    assert check_variety([s.form for s in week.sessions], RULES.variety) == []
    assert week.variety_problems == ()
    assert all(s.group_id == "g" for s in week.sessions if s.slot in group_slots)


def test_the_projection_flags_targets_that_no_longer_fit_the_term():
    end = date(2030, 1, 4)
    on_time = project(RULES, start_on=DAY, term_end=end, today=DAY, attended={}, slots=8)
    assert on_time.fits and on_time.planned_end < end
    late_start = DAY + timedelta(days=600)
    late = project(RULES, start_on=late_start, term_end=end, today=late_start, attended={}, slots=8)
    assert not late.fits and late.planned_end == end
    few_slots = project(RULES, start_on=DAY, term_end=end, today=DAY, attended={}, slots=3)
    assert not few_slots.fits


def test_the_service_reads_its_rules_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from zroute_planning.settings import Settings

    path = tmp_path / "rules.json"
    path.write_text('{"targets": {"total": 1500, "language": 900}, "review_every_days": 60}')
    rules = Settings(planning_rules_file=path).rules()
    assert (rules.targets.total, rules.targets.language, rules.review_every_days) == (1500, 900, 60)
    monkeypatch.setenv("ZROUTE_PLANNING_RULES", '{"integration_term_years": 4}')
    assert Settings().rules().integration_term_years == 4
    monkeypatch.setenv("ZROUTE_PLANNING_RULES", '{"groups": {"min_size": 9}}')
    with pytest.raises(ValidationError, match="min_size"):
        Settings()
