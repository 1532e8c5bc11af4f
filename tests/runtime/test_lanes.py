"""The consumer's lanes: with several messages in hand, each participant's events are
handled in the order they were delivered, one participant's slow event does not hold up
the others, and no delivery attempt is spent on a message that never ran
(``consumer.py``, ``EventConsumer.receive``).

The delivery attempts matter because the main queue's ``x-delivery-limit`` counts every
return of a message, whatever the reason (RabbitMQ 3.10's quorum queues add one for a
``nack(requeue=True)`` as for a closed channel), and dead-letters it past the limit. A
consumer that hands a message back in a loop, or hands back its participant's later
messages with it, can push a whole prefetch window past the limit within a second: the
loss the fault suite saw with the second pass of issue 20 (eight notifications events at
prefetch 8, ``62f240a``).
"""

from __future__ import annotations

import asyncio
import random

import aio_pika
import pytest
from aiormq.exceptions import ChannelInvalidStateError
from zroute_contract.types import new_participant_ref

from tests.helpers import wait_for
from tests.runtime.probe import BLOCKING, FAILING, registered, start_probe
from tests.runtime.test_consumer import ROUTING_KEY, dead_letters, effects, event_body


async def publish_all(connection, settings, bodies: list[bytes]) -> None:
    """Publish in this order on one confirming channel (the queue keeps it)."""
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(settings.exchange_name)
    for body in bodies:
        await exchange.publish(aio_pika.Message(body), routing_key=ROUTING_KEY)
    await channel.close()


async def handled_in_order(runtime, ref: str) -> list[str]:
    """The event ids of ``ref``'s effects in the order their handlers ran (one lane:
    each transaction commits before the next starts, so the serial ids follow it)."""
    rows = await runtime.pool.fetch(
        "SELECT event_id::text FROM probe_effects WHERE subject = $1 ORDER BY id", ref
    )
    return [row["event_id"] for row in rows]


async def _count_is(runtime, ref: str, count: int) -> bool:
    return await effects(runtime, ref) == count


async def test_a_slow_event_holds_up_its_participant_only(amqp_connection, settings):
    runtime = await start_probe(settings.model_copy(update={"prefetch": 8}))
    slow, other = new_participant_ref(), new_participant_ref()
    entered, release = asyncio.Event(), asyncio.Event()
    BLOCKING[slow] = (entered, release)
    try:
        sent: dict[str, list[str]] = {slow: [], other: []}
        bodies = []
        for ref in (slow, other, slow, other, slow, other):
            event_id, body = event_body(registered(ref))
            sent[ref].append(event_id)
            bodies.append(body)
        await publish_all(amqp_connection, settings, bodies)
        await asyncio.wait_for(entered.wait(), 15)  # slow's first event is in hand
        # The other participant's three events pass it...
        await wait_for(lambda: _count_is(runtime, other, 3), what="the other participant's events")
        # ...while slow's later two wait behind its first, which has not committed.
        assert await effects(runtime, slow) == 0
        release.set()
        await wait_for(lambda: _count_is(runtime, slow, 3), what="the slow participant's events")
        assert await handled_in_order(runtime, slow) == sent[slow]
        assert await handled_in_order(runtime, other) == sent[other]
    finally:
        BLOCKING.pop(slow, None)
        release.set()
        await runtime.stop()


async def test_interleaved_participants_are_each_handled_in_delivery_order(
    amqp_connection, settings
):
    runtime = await start_probe(settings.model_copy(update={"prefetch": 16}))
    try:
        refs = [new_participant_ref() for _ in range(12)]
        order = [ref for ref in refs for _ in range(8)]
        random.Random(20).shuffle(order)
        sent: dict[str, list[str]] = {ref: [] for ref in refs}
        bodies = []
        for ref in order:
            event_id, body = event_body(registered(ref))
            sent[ref].append(event_id)
            bodies.append(body)
        await publish_all(amqp_connection, settings, bodies)

        async def all_handled() -> bool:
            return await runtime.pool.fetchval("SELECT count(*) FROM probe_effects") == len(order)

        await wait_for(all_handled, timeout=60, what="every event handled")
        for ref in refs:
            assert await handled_in_order(runtime, ref) == sent[ref], ref
    finally:
        await runtime.stop()


