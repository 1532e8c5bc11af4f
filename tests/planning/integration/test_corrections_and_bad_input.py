"""A redelivered event has one effect; an answer for an unknown placement request is
dead-lettered with its reason; a corrected intake moves the participant out of a group
that no longer fits."""

from __future__ import annotations

from uuid import uuid4

import aio_pika
from zroute_contract.envelope import build_event
from zroute_contract.events.codes import CorrectionReason, LanguageLevel
from zroute_contract.events.intake import IntakeCorrected
from zroute_contract.events.support import PlacementConfirmed
from zroute_runtime.consumer import REASON_HEADER, REASON_KIND_HEADER

from tests.helpers import wait_for
from tests.planning.events import pip_established
from tests.planning.integration.conftest import INTAKE, SUPPORT, TODAY, intake_completed


async def test_a_redelivered_intake_completion_activates_one_plan(planning):
    intake = intake_completed()
    envelope = build_event(
        intake, source=INTAKE, sequence=1, correlation_id="c", subject=intake.participant_ref
    )
    channel = await planning.connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(planning.runtime.topology.exchange)
    for _ in range(2):
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), message_id=envelope.id),
            routing_key=intake.spec.routing_key,
        )
    await channel.close()
    await planning.handled(envelope.id)
    await planning.feed(pip_established(intake.participant_ref))
    sentinel = intake_completed()
    await planning.activate(sentinel)
    await planning.expect("plan-activated", sentinel.participant_ref)
    assert len(planning.events("plan-activated", intake.participant_ref)) == 1
    count = await planning.runtime.pool.fetchval(
        "SELECT count(*) FROM planning_plans WHERE participant_ref = $1", intake.participant_ref
    )
    assert count == 1


async def test_a_confirmation_for_an_unknown_placement_request_is_dead_lettered(planning):
    intake = intake_completed()
    await planning.activate(intake)
    await planning.publish(
        PlacementConfirmed(
            participant_ref=intake.participant_ref,
            programme_id=intake.programme_id,
            placement_id=uuid4(),
            placement_request_id=uuid4(),
            partner_id="werkplaats-noord",
            employer_id="bakery-west",
            location_id="bakery-west-1",
            activity="workplace_learning",
            starts_on=TODAY,
            hours_per_week=6,
        ),
        source=SUPPORT,
    )
    channel = await planning.connection.channel()
    queue = await channel.get_queue(planning.runtime.topology.dead_letter_queue)
    dead = await wait_for(lambda: queue.get(fail=False), what="the dead letter")
    await dead.ack()
    await channel.close()
    assert dead.headers[REASON_KIND_HEADER] == "unprocessable"
    assert "unknown placement request" in dead.headers[REASON_HEADER]


async def test_a_corrected_level_moves_the_participant_out_of_the_group(planning):
    intakes = [intake_completed() for _ in range(4)]
    for intake in intakes:
        await planning.activate(intake)
    assert (await planning.http.post("/group-formations", json={})).status_code == 200
    [formed] = await planning.expect("group-formed")
    moved = intakes[0]
    data = moved.model_dump(exclude={"completed_on"})
    await planning.feed(
        IntakeCorrected(
            **data | {"language_level": LanguageLevel.A2},
            corrected_on=TODAY,
            reason=CorrectionReason.REASSESSMENT,
        )
    )
    [removed] = await planning.expect("participant-removed-from-group", moved.participant_ref)
    assert removed["data"]["reason"] == "level_changed"
    assert removed["data"]["group_id"] == formed["data"]["group_id"]
    plan = (await planning.http.get(f"/participants/{moved.participant_ref}/plan")).json()
    assert plan["level_band"] == "a2" and plan["group_id"] is None
    waiting = await planning.expect("participant-waitlisted", moved.participant_ref)
    assert waiting[-1]["data"]["level_band"] == "a2"
