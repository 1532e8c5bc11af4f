"""Issue 15: the broad intake records what B 5.2 asks in writing: the summons log (up
to three calls, completion in absence only after three unanswered), the learnability
test's result and advice or the exemption ground, schooling and work history, work
prospects, self-reliance, and the choice to hold the talks alone. Before, the outcome
refused these fields (422: unknown field). They stay in intake, never on the bus."""

from __future__ import annotations

import json

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, hold_intake, ok, register, schedule


def record(**changes):
    body = {
        "summonses": [
            {"summoned_on": builders.day(-20), "respond_by": builders.day(-13), "attended": False},
            {
                "summoned_on": builders.day(-12),
                "respond_by": builders.day(-5),
                "attended": True,
                "after_warning": True,
            },
        ],
        "learnability_test": {
            "taken_on": builders.day(2),
            "result": "low",
            "advised_route": "z_route",
        },
        "schooling_years": 3,
        "schooling_level": "primary",
        "work_experience_years": 6,
        "work_sectors": ["agriculture"],
        "work_prospects": "with_support",
        "self_reliance": "moderate",
        "talks_alone": True,
    }
    return body | changes


async def test_the_written_record_of_b_5_2_is_kept_with_the_outcome_and_not_published(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange)
    ref = (await register(client))["participant_ref"]
    done = await complete(client, intake, ref, broad_intake=record())
    kept = done["intake"]["outcome"]["outcome"]["broad_intake"]
    assert kept["learnability_test"]["advised_route"] == "z_route"
    assert kept["talks_alone"] is True and kept["self_reliance"] == "moderate"
    assert [s["attended"] for s in kept["summonses"]] == [False, True]
    read = ok(await client.get(f"/participants/{ref}"))
    assert read["intake"]["outcome"]["outcome"]["broad_intake"] == kept
    await wait_for(lambda: seen.of_type("nl.zroute.intake.intake-completed.v1"), what="completion")
    wire = json.dumps(seen.bodies())
    assert "broad_intake" not in wire and "with_support" not in wire


async def test_an_exemption_replaces_the_test_result(intake, client):
    ref = (await register(client))["participant_ref"]
    exempt = record(learnability_test={"exemption": "visual_impairment"})
    done = await complete(client, intake, ref, broad_intake=exempt)
    test = done["intake"]["outcome"]["outcome"]["broad_intake"]["learnability_test"]
    assert test["exemption"] == "visual_impairment" and test["result"] is None


async def test_completion_in_absence_needs_three_unanswered_calls_after_warnings(intake, client):
    ref = (await register(client))["participant_ref"]
    await hold_intake(client, intake, ref)
    url = f"/participants/{ref}/intake/outcome"
    early = record(completed_in_absence=True)
    refused = await client.post(url, json=builders.outcome(broad_intake=early))
    assert refused.status_code == 422 and "completed_in_absence" in refused.text
    no_warning = [
        {"summoned_on": builders.day(d), "respond_by": builders.day(d + 5), "attended": False}
        for d in (-30, -20, -10)
    ]
    refused = await client.post(
        url, json=builders.outcome(broad_intake=record(summonses=no_warning))
    )
    assert refused.status_code == 422 and "warning" in refused.text
    four = [*no_warning, no_warning[-1]]
    refused = await client.post(url, json=builders.outcome(broad_intake=record(summonses=four)))
    assert refused.status_code == 422 and "at most 3" in refused.text
    warned = [no_warning[0]] + [s | {"after_warning": True} for s in no_warning[1:]]
    absent = record(summonses=warned, completed_in_absence=True)
    done = ok(await client.post(url, json=builders.outcome(broad_intake=absent)))
    assert done["intake"]["outcome"]["outcome"]["broad_intake"]["completed_in_absence"] is True


async def test_a_test_result_or_an_exemption_is_required_not_both(intake, client):
    ref = (await register(client))["participant_ref"]
    await hold_intake(client, intake, ref)
    both = record(learnability_test={"exemption": "auditory_impairment", "result": "low",
                                     "taken_on": builders.day(2)})  # fmt: skip
    refused = await client.post(
        f"/participants/{ref}/intake/outcome", json=builders.outcome(broad_intake=both)
    )
    assert refused.status_code == 422 and "exempted" in refused.text


async def test_a_scheduled_intake_is_cancelled_with_a_reason_and_downstream_is_told(
    intake, client, amqp_connection
):
    """Issue 17: a scheduled intake could only be moved, never called off, so support kept
    the interpreter asked for it and nobody downstream heard. Now ``POST .../intake/cancel``
    puts the participant back to be scheduled and publishes ``intake-cancelled``."""
    seen = await capture(amqp_connection, intake.topology.exchange)
    ref = (await register(client))["participant_ref"]
    url = f"/participants/{ref}/intake/cancel"
    nothing = await client.post(url, json={"reason": "participant_unavailable"})
    assert nothing.status_code == 409 and "no intake is scheduled" in nothing.text
    scheduled = await schedule(client, ref)
    appointment = scheduled["intake"]["appointment"]
    intake_id = appointment["intake_id"]
    bad = await client.post(url, json={"reason": "bored"})
    assert bad.status_code == 422, bad.text

    cancelled = ok(await client.post(url, json={"reason": "participant_unavailable"}))
    assert cancelled["status"] == "registered" and cancelled["intake"] is None, cancelled
    found = await wait_for(
        lambda: seen.of_type("nl.zroute.intake.intake-cancelled.v1"), what="intake-cancelled"
    )
    [event] = found
    assert event["data"]["intake_id"] == intake_id
    assert event["data"]["reason"] == "participant_unavailable"
    assert event["data"]["starts_at"] == appointment["starts_at"]
    again = await client.post(url, json={"reason": "participant_unavailable"})
    assert again.status_code == 409, again.text

    # Scheduled again: a new appointment with a new intake id.
    rescheduled = await schedule(client, ref)
    assert rescheduled["intake"]["appointment"]["intake_id"] != intake_id