# A small limit, so the old design's loss shows within a second; the design under test
# must not depend on it.
DELIVERY_LIMIT = 3


@pytest.mark.parametrize("prefetch", [1, 8])
async def test_a_message_that_cannot_be_retried_is_held_and_spends_no_delivery_attempts(
    amqp_connection, settings, monkeypatch, prefetch
):
    """The handler fails while the consumer's publishing connection is reconnecting (a
    broker restart, the fault suite's PostgreSQL restart beside it): the message can be
    neither handled nor sent to its retry queue. It must stay in hand and be tried again
    in place, its participant's later messages waiting behind it, other participants
    going on, until the retry publish (or the handler) succeeds. Handing it back
    (``nack(requeue=True)``), and its lane's later messages with it, is redelivered at
    once and fails again: each round costs every one of them a delivery attempt, and the
    broker dead-letters the lot at its delivery limit, as with ``62f240a`` and, one
    message at a time, the consumer before it."""
    import zroute_runtime.consumer as consumer_module

    real_publish = consumer_module.publish
    away = {"on": True}
    attempts: list[str] = []

    async def publish_while_reconnecting(channel, exchange, routing_key, message):
        attempts.append(routing_key)
        if away["on"]:
            raise ChannelInvalidStateError("the publishing connection is reconnecting")
        await real_publish(channel, exchange, routing_key, message)

    monkeypatch.setattr(consumer_module, "publish", publish_while_reconnecting)
    runtime = await start_probe(
        settings.model_copy(update={"prefetch": prefetch, "delivery_limit": DELIVERY_LIMIT})
    )
    held, other = new_participant_ref(), new_participant_ref()
    FAILING[held] = 1_000_000
    try:
        sent: dict[str, list[str]] = {held: [], other: []}
        bodies = []
        for ref in (held, other) * 4 + (held,) * 4:
            event_id, body = event_body(registered(ref))
            sent[ref].append(event_id)
            bodies.append(body)
        await publish_all(amqp_connection, settings, bodies)

        # More attempts than the delivery limit allows redeliveries.
        await wait_for(
            lambda: len(attempts) > DELIVERY_LIMIT + 1,
            timeout=30,
            what="the held message tried again and again",
        )
        if prefetch > 1:
            # Other participants go on beside the held lane.
            await wait_for(
                lambda: _count_is(runtime, other, 4), what="the other participant's events"
            )
        away["on"] = False
        FAILING[held] = 0

        lost: list = []

        async def held_all_handled_or_lost() -> bool:
            lost.extend(await dead_letters(amqp_connection, settings))
            return bool(lost) or await effects(runtime, held) == len(sent[held])

        await wait_for(
            held_all_handled_or_lost, timeout=30, what="the held participant's events handled"
        )
        assert not lost, (
            f"{len(lost)} message(s) dead-lettered by the broker's delivery limit "
            f"({DELIVERY_LIMIT}) while the publishing connection was away"
        )
        await wait_for(lambda: _count_is(runtime, other, 4), what="the other participant's events")
        assert await handled_in_order(runtime, held) == sent[held]
        assert await handled_in_order(runtime, other) == sent[other]
    finally:
        FAILING.pop(held, None)
        away["on"] = False
        await runtime.stop()


async def test_a_message_delivered_while_the_service_stops_is_handled_not_handed_back(
    amqp_connection, settings
):
    """Between the start of ``stop()`` and the consumer's own stop (the HTTP server
    drains first), deliveries still arrive. Handing each back at once is redelivered at
    once: the loop spends the message's delivery attempts within milliseconds until the
    broker dead-letters it. It is handled instead (the pool and the relay are still up)."""
    runtime = await start_probe(settings.model_copy(update={"delivery_limit": DELIVERY_LIMIT}))
    try:
        runtime.stopping = True  # stop() has begun: the HTTP server is still draining
        event = registered()
        await publish_all(amqp_connection, settings, [event_body(event)[1]])

        lost: list = []

        async def handled_or_lost() -> bool:
            lost.extend(await dead_letters(amqp_connection, settings))
            return bool(lost) or await effects(runtime, event.participant_ref) == 1

        await wait_for(handled_or_lost, what="the event handled")
        assert not lost, "dead-lettered by the delivery limit while the service was stopping"
        assert await effects(runtime, event.participant_ref) == 1
    finally:
        await runtime.stop()
