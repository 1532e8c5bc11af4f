"""No health detail on any event that is not addressed: every support event type is
produced once, then every public event about a participant is scanned."""

from __future__ import annotations

from datetime import date, timedelta

from zroute_contract.events.base import event_types
from zroute_contract.events.codes import RouteTask, Weekday, WithdrawalReason
from zroute_contract.events.intake import ParticipantWithdrawn
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day

from tests.support.integration.test_interpreters import _meeting
from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.integration.test_preconditions import intake, schedule
from tests.support.integration.test_referrals import referred, signals
from tests.support.scenario import (
    PROGRAMME,
    RESPONSIBLE,
    Scenario,
    assert_no_health_detail_on_public_events,
)

SUPPORT_TYPES = {t for t, cls in event_types().items() if cls.spec.producer == "support"}


async def test_no_public_event_carries_a_health_detail(scenario: Scenario):
    await scenario.setup()
    coordinator, care_a, care_b = (
        scenario.client(),
        scenario.partner("care-a"),
        scenario.partner("care-b"),
    )
    update = {"organisation": "Care A", "municipalities": ["GM0363"],
              "capabilities": ["mental_health_care", "physical_care", "debt_finance"],
              "contact_points": [{"channel": "webhook", "address": "https://care-a.example/in"}]}  # fmt: skip
    assert (await coordinator.put("/partners/care-a", json=update)).status_code == 200

    # referrals: declined and re-routed, on hold, completed; escalated; cancelled
    _, first = await referred(scenario)
    rid = first["data"]["referral_id"]
    assert (
        await care_a.post(f"/referrals/{rid}/decline", json={"reason": "outside_expertise"})
    ).status_code == 200
    [again] = await scenario.emitted("referral-requested", rerouted_from=rid)
    second = again["data"]["referral_id"]
    for step, body in (("accept", None), ("hold", {"reason": "participant_ill"}),
                       ("start", None)):  # fmt: skip
        response = await care_b.post(f"/referrals/{second}/{step}", json=body)
        assert response.status_code == 200, response.text
    # a care pause while the care is under way (issue 17): its kind stays in support
    today = local_day(scenario.runtime.clock.now())
    pause = await coordinator.post(f"/referrals/{second}/care-pauses", json={
        "kind": "admission", "paused_from": str(today - timedelta(days=7))})  # fmt: skip
    assert pause.status_code == 201, pause.text
    ended = await coordinator.post(
        f"/referrals/{second}/care-pauses/{pause.json()['pause_id']}/end",
        json={"ended_on": str(today)},
    )
    assert ended.status_code == 200, ended.text
    await scenario.emitted("care-pause-ended", referral_id=second)
    response = await care_b.post(f"/referrals/{second}/complete", json={
        "successful": False, "service_delivered": False, "reason": "participant_declined"})  # fmt: skip
    assert response.status_code == 200, response.text
    ref, unanswered = await referred(scenario)
    await scenario.runtime.advance_clock(timedelta(days=4))
    await scenario.emitted("referral-escalated", referral_id=unanswered["data"]["referral_id"])
    await scenario.feed(signals(ref))  # the intake withdrew the signal: the referral stops
    await scenario.emitted("referral-cancelled", referral_id=unanswered["data"]["referral_id"])

    # preconditions: arranged, then lapsed by a schedule needing another day
    await scenario.feed(intake(ref, childcare=True, transport=False))
    [task] = (await scenario.partner("kids").get("/preconditions")).json()
    arrange = {"arranged_from": "2027-01-18", "days_covered": ["monday"]}
    assert (await scenario.partner("kids").post(
        f"/preconditions/{task['precondition_id']}/arrange", json=arrange)).status_code == 200  # fmt: skip
    await scenario.feed(schedule(ref, Weekday.MONDAY, Weekday.THURSDAY))
    await scenario.emitted("precondition-lapsed", participant_ref=ref)

    # placements: one declined and re-routed, then confirmed with a coach and a check-in
    request = requested(ref)
    await scenario.feed(request)
    rid2 = request.placement_request_id
    assert (await scenario.partner("work-a").post(f"/placements/{rid2}/decline",
            json={"reason": "no_workplace_available"})).status_code == 200  # fmt: skip
    assert (
        await scenario.partner("work-b").post(f"/placements/{rid2}/confirm", json=CONFIRM)
    ).status_code == 200
    assert (await scenario.partner("coaches").post(f"/placements/{rid2}/check-ins",
            json={"party": "employer", "held_on": "2027-03-02", "outcome": "concerns"})).status_code == 201  # fmt: skip

    # the placement's life cycle: started, changed, ended by the employer (issue 17)
    work_b = scenario.partner("work-b")
    for step, body in (("start", {"started_on": "2027-03-01"}),
                       ("change", {"hours_per_week": 12, "changed_from": "2027-04-01"}),
                       ("end", {"reason": "employer_dropped_out", "ended_on": "2027-05-01"})):  # fmt: skip
        response = await work_b.post(f"/placements/{rid2}/{step}", json=body)
        assert response.status_code == 200, response.text

    # a check-in not made within the placement's rhythm (issue 17)
    late = requested(ref)
    await scenario.feed(late)
    today = local_day(scenario.runtime.clock.now())
    url = f"/placements/{late.placement_request_id}"
    assert (await scenario.partner("work-a").post(
        f"{url}/confirm", json=CONFIRM | {"starts_on": str(today)})).status_code == 200  # fmt: skip
    assert (await scenario.partner("coaches").put(
        f"{url}/check-in-rhythm", json={"every_days": 1})).status_code == 200  # fmt: skip
    await scenario.runtime.advance_clock(timedelta(days=3))
    await scenario.emitted("check-in-overdue", participant_ref=ref)

    # an emergency referral without consent (audited), then reassigned by the coordinator
    override = {"legal_ground": "vital_interest", "reason": "acute crisis"}
    made = await coordinator.post("/referrals", json={
        "participant_ref": ref, "category": "physical_care", "severity": "severe",
        "urgency": "stat", "consent_override": override})  # fmt: skip
    assert made.status_code == 201, made.text
    moved = await coordinator.post(
        f"/referrals/{made.json()['referral']['referral_id']}/reassign",
        json={"partner_id": "care-b", "reason": "expertise"},
    )
    assert moved.status_code == 422, moved.text  # care-b cannot give physical care
    await scenario.emitted("consent-overridden", participant_ref=ref)
    _, third = await referred(scenario)
    moved = await coordinator.post(
        f"/referrals/{third['data']['referral_id']}/reassign",
        json={"partner_id": "care-b", "reason": "expertise"},
    )
    assert moved.status_code == 200, moved.text

    # participant withdrawn: open referrals cancelled
    other, open_one = await referred(scenario)
    await scenario.feed(ParticipantWithdrawn(participant_ref=other, programme_id=PROGRAMME,
                        reason=WithdrawalReason.MOVED, effective_on=date(2027, 1, 31)))  # fmt: skip
    [gone] = await scenario.emitted(
        "referral-cancelled", referral_id=open_one["data"]["referral_id"]
    )
    assert gone["data"]["reason"] == "participant_withdrawn"

    # interpreters for two progress meetings (one confirmed, one declined), and a lead
    # partner of the participant's own (issue 17 item 6)
    await scenario.feed(_meeting(ref, number=1))
    await scenario.feed(_meeting(ref, number=2))
    asked = await scenario.emitted("interpreter-requested", 2, participant_ref=ref)
    desk = scenario.partner(RESPONSIBLE[RouteTask.INTERPRETER])
    first_id, second_id = (a["data"]["request_id"] for a in asked)
    assert (await desk.post(f"/interpreter-requests/{first_id}/confirm")).status_code == 200
    declined = await desk.post(
        f"/interpreter-requests/{second_id}/decline", json={"reason": "too_short_notice"}
    )
    assert declined.status_code == 200, declined.text
    lead = await scenario.client(Role.COORDINATOR).put(
        f"/participants/{ref}/lead-partner",
        json={"partner_id": "work-a", "reason": "main_activity_elsewhere"},
    )
    assert lead.status_code == 200, lead.text
    await scenario.emitted("interpreter-declined", participant_ref=ref)
    await scenario.emitted("lead-partner-set", participant_ref=ref)
    # the confirmed meeting no longer needs an interpreter: withdrawn from the partner
    await scenario.feed(_meeting(ref, number=1, needed=False))
    await scenario.emitted("interpreter-withdrawn", participant_ref=ref)

    await scenario.emitted("job-coach-check-in-recorded", participant_ref=ref)
    produced = {b["type"] for b in scenario.seen.bodies()} & SUPPORT_TYPES
    assert produced == SUPPORT_TYPES, SUPPORT_TYPES - produced
    assert assert_no_health_detail_on_public_events(scenario.seen) >= 15
    addressed = [
        m.routing_key for m in scenario.seen.messages if len(m.routing_key.split(".")) == 4
    ]
    assert addressed and all(
        k.rsplit(".", 1)[1] in {"care-a", "care-b", "coordinator"} for k in addressed
    )
