"""The fast handler tier: planning's handlers on a fake unit of work and fake
repositories, no broker and no database (the same rules are proven for real in
tests/planning/integration)."""

from __future__ import annotations

from uuid import uuid4

import pytest
from zroute_contract.events.codes import PreconditionKind
from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.events.support import PlacementConfirmed, PlacementDeclined
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.service_layer import registry_handlers, support_handlers
from zroute_planning.service_layer.deps import Deps
from zroute_runtime.messagebus import Unprocessable

from tests.planning.events import PROGRAMME, TODAY, arranged, intake_completed, lapsed
from tests.planning.unit.fakes import FakeContext, FakePlacements, FakeUnitOfWork

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


def _waiting_plan(*, childcare: bool, transport: bool) -> Plan:
    intake = intake_completed(childcare=childcare, transport=transport)
    return Plan.activate(intake, DEPS.rules, today=TODAY, term_start=TODAY, arranged=set())


async def test_a_confirmation_of_an_unknown_placement_request_is_unprocessable():
    uow = FakeUnitOfWork()
    with pytest.raises(Unprocessable):
        await support_handlers.placement_confirmed(_confirmed(uuid4()), FakeContext(uow), DEPS)


async def test_a_confirmation_marks_the_request_confirmed_and_causes_no_event():
    request = uuid4()
    uow = FakeUnitOfWork(placements=FakePlacements(request))
    await support_handlers.placement_confirmed(_confirmed(request), FakeContext(uow), DEPS)
    assert uow.placements.status[request] == "confirmed"
    assert uow.events == []


async def test_a_decline_of_an_answered_request_is_known_and_leaves_it_as_it_is():
    request = uuid4()
    uow = FakeUnitOfWork(placements=FakePlacements(request))
    uow.placements.status[request] = "confirmed"
    await support_handlers.placement_declined(_declined(request), FakeContext(uow), DEPS)
    assert uow.placements.status[request] == "confirmed"
    with pytest.raises(Unprocessable):
        await support_handlers.placement_declined(_declined(uuid4()), FakeContext(uow), DEPS)


async def test_a_precondition_for_a_participant_without_a_plan_is_kept_for_the_activation():
    uow = FakeUnitOfWork()
    event = arranged(intake_completed().participant_ref, PreconditionKind.CHILDCARE)
    await support_handlers.precondition_arranged(event, FakeContext(uow), DEPS)
    assert uow.records.preconditions[event.precondition_id][2] is True
    assert uow.plans.saved == [] and uow.events == []


async def test_one_of_two_preconditions_arranged_keeps_the_plan_waiting_and_saves_it_once():
    plan = _waiting_plan(childcare=True, transport=True)
    uow = FakeUnitOfWork(plan)
    event = arranged(plan.participant_ref, PreconditionKind.CHILDCARE)
    await support_handlers.precondition_arranged(event, FakeContext(uow), DEPS)
    assert plan.status is PlanStatus.WAITING
    assert plan.missing == (PreconditionKind.TRANSPORT,)
    assert uow.plans.saved == [plan]
    assert uow.events == []


async def test_a_lapse_while_another_arrangement_of_the_kind_holds_changes_nothing():
    plan = _waiting_plan(childcare=True, transport=True)
    uow = FakeUnitOfWork(plan)
    ref = plan.participant_ref
    kept = arranged(ref, PreconditionKind.CHILDCARE)
    await support_handlers.precondition_arranged(kept, FakeContext(uow), DEPS)
    ending = arranged(ref, PreconditionKind.CHILDCARE)
    await support_handlers.precondition_arranged(ending, FakeContext(uow), DEPS)
    saved = len(uow.plans.saved)
    event = lapsed(ref, PreconditionKind.CHILDCARE, ending.precondition_id, TODAY)
    await support_handlers.precondition_lapsed(event, FakeContext(uow), DEPS)
    assert PreconditionKind.CHILDCARE in plan.arranged
    assert len(uow.plans.saved) == saved and uow.events == []


async def test_a_registered_participant_is_recorded_with_the_municipality():
    uow = FakeUnitOfWork()
    ref = intake_completed().participant_ref
    event = ParticipantRegistered(
        participant_ref=ref,
        programme_id=PROGRAMME,
        municipality="GM0363",
        registered_on=TODAY,
        preferred_language="nl",
        interpreter_needed=False,
    )
    await registry_handlers.participant_registered(event, FakeContext(uow), DEPS)
    assert uow.records.participants[ref] == (PROGRAMME, "GM0363")
