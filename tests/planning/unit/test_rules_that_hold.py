"""Issue 16 item 7, "rules that hold", on the fast handler tier and in the domain: the
start date waits for every needed precondition's ``arranged_from``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from zroute_contract.events.codes import HoursKind, PreconditionKind
from zroute_contract.events.planning import FollowUpDue, FollowUpEscalated
from zroute_planning.domain.commands import SetRampUp
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.hours_norm import NormRules, RouteNorm, route_norm
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.projection import fits
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import completion, schedule, support
from zroute_planning.service_layer.handlers import intake as intake_handlers
from zroute_runtime.timers import DueTimer

from tests.planning.events import TODAY, arranged, intake_completed, pip_established
from tests.planning.unit.fakes import FakeContext, planning_uow

DEPS = Deps(PlanningRules(), "taalhuis-west")
CHILDCARE_FROM = date(2027, 4, 4)
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)


async def _handle(handler, event, uow) -> None:
    await handler(event, FakeContext(uow), DEPS)
    await uow.commit()


async def test_the_last_arrangement_starts_the_plan_no_earlier_than_it_holds():
    intake = intake_completed(childcare=True)
    plan = Plan.activate(intake, DEPS.rules, today=TODAY, term_start=TODAY, arranged=set())
    uow = planning_uow(plan)
    event = arranged(plan.participant_ref, PreconditionKind.CHILDCARE)
    event = event.model_copy(update={"arranged_from": CHILDCARE_FROM})
    await _handle(support.precondition_arranged, event, uow)
    assert plan.status is PlanStatus.ACTIVE
    # Not TODAY + 14 (2027-01-18): childcare holds only from 4 April.
    assert plan.start_on == CHILDCARE_FROM


async def test_an_activation_with_the_arrangement_already_known_waits_for_it_too():
    intake = intake_completed(childcare=True)
    ref = intake.participant_ref
    uow = planning_uow()
    event = arranged(ref, PreconditionKind.CHILDCARE)
    await _handle(
        support.precondition_arranged,
        event.model_copy(update={"arranged_from": CHILDCARE_FROM}),
        uow,
    )
    await _handle(intake_handlers.activate_plan, intake, uow)
    await _handle(intake_handlers.activate_from_pip, pip_established(ref), uow)
    [plan] = {id(p): p for p in uow.plans.saved}.values()
    assert plan.status is PlanStatus.ACTIVE and plan.start_on == CHILDCARE_FROM


def test_an_arrangement_from_before_the_lead_time_keeps_the_lead_time():
    intake = intake_completed(childcare=True)
    plan = Plan.activate(
        intake,
        DEPS.rules,
        today=TODAY,
        term_start=TODAY,
        arranged={PreconditionKind.CHILDCARE},
        arranged_from={PreconditionKind.CHILDCARE: TODAY},
    )
    assert plan.start_on == TODAY + timedelta(days=DEPS.rules.start_after_days)


def _completable_plan() -> Plan:
    plan = Plan.activate(
        intake_completed(), DEPS.rules, today=TODAY, term_start=TODAY, arranged=set()
    )
    plan.final_meeting_held(TODAY + timedelta(days=1))
    return plan


def test_a_route_with_hours_short_of_the_targets_completes_only_when_they_are_waived():
    plan = _completable_plan()
    none = dict.fromkeys(HoursKind, 0.0)
    with pytest.raises(PlanError, match=r"course hours \(NT2 and KNM\) 0 of 800"):
        plan.complete(
            on=TODAY + timedelta(days=1), hours=none, rules=DEPS.rules, follow_up_id=uuid4()
        )
    assert plan.status is PlanStatus.ACTIVE and plan.events == []
    waiver = uuid4()
    event = plan.complete(
        on=TODAY, hours=none, rules=DEPS.rules, follow_up_id=uuid4(), waiver_id=waiver
    )
    assert (event.targets_met, event.targets_waiver_id) == (False, waiver)


def test_a_route_that_meets_the_norm_completes_without_a_waiver():
    # B 3.14(2): 800 course hours, NT2 and KNM together (700 + 100), and 800 participation
    # hours with MAP within them (700 + 100). Language alone need not reach 800.
    plan = _completable_plan()
    hours = {
        HoursKind.LANGUAGE: 700.0,
        HoursKind.KNM: 100.0,
        HoursKind.PARTICIPATION: 700.0,
        HoursKind.MAP: 100.0,
    }
    event = plan.complete(on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4())
    assert (event.targets_met, event.targets_waiver_id) == (True, None)


def test_course_hours_beyond_their_part_do_not_stand_in_for_participation_hours():
    # 1,650 hours in total, but only 350 participation hours: the norm's parts count
    # separately, so the route is short without a waiver.
    plan = _completable_plan()
    hours = {
        HoursKind.LANGUAGE: 1200.0,
        HoursKind.KNM: 100.0,
        HoursKind.PARTICIPATION: 250.0,
        HoursKind.MAP: 100.0,
    }
    with pytest.raises(PlanError, match=r"participation hours \(PVT and MAP within\) 350 of 800"):
        plan.complete(on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4())
    assert plan.status is PlanStatus.ACTIVE and plan.events == []


def _plan_with_norm(norm: RouteNorm) -> Plan:
    plan = Plan.activate(
        intake_completed(), DEPS.rules, today=TODAY, term_start=TODAY, arranged=set(), norm=norm
    )
    plan.final_meeting_held(TODAY + timedelta(days=1))
    return plan


def test_a_family_migrants_route_completes_on_the_course_hours_alone():
    # B 3.14(3): family migrants have the course hours and the final meeting only.
    plan = _plan_with_norm(route_norm(NormRules(), family_migrant=True))
    hours = {**dict.fromkeys(HoursKind, 0.0), HoursKind.LANGUAGE: 700.0, HoursKind.KNM: 100.0}
    event = plan.complete(on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4())
    assert (event.targets_met, event.targets_waiver_id) == (True, None)


def test_completion_counts_against_the_pips_reduced_norm_and_credited_hours():
    # B 3.14(8) and (6): the PIP's lower norm and its credits, not the configured default.
    norm = route_norm(
        NormRules(),
        reduced_course=Decimal(500),
        reduced_participation=Decimal(600),
        credited_course=Decimal(50),
        credited_participation=Decimal(100),
    )
    hours = {
        HoursKind.LANGUAGE: 350.0,
        HoursKind.KNM: 100.0,
        HoursKind.PARTICIPATION: 400.0,
        HoursKind.MAP: 100.0,
    }
    event = _plan_with_norm(norm).complete(
        on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4()
    )
    assert event.targets_met
    short = {**hours, HoursKind.PARTICIPATION: 399.0}
    with pytest.raises(PlanError, match=r"participation hours \(PVT and MAP within\) 599 of 600"):
        _plan_with_norm(norm).complete(
            on=TODAY, hours=short, rules=DEPS.rules, follow_up_id=uuid4()
        )


def test_the_projection_fits_when_knm_shares_the_course_hours():
    # The projection counts the same course part: 700 language and 100 KNM hours fit.
    hours = {HoursKind.LANGUAGE: 700.0, HoursKind.KNM: 100.0, HoursKind.MAP: 100.0}
    assert fits(DEPS.rules, route_norm(NormRules()), hours)
    assert not fits(DEPS.rules, route_norm(NormRules()), {**hours, HoursKind.KNM: 99.0})


async def _started(uow) -> Plan:
    intake = intake_completed()
    await _handle(intake_handlers.activate_plan, intake, uow)
    await _handle(intake_handlers.activate_from_pip, pip_established(intake.participant_ref), uow)
    plan = await uow.plans.get(intake.participant_ref)
    assert plan is not None and plan.status is PlanStatus.ACTIVE
    return plan


def _fired(uow, kind: str, key: str, payload: dict) -> DueTimer:
    due_at = uow.timers.pending.pop((kind, key))
    uow.clock.now = lambda: due_at  # the timer fires on its morning
    return DueTimer(id=1, kind=kind, key=key, due_at=due_at, payload=payload)


async def test_a_passed_agree_by_date_escalates_until_the_follow_up_is_agreed():
    uow = planning_uow()
    plan = await _started(uow)
    key = str(plan.plan_id)
    planned_end = date(2029, 12, 1)
    due = _fired(
        uow,
        scheduling.FOLLOW_UP,
        key,
        {"participant_ref": plan.participant_ref, "planned_end": str(planned_end)},
    )
    uow.events.clear()
    await completion.on_follow_up_timer(due, uow, DEPS)
    await uow.commit()
    [told] = uow.events
    assert isinstance(told, FollowUpDue)
    escalation_at = uow.timers.pending[(scheduling.FOLLOW_UP_ESCALATION, key)]
    assert escalation_at.date() == told.agree_by + timedelta(days=1)

    payload = {
        "participant_ref": plan.participant_ref,
        "planned_end": str(planned_end),
        "agree_by": str(told.agree_by),
        "level": 1,
    }
    uow.events.clear()
    await completion.on_follow_up_escalation(
        _fired(uow, scheduling.FOLLOW_UP_ESCALATION, key, payload), uow, DEPS
    )
    await uow.commit()
    [escalated] = uow.events
    assert isinstance(escalated, FollowUpEscalated)
    assert (escalated.level, escalated.agree_by) == (1, told.agree_by)
    again = uow.timers.pending[(scheduling.FOLLOW_UP_ESCALATION, key)]
    assert again.date() == escalation_at.date() + timedelta(
        days=DEPS.rules.follow_up_reescalate_days
    )

    # Agreed meanwhile: the next escalation changes nothing.
    uow.records.follow_ups[plan.participant_ref] = uuid4()
    uow.events.clear()
    await completion.on_follow_up_escalation(
        _fired(uow, scheduling.FOLLOW_UP_ESCALATION, key, payload | {"level": 2}), uow, DEPS
    )
    await uow.commit()
    assert uow.events == []


async def test_the_follow_up_reminder_moves_when_the_projection_moves():
    uow = planning_uow()
    plan = await _started(uow)
    key = (scheduling.FOLLOW_UP, str(plan.plan_id))
    before = uow.timers.pending[key]
    # A long pause pushes the planned end out: the pending reminder follows it.
    plan.paused_days += 120
    await scheduling.reassess(uow, DEPS, plan, TODAY + timedelta(days=200))
    after = uow.timers.pending[key]
    assert after > before, (before, after)


async def test_a_planner_slows_one_participants_ramp_up_and_the_profile_stays_the_default():
    uow = planning_uow()
    slow, usual = await _started(uow), await _started(uow)
    phase_2 = (scheduling.PHASE, f"{slow.plan_id}:2")
    assert uow.timers.pending[phase_2].date() == slow.start_on + timedelta(weeks=8)
    cmd = SetRampUp(pace_percent=200, reason="needs more time to settle in", by="p-1", at=NOW)
    await schedule.set_ramp_up(uow, DEPS, slow, cmd, on=TODAY)
    # Phase 2 (profile: route week 9) now starts in week 17; the other participant keeps it.
    assert uow.timers.pending[phase_2].date() == slow.start_on + timedelta(weeks=16)
    other = uow.timers.pending[(scheduling.PHASE, f"{usual.plan_id}:2")]
    assert other.date() == usual.start_on + timedelta(weeks=8)
    with pytest.raises(InvalidRequest):
        await schedule.set_ramp_up(uow, DEPS, slow, replace(cmd, pace_percent=50), on=TODAY)
