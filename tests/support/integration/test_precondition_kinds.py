"""Configured precondition kinds in support (issue 17 item 8), against the real broker and
database: a kind the intake's outcome names in ``other_preconditions`` is recorded as
needed, routed to the partner the task division names for the kind's configured task,
arranged by that partner, and published as ``kind: other`` with its ``code`` (childcare
and transport keep their own kind). A kind support has no rule for waits, unrouted, with
the reason; a correction that no longer names a kind makes it not needed.

Before this change support recorded childcare and transport only: the configured kind
never appeared in ``GET /preconditions`` and nothing was ever arranged for it."""

from __future__ import annotations

import pytest
from zroute_support.bootstrap import definition
from zroute_support.settings import Settings

from tests.helpers import capture
from tests.support.integration.test_preconditions import intake
from tests.support.scenario import Scenario

DEVICE = "digital_device"
# The school lends the devices it teaches with: the language teaching task's partner.
KINDS = {DEVICE: {"task": "language_teaching", "capability": "language_teaching"}}


@pytest.fixture
async def support(services):
    settings = services.settings(Settings, precondition_kinds=KINDS)
    return await services.start(definition(settings), settings)


def with_kinds(ref: str, *codes: str, transport: bool = False):
    return intake(ref, childcare=False, transport=transport).model_copy(
        update={"other_preconditions": codes}
    )


async def tasks(scenario: Scenario, ref: str) -> dict[str, dict]:
    listed = (await scenario.client().get("/preconditions")).json()
    return {p["code"]: p for p in listed if p["participant_ref"] == ref}


async def test_a_configured_kind_is_routed_to_its_tasks_partner_and_arranged_as_other(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(with_kinds(ref, DEVICE, transport=True))

    found = await tasks(scenario, ref)
    assert set(found) == {DEVICE, "transport"}, found
    device = found[DEVICE]
    assert device["kind"] == "other" and device["status"] == "needed"
    assert device["partner_id"] == "school", device  # the language teaching task's partner

    # Another partner may not arrange it; a partner lacking the kind's capability neither.
    kids = scenario.partner("kids")
    body = {"arranged_from": "2027-01-18", "days_covered": ["monday"]}
    refused = await kids.post(f"/preconditions/{device['precondition_id']}/arrange", json=body)
    assert refused.status_code == 403, refused.text
    arranged = await scenario.partner("school").post(
        f"/preconditions/{device['precondition_id']}/arrange", json=body
    )
    assert arranged.status_code == 200, arranged.text
    assert arranged.json()["code"] == DEVICE and arranged.json()["status"] == "arranged"

    [event] = await scenario.emitted("precondition-arranged", participant_ref=ref)
    assert event["data"]["kind"] == "other" and event["data"]["code"] == DEVICE
    assert event["data"]["partner_id"] == "school"

    # Transport keeps its own kind and no code, as consumers on the released contract read it.
    transport = found["transport"]
    await scenario.partner("kids").post(
        f"/preconditions/{transport['precondition_id']}/arrange", json=body
    )
    [moved] = await scenario.emitted("precondition-arranged", participant_ref=ref, kind="transport")
    assert moved["data"].get("code") is None


async def test_a_lapse_of_a_configured_kind_carries_its_code(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(with_kinds(ref, DEVICE))
    device = (await tasks(scenario, ref))[DEVICE]
    school = scenario.partner("school")
    body = {"arranged_from": "2027-01-18", "days_covered": ["monday"]}
    assert (
        await school.post(f"/preconditions/{device['precondition_id']}/arrange", json=body)
    ).status_code == 200
    stopped = await school.post(
        f"/preconditions/{device['precondition_id']}/lapse",
        json={"reason": "partner_stopped", "lapsed_on": "2027-02-01"},
    )
    assert stopped.status_code == 200, stopped.text
    [lapsed] = await scenario.emitted("precondition-lapsed", participant_ref=ref)
    assert lapsed["data"]["kind"] == "other" and lapsed["data"]["code"] == DEVICE


async def test_an_unconfigured_kind_waits_with_the_reason_and_a_correction_drops_a_kind(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(with_kinds(ref, DEVICE, "medical_aid"))
    found = await tasks(scenario, ref)
    aid = found["medical_aid"]
    assert aid["partner_id"] is None and aid["status"] == "needed"
    assert "not configured" in aid["waiting_reason"]
    refused = await scenario.client().post(
        f"/preconditions/{aid['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-18", "days_covered": ["monday"], "partner_id": "school"},
    )
    assert refused.status_code == 422 and "not configured" in refused.text

    corrected = with_kinds(ref, "medical_aid")  # the device is no longer needed
    await scenario.feed(corrected)
    again = await tasks(scenario, ref)
    assert again[DEVICE]["status"] == "not_needed", again
    assert not scenario.seen.of_type("nl.zroute.support.precondition-arranged.v1")


async def test_a_kind_configured_later_is_handed_out_when_the_service_restarts(
    services, amqp_connection
):
    """A kind the outcome named before support was configured for it waits unrouted. Once
    ``ZROUTE_PRECONDITION_KINDS`` names it and the service restarts, the start hands it
    out to the task's partner. Before, it waited until something else (a partner update,
    a new agreement, a closed referral) happened to serve the waiting list."""
    unconfigured = services.settings(Settings)
    first = await services.start(definition(unconfigured), unconfigured)
    seen = await capture(amqp_connection, first.topology.exchange)
    scenario = Scenario(first, seen, amqp_connection)
    try:
        await scenario.setup()
        ref = await scenario.participant()
        await scenario.feed(with_kinds(ref, DEVICE))
        waiting = (await tasks(scenario, ref))[DEVICE]
        assert waiting["partner_id"] is None and "not configured" in waiting["waiting_reason"]

        services.running.remove(first)
        await first.stop()
        configured = services.settings(Settings, precondition_kinds=KINDS)
        scenario.runtime = await services.start(definition(configured), configured)

        device = (await tasks(scenario, ref))[DEVICE]
        assert device["partner_id"] == "school", device
        assert device["waiting_reason"] is None and device["status"] == "needed"
    finally:
        await scenario.close()
