"""Placements: the responsible participation partner confirms a workplace through the API,
a job coach comes with it, the employer is a contact, check-ins are recorded; capacity
and declines move the request to the next capable partner."""

from __future__ import annotations

import uuid
from datetime import date

from zroute_contract.events.codes import (
    DayPart,
    ParticipationActivity,
    PlacementCancelReason,
    PlacementSupport,
    Weekday,
)
from zroute_contract.events.parts import AvailabilitySlot
from zroute_contract.events.planning import (
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
)

from tests.support.scenario import PROGRAMME, Scenario


def requested(ref: str, *, programme_id: str = PROGRAMME) -> PlacementRequested:
    return PlacementRequested(
        participant_ref=ref,
        programme_id=programme_id,
        placement_request_id=uuid.uuid4(),
        activity=ParticipationActivity.WORK_EXPERIENCE,
        needed_by=date(2027, 3, 1),
        hours_per_week=8,
        availability=(AvailabilitySlot(weekday=Weekday.TUESDAY, day_part=DayPart.MORNING),),
        support_needs=(PlacementSupport.JOB_COACH,),
    )


CONFIRM = {
    "employer_id": "bakery-de-ster",
    "location_id": "bakery-west",
    "starts_on": "2027-03-01",
    "hours_per_week": 8,
    "job_coach": {"staff_ref": "coach-7"},
}


async def test_a_confirmed_placement_gets_its_job_coach_and_check_ins(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    work_a = scenario.partner("work-a")
    [listed] = [p for p in (await work_a.get("/placements")).json() if p["participant_ref"] == ref]
    assert listed["status"] == "open" and listed["partner_id"] == "work-a"
    rid = request.placement_request_id

    assert (
        await scenario.partner("work-b").post(f"/placements/{rid}/confirm", json=CONFIRM)
    ).status_code == 403
    confirmed = await work_a.post(f"/placements/{rid}/confirm", json=CONFIRM)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["status"] == "confirmed"
    assert body["job_coach"] == {"staff_ref": "coach-7", "partner_id": "coaches"}

    [placement] = await scenario.emitted("placement-confirmed", participant_ref=ref)
    assert placement["data"]["employer_id"] == "bakery-de-ster"
    [coach] = await scenario.emitted("job-coach-assigned", participant_ref=ref)
    assert coach["data"]["placement_id"] == placement["data"]["placement_id"]
    assert coach["data"]["partner_id"] == "coaches"
    assert coach["data"]["employer_id"] == "bakery-de-ster"  # the employer is supported too

    coaches = scenario.partner("coaches")
    assert (await coaches.get(f"/placements/{rid}")).status_code == 200
    for party in ("participant", "employer"):
        response = await coaches.post(
            f"/placements/{rid}/check-ins",
            json={"party": party, "held_on": "2027-03-08", "outcome": "on_track"},
        )
        assert response.status_code == 201, response.text
    check_ins = await scenario.emitted("job-coach-check-in-recorded", 2, participant_ref=ref)
    assert {c["data"]["party"] for c in check_ins} == {"participant", "employer"}
    assert {c["data"]["job_coach"] for c in check_ins} == {"coach-7"}
    assert (
        await scenario.runtime.pool.fetchval(
            "SELECT count(*) FROM support_employers WHERE employer_id = 'bakery-de-ster'"
        )
        == 1
    )


async def test_a_job_coach_partner_without_the_capability_is_refused(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    body = CONFIRM | {"job_coach": {"staff_ref": "coach-7", "partner_id": "school"}}
    response = await scenario.partner("work-a").post(
        f"/placements/{request.placement_request_id}/confirm", json=body
    )
    assert response.status_code == 422
    assert "lacks the capability job_coaching" in response.json()["error"]


async def test_a_full_partner_gets_no_placement_and_a_decline_moves_it_on(scenario):
    await scenario.setup(capacity={"work-a": {"participation_workplaces": 0}})
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    rid = request.placement_request_id
    placement = (await scenario.client().get(f"/placements/{rid}")).json()
    assert placement["partner_id"] == "work-b"  # work-a is at capacity

    declined = await scenario.partner("work-b").post(
        f"/placements/{rid}/decline", json={"reason": "no_workplace_available"}
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "waiting"
    assert "at capacity" in declined.json()["waiting_reason"]
    [event] = await scenario.emitted("placement-declined", participant_ref=ref)
    assert event["data"]["rerouting"] is False
    waiting = (await scenario.client().get("/waiting-list")).json()
    assert [w["kind"] for w in waiting if w["participant_ref"] == ref] == ["placement"]


async def test_planning_escalations_and_cancellations_reach_the_placement(scenario):
    await scenario.setup(capacity={"work-a": {"participation_workplaces": 1}})
    ref = await scenario.participant()
    first, second = requested(ref), requested(ref)
    await scenario.feed(first)
    await scenario.feed(second)
    coordinator = scenario.client()
    assert (await coordinator.get(f"/placements/{second.placement_request_id}")).json()[
        "partner_id"
    ] == "work-b"
    await scenario.feed(
        PlacementEscalated(participant_ref=ref, programme_id=PROGRAMME,
                           placement_request_id=first.placement_request_id,
                           needed_by=date(2027, 3, 1), escalated_on=date(2027, 2, 20), level=2)
    )  # fmt: skip
    escalated = (await coordinator.get(f"/placements/{first.placement_request_id}")).json()
    assert escalated["escalation_level"] == 2
    await scenario.feed(
        PlacementCancelled(participant_ref=ref, programme_id=PROGRAMME,
                           placement_request_id=first.placement_request_id,
                           reason=PlacementCancelReason.PLAN_CHANGED)
    )  # fmt: skip
    cancelled = (await coordinator.get(f"/placements/{first.placement_request_id}")).json()
    assert cancelled["status"] == "cancelled"


async def test_a_job_coach_can_be_handed_over(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    rid = request.placement_request_id
    assert (
        await scenario.partner("work-a").post(f"/placements/{rid}/confirm", json=CONFIRM)
    ).status_code == 200
    handed = await scenario.partner("coaches").post(f"/placements/{rid}/job-coach",
                                                    json={"staff_ref": "coach-9"})  # fmt: skip
    assert handed.status_code == 200, handed.text
    assert handed.json()["job_coach"] == {"staff_ref": "coach-9", "partner_id": "coaches"}
    assigned = await scenario.emitted("job-coach-assigned", 2, participant_ref=ref)
    assert [a["data"]["job_coach"] for a in assigned] == ["coach-7", "coach-9"]
    stranger = await scenario.partner("school").get(f"/placements/{rid}")
    assert stranger.status_code == 403
