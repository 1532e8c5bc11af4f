"""Placements escalate when not confirmed in time; attendance fills the hours ledger and
low attendance makes a review due; the route completes only after an agreed follow-up."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from zroute_contract.events.support import PlacementConfirmed

from tests.planning.integration.conftest import SUPPORT, TODAY, intake_completed


async def test_an_unconfirmed_placement_escalates_and_a_confirmed_one_does_not(planning):
    late, on_time = intake_completed(), intake_completed()
    await planning.feed(late)
    await planning.feed(on_time)
    [request] = await planning.expect("placement-requested", on_time.participant_ref)
    await planning.feed(
        PlacementConfirmed(
            participant_ref=on_time.participant_ref,
            programme_id=on_time.programme_id,
            placement_id=uuid4(),
            placement_request_id=UUID(request["data"]["placement_request_id"]),
            partner_id="werkplaats-noord",
            employer_id="bakery-west",
            location_id="bakery-west-1",
            activity="workplace_learning",
            starts_on=request["data"]["needed_by"],
            hours_per_week=request["data"]["hours_per_week"],
        ),
        source=SUPPORT,
    )
    [late_request] = await planning.expect("placement-requested", late.participant_ref)
    needed_by = late_request["data"]["needed_by"]
    assert needed_by >= str(TODAY + timedelta(days=42))  # the configured lead time
    await planning.runtime.advance_clock(timedelta(days=200))
    escalations = await planning.expect("placement-escalated", late.participant_ref, 3)
    assert [e["data"]["level"] for e in escalations] == [1, 2, 3]
    assert escalations[0]["data"]["needed_by"] == needed_by
    assert planning.events("placement-escalated", on_time.participant_ref) == []


async def test_a_placement_needed_too_soon_is_refused(planning):
    intake = intake_completed()
    await planning.feed(intake)
    response = await planning.http.post(
        f"/participants/{intake.participant_ref}/placements",
        json={
            "activity": "volunteering",
            "needed_by": str(TODAY + timedelta(days=5)),
            "hours_per_week": 4,
        },
    )
    assert response.status_code == 422
    assert "notice" in response.json()["error"]


def _session(day, status, kind="language", minutes=120):
    return {
        "session_id": str(uuid4()),
        "session_on": str(day),
        "kind": kind,
        "teaching_form": "classroom",
        "status": status,
        "minutes": minutes,
    }


async def test_attendance_fills_the_ledger_and_low_attendance_makes_a_review_due(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.feed(intake)
    await planning.runtime.advance_clock(timedelta(days=21))
    day = TODAY + timedelta(days=15)
    statuses = ["present", "absent_without_reason", "absent_with_reason", "absent_without_reason"]
    for i, status in enumerate(statuses):
        body = _session(day + timedelta(days=i), status)
        response = await planning.http.post(f"/participants/{ref}/attendance", json=body)
        assert response.status_code == 201, response.text
    again = await planning.http.post(f"/participants/{ref}/attendance", json=body)
    assert again.status_code == 201
    changed = await planning.http.post(
        f"/participants/{ref}/attendance", json=body | {"status": "present"}
    )
    assert changed.status_code == 409
    recorded = await planning.expect("attendance-recorded", ref, 4)
    assert [e["data"]["hours"] for e in recorded] == [2.0, 0.0, 0.0, 0.0]
    hours = (await planning.http.get(f"/participants/{ref}/hours")).json()
    assert hours["hours"]["language"] == 2.0 and hours["attendance_percentage"] == 25

    [due] = await planning.expect("progress-review-due", ref)
    assert due["data"]["trigger"] == "low_attendance"
    assert due["data"]["attendance_percentage"] == 25
    outcome = await planning.http.post(
        f"/participants/{ref}/reviews/{due['data']['review_id']}/outcome",
        json={"held_on": str(TODAY + timedelta(days=21)), "outcome": "plan_adjusted"},
    )
    assert outcome.status_code == 200, outcome.text
    [held] = await planning.expect("progress-review-recorded", ref)
    assert held["data"]["outcome"] == "plan_adjusted"
    assert held["data"]["hours_to_date"]["language"] == 2.0

    await planning.runtime.advance_clock(timedelta(days=91))
    reviews = await planning.expect("progress-review-due", ref, 2)
    assert reviews[1]["data"]["trigger"] == "scheduled"


async def test_the_route_completes_only_after_a_follow_up_with_agreements(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.feed(intake)
    refused = await planning.http.post(f"/participants/{ref}/completion")
    assert refused.status_code == 409
    assert "follow-up" in refused.json()["error"]
    assert planning.events("route-completed", ref) == []

    for _ in range(3):  # two and a half years on, the follow-up falls due
        await planning.runtime.advance_clock(timedelta(days=330))
    [due] = await planning.expect("follow-up-due", ref)
    assert due["data"]["agree_by"] <= due["data"]["planned_end"]

    empty = await planning.http.put(
        f"/participants/{ref}/follow-up",
        json={
            "follow_up_type": "volunteering",
            "partner_id": "vrijwilligers-centrale",
            "starts_on": "2030-01-01",
            "agreements": [],
        },
    )
    assert empty.status_code == 422
    agreed = await planning.http.put(
        f"/participants/{ref}/follow-up",
        json={
            "follow_up_type": "volunteering",
            "partner_id": "vrijwilligers-centrale",
            "starts_on": "2030-01-01",
            "agreements": [
                {"task": "warm_handover", "partner_id": "language-school", "due_on": "2029-12-01"}
            ],
        },
    )
    assert agreed.status_code == 200, agreed.text
    await planning.expect("follow-up-agreed", ref)
    done = await planning.http.post(f"/participants/{ref}/completion")
    assert done.status_code == 200, done.text
    [completed] = await planning.expect("route-completed", ref)
    assert completed["data"]["follow_up_id"] == agreed.json()["follow_up_id"]
    assert completed["data"]["targets_met"] is False
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["status"] == "completed"
