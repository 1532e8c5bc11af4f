"""Pauses of the route hold the plan (issue 15 point 5, issue 17 point 5): the
participant's own pause from intake and a referral's care pause from support. The plan
pauses with ``PauseReason.CARE`` or ``PARTICIPANT_REQUEST``, frees nothing, resumes when
the last pause ends, and its projection follows by configuration. Against the code before:
planning consumed no such events and ``PlanPaused`` knew only lapsed preconditions."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from zroute_contract.events.codes import PauseReason, PreconditionKind
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_contract.events.planning import (
    ParticipantRemovedFromGroup,
    PlacementCancelled,
    PlanPaused,
    PlanResumed,
)
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import pauses

from tests.planning.events import PROGRAMME, TODAY, intake_completed
from tests.planning.unit.fakes import FakeContext, planning_uow

RULES = PlanningRules()
DEPS = Deps(RULES, "taalhuis-west")
STARTED = TODAY + timedelta(days=14)


def started_plan(**intake) -> Plan:
    plan = Plan.activate(
        intake_completed(**intake), RULES, today=TODAY, term_start=TODAY, arranged=set()
    )
    plan.events.clear()
    return plan


def test_a_pause_holds_an_active_plan_and_the_last_end_resumes_it_with_the_paused_days():
    plan = started_plan()
    paused_on = STARTED + timedelta(days=7)
    assert plan.hold_for_case("participant:1", PauseReason.PARTICIPANT_REQUEST, paused_on)
    assert plan.status is PlanStatus.PAUSED
    (event,) = plan.events
    assert isinstance(event, PlanPaused) and event.reason is PauseReason.PARTICIPANT_REQUEST
    assert event.preconditions == () and event.paused_from == paused_on
    assert not plan.hold_for_case("care:2", PauseReason.CARE, paused_on + timedelta(days=3))
    back = paused_on + timedelta(days=28)
    assert not plan.release_case("participant:1", back, RULES)  # the care pause still holds
    assert plan.status is PlanStatus.PAUSED
    assert plan.release_case("care:2", back, RULES)
    assert plan.status is PlanStatus.ACTIVE and plan.paused_days == 28
    assert isinstance(plan.events[-1], PlanResumed)
    assert plan.route_week(back) == 2  # the paused weeks do not count as route weeks


def test_the_configuration_says_whether_the_paused_days_move_the_projection():
    rules = PlanningRules(pause_moves_projection=frozenset({PauseReason.CARE}))
    plan = started_plan()
    plan.hold_for_case("participant:1", PauseReason.PARTICIPANT_REQUEST, STARTED)
    assert plan.release_case("participant:1", STARTED + timedelta(days=21), rules)
    assert plan.paused_days == 0  # a request does not move it here
    plan.hold_for_case("care:1", PauseReason.CARE, STARTED + timedelta(days=21))
    assert plan.release_case("care:1", STARTED + timedelta(days=35), rules)
    assert plan.paused_days == 14


def test_an_arranged_precondition_does_not_resume_a_plan_a_pause_holds():
    plan = Plan.activate(
        intake_completed(childcare=True), RULES, today=TODAY, term_start=TODAY, arranged=set()
    )
    assert plan.status is PlanStatus.WAITING
    plan.hold_for_case("care:1", PauseReason.CARE, TODAY)
    assert not plan.precondition_arranged(PreconditionKind.CHILDCARE, today=TODAY, rules=RULES)
    assert plan.status is PlanStatus.WAITING
    assert plan.release_case("care:1", TODAY + timedelta(days=5), RULES)  # now it starts
    assert plan.status is PlanStatus.ACTIVE


def test_a_pause_of_a_closed_plan_changes_nothing():
    plan = started_plan()
    plan.withdraw()
    assert not plan.hold_for_case("care:1", PauseReason.CARE, TODAY)
    assert plan.case_holds == {}


async def _run(handler, event, uow) -> None:
    await handler(event, FakeContext(uow), DEPS)
    await uow.commit()


async def test_the_handlers_hold_and_release_the_plan_freeing_the_seat_as_any_pause_does():
    plan = started_plan()
    uow = planning_uow(plan)
    ref = plan.participant_ref
    uow.groups.members[ref] = uuid4()  # in a group: formation places active plans only
    pause_id, care_id, referral_id = uuid4(), uuid4(), uuid4()
    start = TODAY - timedelta(days=1)
    common = {"participant_ref": ref, "programme_id": PROGRAMME}
    await _run(pauses.participant_paused, ParticipantPaused(
        **common, pause_id=pause_id, reason=PauseReason.CARE, paused_from=start,
    ), uow)  # fmt: skip
    await _run(pauses.care_pause_started, CarePauseStarted(
        **common, pause_id=care_id, referral_id=referral_id, paused_from=start,
    ), uow)  # fmt: skip
    saved = await uow.plans.get(ref)
    assert saved.status is PlanStatus.PAUSED and set(saved.case_holds) == {
        f"participant:{pause_id}",
        f"care:{care_id}",
    }
    back = TODAY  # the resumption takes effect on its day, today
    await _run(pauses.participant_resumed, ParticipantResumed(
        **common, pause_id=pause_id, reason=PauseReason.CARE, paused_from=start, resumed_on=back,
    ), uow)  # fmt: skip
    assert (await uow.plans.get(ref)).status is PlanStatus.PAUSED
    ended = CarePauseEnded(
        **common, pause_id=care_id, referral_id=referral_id, paused_from=start, ended_on=back
    )
    await _run(pauses.care_pause_ended, ended, uow)
    await _run(pauses.care_pause_ended, ended, uow)  # a redelivery changes nothing
    plan = await uow.plans.get(ref)
    assert plan.status is PlanStatus.ACTIVE and plan.case_holds == {}
    kinds = [type(e) for e in uow.events]
    assert kinds.count(PlanPaused) == 1 and kinds.count(PlanResumed) == 1
    assert kinds.count(ParticipantRemovedFromGroup) == 1  # waits for a group again on resume
    assert PlacementCancelled not in kinds  # none was open
    assert uow.groups.waiting[ref][0] == "no_group_at_level"
