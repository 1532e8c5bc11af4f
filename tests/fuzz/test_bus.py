"""Bad messages published straight onto the bus, for every service (issue 8, part 3b).

Malformed, oversized, wrongly typed, unknown-type and unexpected-type messages on a
routing key the service's queue is bound to: each ends in that service's dead-letter
queue with ``x-zroute-reason`` (naming fields, never values), nothing of it is stored,
and the consumer keeps running: a valid event published afterwards is handled.

Wrongly addressed messages (an addressed event whose routing-key partner is not the
payload's partner, an event on another type's routing key) and an otherwise valid event
padded to 2 MB are checked at the end; see the notes there.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest
from zroute_contract.events.intake import CareSignalsRecorded, ParticipantRegistered
from zroute_contract.events.support import ReferralRequested
from zroute_contract.types import new_participant_ref
from zroute_runtime.consumer import REASON_HEADER, REASON_KIND_HEADER, SERVICE_HEADER

from tests.contract.samples import sample_event
from tests.fuzz.bus import (
    TWO_MB,
    Target,
    bad_messages,
    dead_letters,
    envelope_of,
    handled,
    outcome,
    publish,
    publish_event,
)
from tests.helpers import capture, wait_for

# -- the four services, each with a key it binds and a valid event it handles ------------


async def intake_target(services, amqp_connection) -> Target:
    from zroute_contract.events.planning import RouteCompleted
    from zroute_intake.bootstrap import definition
    from zroute_intake.settings import Settings

    from tests.intake import builders
    from tests.intake.integration.flow import complete, register

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)

    async def valid() -> RouteCompleted:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{runtime.http_port}", headers=builders.auth(), timeout=10
        ) as client:
            ref = (await register(client))["participant_ref"]
            await complete(client, runtime, ref)
        return sample_event(
            RouteCompleted, participant_ref=ref, completed_on=runtime.clock.now().date()
        )

    return Target(runtime, amqp_connection, "planning.route.completed", valid)


async def planning_target(services, amqp_connection) -> Target:
    from zroute_planning.bootstrap import definition
    from zroute_planning.domain.rules import GroupRules, PlanningRules
    from zroute_planning.settings import Settings

    from tests.planning.events import intake_completed

    rules = PlanningRules(groups=GroupRules(solver_seconds=1.0))
    settings = services.settings(Settings, planning_rules=rules, solver_workers=1)
    runtime = await services.start(definition(settings), settings)

    async def valid():
        return intake_completed()

    return Target(runtime, amqp_connection, "intake.intake.completed", valid)


def registered(programme: str) -> ParticipantRegistered:
    return ParticipantRegistered(
        participant_ref=new_participant_ref(),
        programme_id=programme,
        municipality="GM0363",
        registered_on=date(2027, 1, 4),
        preferred_language="ar",
        interpreter_needed=True,
    )


async def support_target(services, amqp_connection) -> Target:
    from zroute_support.bootstrap import definition
    from zroute_support.settings import Settings

    from tests.support.scenario import PROGRAMME

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)

    async def valid() -> ParticipantRegistered:
        return registered(PROGRAMME)

    return Target(runtime, amqp_connection, "intake.participant.registered", valid)


async def notifications_target(services, amqp_connection) -> Target:
    from tests.notifications.world import start

    runtime = await start(services, smtp_port=1)

    async def valid() -> ParticipantRegistered:
        return registered("amsterdam-z")

    return Target(runtime, amqp_connection, "intake.participant.registered", valid)


TARGETS = {
    "intake": intake_target,
    "planning": planning_target,
    "support": support_target,
    "notifications": notifications_target,
}


@pytest.mark.parametrize("service", list(TARGETS))
async def test_bad_messages_are_dead_lettered_with_a_reason_and_the_consumer_goes_on(
    service, services, amqp_connection
):
    target = await TARGETS[service](services, amqp_connection)
    valid = await target.valid()
    bad = bad_messages(target, valid)
    for message in bad:
        await publish(target, message.body, message.key, message.message_id)
    after = await publish_event(target, valid, target.key)

    found = await dead_letters(target, {m.message_id for m in bad})
    for message in bad:
        dead = found[message.message_id]
        headers = dead.headers or {}
        reason = str(headers.get(REASON_HEADER, ""))
        assert reason, f"{service}: {message.name} dead-lettered without a reason"
        assert headers.get(REASON_KIND_HEADER) == message.kind, (message.name, headers)
        assert headers.get(SERVICE_HEADER) == service
        assert len(reason) < 1000, f"{message.name}: the reason repeats the input"
        assert dead.body == message.body, f"{message.name}: the dead letter is not the original"
    oversized = next(m for m in bad if m.name.startswith("oversized"))
    assert "exceeds the limit" in str(found[oversized.message_id].headers[REASON_HEADER])

    await wait_for(lambda: handled(target, after), what=f"{service} handling a valid event")
    inbox = await target.runtime.pool.fetchval("SELECT count(*) FROM zr_inbox")
    assert inbox == 1, f"{service}: {inbox} inbox rows, only the valid event should have one"


# -- wrongly addressed and padded messages -------------------------------------------------
#
# The consumer checks that the routing key fits the payload (the spec's key, plus
# ``.<partner id>`` for an addressed event) and that a message is not oversized, and
# dead-letters a mismatch at once; these tests hold it to that.


async def expect_dead_lettered(target: Target, event_id: str) -> None:
    result, message = await outcome(target, event_id)
    assert result == "dead-lettered", f"{target.service} handled it"
    assert message.headers.get(REASON_HEADER)


async def test_an_addressed_event_whose_partner_does_not_match_the_key_is_dead_lettered(
    services, amqp_connection
):
    target = await support_target(services, amqp_connection)
    seen = await capture(amqp_connection, target.runtime.topology.exchange)
    from tests.support.scenario import PROGRAMME, Scenario

    scenario = Scenario(target.runtime, seen, amqp_connection)
    try:
        await scenario.setup()
        ref = await scenario.participant()
    finally:
        await scenario.close()
    event = sample_event(
        CareSignalsRecorded, participant_ref=ref, programme_id=PROGRAMME, partner_id="coordinator"
    )
    # routed to another partner than the one the payload names
    event_id = await publish_event(target, event, key="intake.care-signals.recorded.school")
    await expect_dead_lettered(target, event_id)


async def test_a_referral_addressed_to_another_partner_than_its_payload_is_dead_lettered(
    services, amqp_connection
):
    target = await notifications_target(services, amqp_connection)
    event = sample_event(ReferralRequested, partner_id="care-a")
    event_id = await publish_event(target, event, key="support.referral.requested.care-b")
    await expect_dead_lettered(target, event_id)


async def test_an_event_on_another_types_routing_key_is_dead_lettered(services, amqp_connection):
    target = await planning_target(services, amqp_connection)
    # planning handles participant-registered, but not when it arrives as intake-completed
    event_id = await publish_event(target, registered("programme-amsterdam"), key=target.key)
    await expect_dead_lettered(target, event_id)


async def test_an_otherwise_valid_event_of_2_mb_is_dead_lettered(services, amqp_connection):
    target = await planning_target(services, amqp_connection)
    envelope = envelope_of(await target.valid())
    envelope["data"]["padding"] = "x" * TWO_MB  # unknown fields are ignored by contract
    event_id = await publish(target, json.dumps(envelope).encode(), target.key, envelope["id"])
    await expect_dead_lettered(target, event_id)
