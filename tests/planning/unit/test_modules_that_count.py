"""Maatwerk modules that count (issue 16 item 4): added or removed with a reason, with
hours and a provider, completed; the route's completion can require them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from zroute_contract.events.codes import CurriculumModule, ModuleChange
from zroute_contract.events.planning import ModuleChanged
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.modules import modules_open, with_module, without_module
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import completion, modules
from zroute_planning.service_layer.handlers.modules import ModuleCommand

from tests.planning.events import TODAY, intake_completed
from tests.planning.unit.fakes import planning_uow

RULES = PlanningRules()
STRICT = Deps(PlanningRules(completion_requires_modules=True), "taalhuis-west")
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
DIGITAL, FINANCES = CurriculumModule.DIGITAL_SKILLS, CurriculumModule.FINANCIAL_SELF_RELIANCE


def test_a_customised_module_is_added_and_removed_the_core_stays():
    core = RULES.core_modules
    added = with_module(core, FINANCES, RULES)
    assert added == (*core, FINANCES)
    with pytest.raises(PlanError):
        with_module(added, FINANCES, RULES)
    with pytest.raises(InvalidRequest, match="core module"):
        with_module(core, CurriculumModule.KNM, RULES)
    with pytest.raises(InvalidRequest, match="core module"):
        without_module(added, CurriculumModule.LANGUAGE, RULES)
    assert without_module(added, FINANCES, RULES) == core


def test_completion_requires_the_customised_modules_only_when_the_rules_say_so():
    plan_modules = (*RULES.core_modules, DIGITAL, FINANCES)
    assert modules_open(plan_modules, set(), RULES) == []
    assert modules_open(plan_modules, {DIGITAL}, STRICT.rules) == [FINANCES]


def _plan() -> Plan:
    # The intake's goals (digital skills) put the digital_skills module on the plan.
    plan = Plan.activate(intake_completed(), RULES, today=TODAY, term_start=TODAY, arranged=set())
    assert DIGITAL in plan.modules
    plan.final_meeting_held(TODAY)
    return plan


def _cmd(module, **kw) -> ModuleCommand:
    return ModuleCommand(module, "agreed at the progress meeting", "cw-1", NOW, TODAY, **kw)


async def test_modules_carry_hours_a_provider_and_a_completion_that_completion_waits_for():
    plan = _plan()
    uow = planning_uow(plan)
    uow.records.follow_ups[plan.participant_ref] = uuid4()
    uow.records.waivers[plan.participant_ref] = uuid4()  # the hours targets are not the point
    await modules.add_module(
        uow, STRICT, plan, _cmd(FINANCES, provider_id="budget-coach", hours=20.0)
    )
    [added] = [e for e in plan.events if isinstance(e, ModuleChanged)]
    assert (added.change, added.provider_id, added.hours) == (
        ModuleChange.ADDED,
        "budget-coach",
        20.0,
    )
    on = TODAY + timedelta(days=400)
    with pytest.raises(PlanError, match="digital_skills, financial_self_reliance"):
        await completion.complete_route(uow, STRICT, plan, on)
    await modules.complete_module(uow, STRICT, plan, _cmd(DIGITAL, hours=12.0))
    await modules.remove_module(uow, STRICT, plan, _cmd(FINANCES))
    assert FINANCES not in plan.modules
    listed = {m["module"]: m for m in await modules.modules_of(uow, STRICT, plan)}
    assert listed[DIGITAL]["completed_hours"] == 12.0 and listed[DIGITAL]["customised"]
    event = await completion.complete_route(uow, STRICT, plan, on)
    assert plan.status is PlanStatus.COMPLETED and event.targets_waiver_id is not None
    changes = [e.change for e in plan.events if isinstance(e, ModuleChanged)]
    assert changes == [ModuleChange.ADDED, ModuleChange.COMPLETED, ModuleChange.REMOVED]


def test_a_module_with_hours_left_takes_a_session_in_the_week_and_counts_in_the_projection():
    from zroute_contract.events.codes import HoursKind, TeachingForm
    from zroute_planning.domain.modules import PlannedModule, module_sessions
    from zroute_planning.domain.projection import project
    from zroute_planning.domain.schedule import weekly_schedule

    modules = (*RULES.core_modules, DIGITAL, FINANCES)
    planned = [
        PlannedModule(FINANCES, 20.0),  # the configured form: a KNM lesson, KNM hours
        PlannedModule(DIGITAL, 0.0),  # chosen at intake, no hours planned: no session
    ]
    [session] = module_sessions(modules, planned, {}, RULES)
    assert (session.form, session.kind, session.hours_left) == (
        TeachingForm.KNM,
        HoursKind.KNM,
        20.0,
    )
    assert module_sessions(modules, planned, {FINANCES: 20.0}, RULES) == ()  # hours reached
    done = [PlannedModule(FINANCES, 20.0, completed=True)]
    assert module_sessions(modules, done, {}, RULES) == ()
    assert module_sessions(RULES.core_modules, planned, {}, RULES) == ()  # removed

    free = frozenset({("monday", "morning"), ("monday", "afternoon"), ("tuesday", "morning")})
    week = weekly_schedule(RULES, 0, free, modules=[session])
    assert [s.module for s in week.sessions] == [None, None, FINANCES]
    assert week.variety_problems == ()
    full = weekly_schedule(RULES, 0, frozenset(list(free)[:2]), modules=[session])
    assert [s.module for s in full.sessions] == [None, None]  # no free slot left for it

    term = TODAY + timedelta(days=3 * 365)
    without = project(RULES, start_on=TODAY, term_end=term, today=TODAY, attended={}, slots=8)
    with_it = project(
        RULES, start_on=TODAY, term_end=term, today=TODAY, attended={}, slots=8,
        modules=[session],
    )  # fmt: skip
    assert with_it.hours[HoursKind.KNM] == without.hours[HoursKind.KNM] + 20
    # With no slot to spare after the phase's own sessions (3 from week 9), it counts only
    # while it has one (the first phase's eight weeks), as the week lays it.
    short = project(
        RULES, start_on=TODAY, term_end=term, today=TODAY, attended={}, slots=3,
        modules=[session],
    )  # fmt: skip
    narrow = project(RULES, start_on=TODAY, term_end=term, today=TODAY, attended={}, slots=3)
    assert 0 < short.hours[HoursKind.KNM] - narrow.hours[HoursKind.KNM] < 20
