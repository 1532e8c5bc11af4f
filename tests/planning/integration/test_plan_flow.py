"""Events in to events out: activation, the preconditions gate, pause and resume,
withdrawal, placements, reviews, follow-up and completion."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from zroute_contract.events.codes import PreconditionKind, Route
from zroute_contract.events.intake import ParticipantWithdrawn

from tests.planning.events import pip_established, term_extended
from tests.planning.integration.conftest import (
    SUPPORT,
    TODAY,
    arranged,
    intake_completed,
    lapsed,
)


async def test_a_completed_intake_alone_waits_for_the_pip_and_a_term_extension_moves_the_end(
    planning,
):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.feed(intake)
    await planning.barrier()
    assert planning.events("plan-activated", ref) == []
    await planning.feed(pip_established(ref))
    [activated] = await planning.expect("plan-activated", ref)
    assert activated["data"]["integration_term_end"] == "2030-01-11"
    await planning.feed(term_extended(ref, date(2030, 7, 11)))
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["integration_term_end"] == "2030-07-11"


async def test_a_completed_z_route_intake_activates_a_plan_with_targets_modules_and_term(
    planning,
):
    intake = intake_completed()
    await planning.activate(intake)
    [activated] = await planning.expect("plan-activated", intake.participant_ref)
    data = activated["data"]
    assert data["targets"] == {
        "total": 1600.0,
        "language": 700.0,
        "participation": 700.0,
        "knm": 100.0,
        "map": 100.0,
    }
    assert data["modules"][:4] == ["language", "knm", "map", "pvt"]
    assert "digital_skills" in data["modules"]
    # The term runs from the day after the PIP's date (2027-01-11), not from the intake.
    assert data["integration_term_start"] == "2027-01-12"
    assert data["integration_term_end"] == "2030-01-11"
    assert data["norm"]["course_hours"] == 800 and data["norm"]["participation_hours"] == 800
    assert data["start_on"] == str(TODAY + timedelta(days=14))
    assert data["targets_fit_term"] is True
    [schedule] = await planning.expect("schedule-published", intake.participant_ref)
    assert schedule["data"]["phase"] == 1
    [placement] = await planning.expect("placement-requested", intake.participant_ref)
    assert placement["data"]["activity"] == "workplace_learning"


async def test_another_route_activates_no_plan(planning):
    intake = intake_completed(route=Route.B1_ROUTE)
    await planning.activate(intake)
    response = await planning.http.get(f"/participants/{intake.participant_ref}/plan")
    assert response.status_code == 404


async def test_no_start_date_until_childcare_and_transport_are_both_arranged(planning):
    intake = intake_completed(childcare=True, transport=True)
    ref = intake.participant_ref
    await planning.activate(intake)
    [activated] = await planning.expect("plan-activated", ref)
    assert activated["data"].get("start_on") is None
    assert sorted(activated["data"]["waiting_for"]) == ["childcare", "transport"]
    [waiting] = await planning.expect("participant-waitlisted", ref)
    assert waiting["data"]["reason"] == "precondition_missing"

    await planning.feed(arranged(ref, PreconditionKind.CHILDCARE), source=SUPPORT)
    await planning.barrier()
    assert planning.events("plan-start-scheduled", ref) == []
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["waiting_for"] == ["transport"] and plan["start_on"] is None

    await planning.feed(arranged(ref, PreconditionKind.TRANSPORT), source=SUPPORT)
    [started] = await planning.expect("plan-start-scheduled", ref)
    assert started["data"]["start_on"] == str(TODAY + timedelta(days=14))


async def test_a_precondition_arranged_before_the_intake_arrives_counts(planning):
    intake = intake_completed(transport=True)
    await planning.feed(
        arranged(intake.participant_ref, PreconditionKind.TRANSPORT), source=SUPPORT
    )
    await planning.activate(intake)
    [activated] = await planning.expect("plan-activated", intake.participant_ref)
    assert activated["data"]["start_on"] is not None


async def test_a_lapsed_precondition_pauses_the_plan_visibly_and_arranging_it_resumes(planning):
    intake = intake_completed(childcare=True)
    ref = intake.participant_ref
    childcare = uuid4()
    await planning.activate(intake)
    await planning.feed(arranged(ref, PreconditionKind.CHILDCARE, childcare), source=SUPPORT)
    await planning.expect("plan-start-scheduled", ref)

    await planning.runtime.advance_clock(timedelta(days=30))
    await planning.feed(
        lapsed(ref, PreconditionKind.CHILDCARE, childcare, TODAY + timedelta(30)), source=SUPPORT
    )
    [paused] = await planning.expect("plan-paused", ref)
    assert paused["data"]["reason"] == "precondition_lapsed"
    assert paused["data"]["preconditions"] == ["childcare"]
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["status"] == "paused" and plan["waiting_for"] == ["childcare"]
    [cancelled] = await planning.expect("placement-cancelled", ref)
    assert cancelled["data"]["reason"] == "plan_paused"
    waiting = (await planning.http.get("/waiting-list")).json()
    assert {"participant_ref": ref, "reason": "precondition_missing"}.items() <= next(
        w for w in waiting if w["participant_ref"] == ref
    ).items()

    await planning.runtime.advance_clock(timedelta(days=600))
    await planning.feed(arranged(ref, PreconditionKind.CHILDCARE), source=SUPPORT)
    [resumed] = await planning.expect("plan-resumed", ref)
    assert resumed["data"]["resumed_on"] == str(TODAY + timedelta(days=630))
    # The workplace is asked for again, with the lead time from today.
    requests = await planning.expect("placement-requested", ref, 2)
    assert requests[1]["data"]["needed_by"] >= str(TODAY + timedelta(days=630 + 42))
    # Twenty months lost: the course hours (NT2 and KNM together, B 3.14) no longer fit
    # the term, and that is flagged.
    [at_risk] = await planning.expect("plan-at-risk", ref)
    projected = at_risk["data"]["projected"]
    assert projected["language"] + projected["knm"] < 800


async def test_withdrawal_removes_from_the_group_stops_timers_and_cancels_placements(planning):
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)
    response = await planning.http.post("/group-formations", json={})
    assert response.status_code == 200, response.text
    assert response.json()["groups_formed"] == 1
    [formed] = await planning.expect("group-formed")
    leaving = intakes[0].participant_ref
    assert leaving in formed["data"]["members"]

    await planning.feed(
        ParticipantWithdrawn(
            participant_ref=leaving,
            programme_id=intakes[0].programme_id,
            reason="moved",
            effective_on=TODAY,
        )
    )
    [removed] = await planning.expect("participant-removed-from-group", leaving)
    assert removed["data"]["reason"] == "withdrawn"
    [cancelled] = await planning.expect("placement-cancelled", leaving)
    assert cancelled["data"]["reason"] == "participant_withdrawn"
    pending = await planning.runtime.pool.fetch(
        "SELECT payload FROM zr_timers WHERE fired_at IS NULL AND cancelled_at IS NULL"
    )
    pending = [p for (p,) in pending if leaving in str(p)]
    assert pending == []
    group = (await planning.http.get(f"/groups/{formed['data']['group_id']}")).json()
    assert leaving not in group["members"]

    # A year on nothing fires for the withdrawn participant.
    await planning.runtime.advance_clock(timedelta(days=365))
    await planning.expect("progress-review-due", intakes[1].participant_ref)
    assert planning.events("progress-review-due", leaving) == []
    assert planning.events("placement-escalated", leaving) == []
