"""Issue 17 point 5 (the care side of issue 15's pauses): the care coordinator records that
a referral's care (a treatment, an admission) pauses the route, and its end, with the
acting user; ``care-pause-started``/``care-pause-ended`` carry dates and ids only.
Against the code before: the routes answered 404 and no such events existed."""

from __future__ import annotations

from datetime import timedelta

from zroute_runtime.clock import local_day

from tests.support.integration.test_referrals import referred
from tests.support.scenario import GM, Scenario, assert_no_health_detail_on_public_events


async def test_a_treatment_pause_on_an_accepted_referral_starts_and_ends(scenario: Scenario):
    await scenario.setup()
    ref, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    coordinator = scenario.client(municipality=GM)
    today = local_day(scenario.runtime.clock.now())
    body = {"kind": "treatment", "paused_from": str(today)}
    early = await coordinator.post(f"/referrals/{referral_id}/care-pauses", json=body)
    assert early.status_code == 409 and "under way" in early.text  # not accepted yet

    accepted = await scenario.partner("care-a").post(f"/referrals/{referral_id}/accept")
    assert accepted.status_code == 200, accepted.text
    started = await coordinator.post(f"/referrals/{referral_id}/care-pauses", json=body)
    assert started.status_code == 201, started.text
    pause = started.json()
    assert pause["recorded_by"] == "staff-test" and pause["kind"] == "treatment"
    again = await coordinator.post(f"/referrals/{referral_id}/care-pauses", json=body)
    assert again.status_code == 409

    end_url = f"/referrals/{referral_id}/care-pauses/{pause['pause_id']}/end"
    later = str(today + timedelta(days=14))
    refused = await coordinator.post(end_url, json={"ended_on": later})
    assert refused.status_code == 422 and "not after today" in refused.text
    await scenario.runtime.advance_clock(timedelta(days=14))
    ended = await coordinator.post(end_url, json={"ended_on": later})
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_by"] == "staff-test"

    [begin] = await scenario.emitted("care-pause-started", referral_id=referral_id)
    [finish] = await scenario.emitted("care-pause-ended", referral_id=referral_id)
    assert begin["data"]["participant_ref"] == finish["data"]["participant_ref"] == ref
    assert finish["data"]["ended_on"] == later
    assert "treatment" not in str(begin) + str(finish)  # the kind stays in support
    listed = await coordinator.get(f"/referrals/{referral_id}/care-pauses")
    assert [p["ended_on"] for p in listed.json()] == [later]
    assert_no_health_detail_on_public_events(scenario.seen)


async def test_another_municipality_cannot_record_a_care_pause(scenario: Scenario):
    await scenario.setup()
    _, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    await scenario.partner("care-a").post(f"/referrals/{referral_id}/accept")
    other = scenario.client(municipality="GM0599")
    today = local_day(scenario.runtime.clock.now())
    refused = await other.post(
        f"/referrals/{referral_id}/care-pauses",
        json={"kind": "admission", "paused_from": str(today)},
    )
    assert refused.status_code == 403


async def test_a_care_pause_dated_ahead_is_accepted_up_to_three_months(scenario: Scenario):
    """A treatment planned a few weeks from now is recorded ahead, as intake's pauses are
    (up to 92 days): ``care-pause-started`` goes out at once with its first day, and
    planning holds the plan from that day by its timer (tests/planning/integration/
    test_case_pauses.py). Before, support refused any pause dated after today."""
    await scenario.setup()
    _, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    assert (await scenario.partner("care-a").post(f"/referrals/{referral_id}/accept")).is_success
    coordinator = scenario.client(municipality=GM)
    today = local_day(scenario.runtime.clock.now())
    url = f"/referrals/{referral_id}/care-pauses"
    too_far = {"kind": "admission", "paused_from": str(today + timedelta(days=93))}
    refused = await coordinator.post(url, json=too_far)
    assert refused.status_code == 422 and "three months ahead" in refused.text

    first_day = today + timedelta(days=21)
    body = {"kind": "admission", "paused_from": str(first_day)}
    started = await coordinator.post(url, json=body)
    assert started.status_code == 201, started.text
    [begin] = await scenario.emitted("care-pause-started", referral_id=referral_id)
    assert begin["data"]["paused_from"] == str(first_day)
