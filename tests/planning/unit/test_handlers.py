"""The fast handler tier: planning's handlers on a fake unit of work and fake
repositories, no broker and no database (the same rules are proven for real in
tests/planning/integration)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from zroute_contract.events.codes import (
    AttendanceStatus,
    CorrectionReason,
    HoursKind,
    PreconditionKind,
    Route,
    TeachingForm,
    WaitReason,
)
from zroute_contract.events.intake import IntakeCorrected, ParticipantRegistered, PipHoursNorm
from zroute_contract.events.support import PlacementConfirmed, PlacementDeclined
from zroute_planning.domain.commands import RecordRollCall
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.hours_norm import NormRules
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.roll_call import AbsenceReason, Mark
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import intake as intake_handlers
from zroute_planning.service_layer.handlers import ledger, registry, support
from zroute_runtime.messagebus import AwaitingPredecessor, Unprocessable

from tests.fakes import FakeUnitOfWork
from tests.planning.events import (
    PIP_DATED,
    PROGRAMME,
    TODAY,
    arranged,
    final_meeting_held,
    intake_completed,
    lapsed,
    pip_established,
    term_extended,
)
from tests.planning.unit.fakes import FakeContext, FakePlacements, planning_uow

DEPS = Deps(PlanningRules(), "taalhuis-west")


def _confirmed(request_id):
    return PlacementConfirmed(
        participant_ref=intake_completed().participant_ref,
        programme_id=PROGRAMME,
        placement_id=uuid4(),
        placement_request_id=request_id,
        partner_id="werkplaats-noord",
        employer_id="bakery-west",
        location_id="bakery-west-1",
        activity="workplace_learning",
        starts_on=TODAY,
        hours_per_week=8,
    )


def _declined(request_id):
    return PlacementDeclined(
        participant_ref=intake_completed().participant_ref,
        programme_id=PROGRAMME,
        placement_request_id=request_id,
        partner_id="werkplaats-noord",
        reason="no_capacity",
        rerouting=False,
    )


async def _handle(handler, event, uow: FakeUnitOfWork) -> None:
    """Run a handler the way the consumer does: in the unit of work, then commit."""
    await handler(event, FakeContext(uow), DEPS)
    await uow.commit()


async def _activate(intake, uow: FakeUnitOfWork) -> None:
    """Complete the intake, then establish its PIP (which activates a Z-route plan)."""
    await _handle(intake_handlers.activate_plan, intake, uow)
    await _handle(
        intake_handlers.activate_from_pip,
        pip_established(intake.participant_ref, route=intake.route),
        uow,
    )


def _waiting_plan(*, childcare: bool, transport: bool) -> Plan:
    intake = intake_completed(childcare=childcare, transport=transport)
    return Plan.activate(intake, DEPS.rules, today=TODAY, term_start=TODAY, arranged=set())


async def test_a_confirmation_of_an_unknown_placement_request_is_unprocessable():
    uow = planning_uow()
    with pytest.raises(Unprocessable):
        await _handle(support.placement_confirmed, _confirmed(uuid4()), uow)


async def test_a_confirmation_marks_the_request_confirmed_and_causes_no_event():
    request = uuid4()
    uow = planning_uow(placements=FakePlacements(request))
    await _handle(support.placement_confirmed, _confirmed(request), uow)
    assert uow.placements.status[request] == "confirmed"
    assert uow.events == []


async def test_a_decline_of_an_answered_request_is_known_and_leaves_it_as_it_is():
    request = uuid4()
    uow = planning_uow(placements=FakePlacements(request))
    uow.placements.status[request] = "confirmed"
    await _handle(support.placement_declined, _declined(request), uow)
    assert uow.placements.status[request] == "confirmed"
    with pytest.raises(Unprocessable):
        await _handle(support.placement_declined, _declined(uuid4()), uow)


async def test_a_precondition_for_a_participant_without_a_plan_is_kept_for_the_activation():
    uow = planning_uow()
    event = arranged(intake_completed().participant_ref, PreconditionKind.CHILDCARE)
    await _handle(support.precondition_arranged, event, uow)
    assert uow.records.preconditions[event.precondition_id][2] is True
    assert uow.plans.saved == [] and uow.events == []


async def test_one_of_two_preconditions_arranged_keeps_the_plan_waiting_and_saves_it_once():
    plan = _waiting_plan(childcare=True, transport=True)
    uow = planning_uow(plan)
    event = arranged(plan.participant_ref, PreconditionKind.CHILDCARE)
    await _handle(support.precondition_arranged, event, uow)
    assert plan.status is PlanStatus.WAITING
    assert plan.missing == (PreconditionKind.TRANSPORT,)
    assert uow.plans.saved == [plan]
    assert uow.events == []


async def test_a_lapse_while_another_arrangement_of_the_kind_holds_changes_nothing():
    plan = _waiting_plan(childcare=True, transport=True)
    uow = planning_uow(plan)
    ref = plan.participant_ref
    kept = arranged(ref, PreconditionKind.CHILDCARE)
    await _handle(support.precondition_arranged, kept, uow)
    ending = arranged(ref, PreconditionKind.CHILDCARE)
    await _handle(support.precondition_arranged, ending, uow)
    saved = len(uow.plans.saved)
    event = lapsed(ref, PreconditionKind.CHILDCARE, ending.precondition_id, TODAY)
    await _handle(support.precondition_lapsed, event, uow)
    assert PreconditionKind.CHILDCARE in plan.arranged
    assert len(uow.plans.saved) == saved and uow.events == []


async def test_a_registered_participant_is_recorded_with_the_municipality():
    uow = planning_uow()
    ref = intake_completed().participant_ref
    event = ParticipantRegistered(
        participant_ref=ref,
        programme_id=PROGRAMME,
        municipality="GM0363",
        registered_on=TODAY,
        preferred_language="nl",
        interpreter_needed=False,
    )
    await _handle(registry.participant_registered, event, uow)
    assert uow.records.participants[ref] == (PROGRAMME, "GM0363")


def _names(events) -> list[str]:
    return [type(e).__name__ for e in events]


async def test_the_activation_saves_the_plan_once_and_yields_its_events_in_order():
    uow = planning_uow()
    intake = intake_completed()
    await _activate(intake, uow)
    [plan] = uow.plans.saved
    assert plan.status is PlanStatus.ACTIVE
    assert _names(uow.events) == [
        "PlanActivated",
        "ParticipantWaitlisted",
        "SchedulePublished",
        "PlacementRequested",
    ]
    activated, waitlisted, week, placement = uow.events
    assert activated.targets_fit_term is True and activated.start_on == plan.start_on
    assert waitlisted.reason is WaitReason.NO_GROUP_AT_LEVEL
    assert uow.records.schedules[plan.plan_id][0] == week.phase == 1
    assert placement.placement_request_id in uow.placements.status
    assert ("progress-review", str(plan.plan_id)) in uow.timers.pending
    assert ("follow-up-due", str(plan.plan_id)) in uow.timers.pending
    assert uow.committed == 2  # one for the held intake, one for the PIP's activation


async def test_an_activation_whose_targets_do_not_fit_flags_the_plan_at_risk_in_its_one_save():
    # A course part of the norm no term can hold (B 3.14's numbers are configuration).
    rules = PlanningRules(norm=NormRules(course_hours=Decimal(9000)))
    uow = planning_uow()
    intake = intake_completed()
    deps = Deps(rules, "taalhuis-west")
    await intake_handlers.activate_plan(intake, FakeContext(uow), deps)
    await intake_handlers.activate_from_pip(
        pip_established(intake.participant_ref), FakeContext(uow), deps
    )
    await uow.commit()
    [plan] = uow.plans.saved
    assert plan.at_risk is True
    assert _names(uow.events) == [
        "PlanActivated",
        "PlanAtRisk",
        "ParticipantWaitlisted",
        "SchedulePublished",
        "PlacementRequested",
    ]
    assert uow.events[0].targets_fit_term is False


async def test_a_course_norm_out_of_reach_flags_the_plan_at_risk():
    uow = planning_uow()
    intake = intake_completed()
    deps = Deps(PlanningRules(norm=NormRules(course_hours=Decimal(5000))), "taalhuis-west")
    await intake_handlers.activate_plan(intake, FakeContext(uow), deps)
    await intake_handlers.activate_from_pip(
        pip_established(intake.participant_ref), FakeContext(uow), deps
    )
    await uow.commit()
    assert uow.events[0].targets_fit_term is False
    assert uow.events[0].norm.course_hours == 5000


async def test_an_activation_that_waits_for_preconditions_waitlists_and_saves_once():
    uow = planning_uow()
    await _activate(intake_completed(childcare=True), uow)
    [plan] = uow.plans.saved
    assert plan.status is PlanStatus.WAITING and plan.start_on is None
    assert _names(uow.events) == ["PlanActivated", "ParticipantWaitlisted"]
    assert uow.events[0].waiting_for == (PreconditionKind.CHILDCARE,)
    assert uow.events[1].reason is WaitReason.PRECONDITION_MISSING
    assert uow.records.schedules == {} and uow.timers.pending == {}


async def test_a_repeated_completion_leaves_the_plan_as_it_is():
    uow = planning_uow()
    intake = intake_completed()
    await _activate(intake, uow)
    await _activate(intake, uow)
    assert len(uow.plans.saved) == 1
    assert _names(uow.events).count("PlanActivated") == 1


async def test_another_route_activates_no_plan():
    uow = planning_uow()
    await _activate(intake_completed(route=Route.B1_ROUTE), uow)
    assert uow.plans.saved == [] and uow.events == []


async def test_a_completed_intake_alone_activates_no_plan_until_its_pip_is_established():
    uow = planning_uow()
    intake = intake_completed()
    await _handle(intake_handlers.activate_plan, intake, uow)
    assert uow.plans.saved == [] and uow.events == []
    await _handle(intake_handlers.activate_from_pip, pip_established(intake.participant_ref), uow)
    [plan] = uow.plans.saved
    activated = uow.events[0]
    # The term runs from the day after the PIP's date (W 11), not from the intake.
    assert plan.term_start == activated.integration_term_start == PIP_DATED + timedelta(days=1)
    assert activated.integration_term_end == plan.term_end
    assert plan.term_end == PIP_DATED.replace(year=PIP_DATED.year + 3)
    assert intake.participant_ref not in uow.records.held


async def test_a_pip_before_its_intake_outcome_waits_for_it():
    uow = planning_uow()
    with pytest.raises(AwaitingPredecessor):
        await intake_handlers.activate_from_pip(
            pip_established(intake_completed().participant_ref), FakeContext(uow), DEPS
        )
    assert uow.plans.saved == []


async def test_a_pip_of_another_route_activates_no_plan():
    uow = planning_uow()
    intake = intake_completed()
    await _handle(intake_handlers.activate_plan, intake, uow)
    pip = pip_established(intake.participant_ref, route=Route.B1_ROUTE)
    await _handle(intake_handlers.activate_from_pip, pip, uow)
    assert uow.plans.saved == [] and uow.events == []


async def test_only_a_recorded_extension_moves_the_term_end():
    uow = planning_uow()
    intake = intake_completed()
    await _activate(intake, uow)
    [plan] = uow.plans.saved
    end = plan.term_end
    corrected = IntakeCorrected(
        **intake.model_dump(exclude={"completed_on"}),
        corrected_on=TODAY + timedelta(days=30),
        reason=CorrectionReason.DATA_ENTRY_ERROR,
    )
    await _handle(intake_handlers.correct_intake, corrected, uow)
    assert plan.term_end == end
    later = end + timedelta(days=180)
    await _handle(intake_handlers.extend_term, term_extended(intake.participant_ref, later), uow)
    assert plan.term_end == later and plan.term_start == PIP_DATED + timedelta(days=1)


async def test_the_pips_norm_is_the_plans_and_a_family_migrant_has_course_hours_only():
    uow = planning_uow()
    intake = intake_completed()
    await _handle(intake_handlers.activate_plan, intake, uow)
    norm = PipHoursNorm(family_migrant=True, credited_course_hours=40)
    pip = pip_established(intake.participant_ref, hours_norm=norm)
    await _handle(intake_handlers.activate_from_pip, pip, uow)
    activated = uow.events[0]
    assert activated.norm.course_hours == 800 and activated.norm.participation_hours == 0
    assert activated.norm.credited_course_hours == 40


async def test_a_final_meeting_before_the_plan_waits_for_the_pip_and_one_without_a_route_is_ignored():
    uow = planning_uow()
    intake = intake_completed()
    await _handle(intake_handlers.activate_plan, intake, uow)
    with pytest.raises(AwaitingPredecessor):
        await _handle(
            intake_handlers.final_meeting_held, final_meeting_held(intake.participant_ref), uow
        )
    stranger = final_meeting_held(intake_completed().participant_ref)
    await _handle(intake_handlers.final_meeting_held, stranger, uow)
    assert uow.plans.saved == [] and uow.events == []


async def test_the_final_meeting_is_recorded_on_the_plan_once_and_causes_no_event():
    uow = planning_uow()
    intake = intake_completed()
    await _activate(intake, uow)
    [plan] = uow.plans.saved
    before = len(uow.events)
    held = final_meeting_held(intake.participant_ref, TODAY + timedelta(days=700))
    await _handle(intake_handlers.final_meeting_held, held, uow)
    await _handle(intake_handlers.final_meeting_held, held, uow)  # delivered twice
    assert plan.final_meeting_on == TODAY + timedelta(days=700)
    assert uow.plans.saved == [plan, plan] and len(uow.events) == before


def test_a_z_route_plan_is_completed_only_after_the_final_meeting():
    plan = _started_plan()
    hours = dict.fromkeys(HoursKind, 0.0)
    with pytest.raises(PlanError, match="final meeting"):
        plan.complete(on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4())
    assert plan.status is PlanStatus.ACTIVE and plan.events == []
    assert plan.final_meeting_held(TODAY) and not plan.final_meeting_held(TODAY)
    # 0 hours: completed on the municipality's decision that waives the targets.
    plan.complete(on=TODAY, hours=hours, rules=DEPS.rules, follow_up_id=uuid4(), waiver_id=uuid4())
    assert plan.status is PlanStatus.COMPLETED
    assert not plan.final_meeting_held(TODAY + timedelta(days=1))  # a closed plan stays


def _started_plan() -> Plan:
    plan = Plan.activate(
        intake_completed(), DEPS.rules, today=TODAY, term_start=TODAY, arranged=set()
    )
    assert plan.start_on == TODAY + timedelta(days=14)
    return plan


def _roll_call(*marks: Mark, day=TODAY + timedelta(days=15)) -> RecordRollCall:
    return RecordRollCall(
        session_id=uuid4(),
        session_on=day,
        group_id=None,
        kind=HoursKind.LANGUAGE,
        form=TeachingForm.CLASSROOM,
        session_minutes=150,
        marks=marks,
    )


async def test_a_roll_call_records_every_line_on_its_plan_and_keeps_an_absence_reason():
    here, ill = _started_plan(), _started_plan()
    uow = planning_uow(here, ill)
    cmd = _roll_call(
        Mark(here.participant_ref, AttendanceStatus.PRESENT, 150),
        Mark(ill.participant_ref, AttendanceStatus.ABSENT_WITH_REASON, 0, AbsenceReason.ILLNESS),
    )
    on = TODAY + timedelta(days=20)
    plans = [await uow.plans.get(p.participant_ref) for p in (here, ill)]  # as the route does
    hours = await ledger.record_roll_call(uow, DEPS, plans, cmd, on=on)
    await uow.commit()
    assert hours == [2.5, 0.0]
    assert _names(uow.events) == ["AttendanceRecorded", "AttendanceRecorded"]
    assert [e.participant_ref for e in uow.events] == [here.participant_ref, ill.participant_ref]
    line = uow.ledger.lines[(cmd.session_id, ill.participant_ref)]
    assert line["absence_reason"] == "illness" and line["minutes"] == 150
    # Not missed by default: the excused absence keeps the attendance whole.
    assert await ledger.attendance(uow, DEPS, ill.participant_ref, on) == (100, 1)
    counted = Deps(PlanningRules(excused_absence_counts_as_missed=True), "taalhuis-west")
    assert await ledger.attendance(uow, counted, ill.participant_ref, on) == (0, 1)


async def test_a_roll_call_with_a_wrong_line_records_nothing_and_names_every_reason():
    plan, other = _started_plan(), _started_plan()
    uow = planning_uow(plan, other)
    cmd = _roll_call(
        Mark(plan.participant_ref, AttendanceStatus.PRESENT, 200),
        Mark(other.participant_ref, AttendanceStatus.ABSENT_WITH_REASON),
    )
    with pytest.raises(InvalidRequest) as refused:
        await ledger.record_roll_call(uow, DEPS, [plan, other], cmd, on=TODAY + timedelta(days=20))
    assert "between 1 and 150" in str(refused.value) and "names its reason" in str(refused.value)
    await uow.commit()
    assert uow.ledger.lines == {} and uow.events == []


async def test_a_roll_call_caps_a_participants_minutes_on_one_day():
    plan = _started_plan()
    uow = planning_uow(plan)
    on = TODAY + timedelta(days=20)
    for _ in range(2):
        cmd = _roll_call(Mark(plan.participant_ref, AttendanceStatus.PRESENT, 150))
        await ledger.record_roll_call(uow, DEPS, [plan], cmd, on=on)
    third = _roll_call(Mark(plan.participant_ref, AttendanceStatus.PRESENT, 150))
    with pytest.raises(InvalidRequest, match="more than 360 minutes"):
        await ledger.record_roll_call(uow, DEPS, [plan], third, on=on)
