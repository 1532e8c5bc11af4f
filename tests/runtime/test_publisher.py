"""Publishing: confirmed, and an unroutable publish raises instead of vanishing."""

from __future__ import annotations

import aio_pika
import pytest
from zroute_runtime.publisher import UnroutableError, event_message, publish
from zroute_runtime.topology import declare_exchange, open_channel


async def test_a_publish_that_no_queue_receives_raises(amqp_connection, settings):
    channel = await open_channel(amqp_connection)
    await declare_exchange(channel, settings.exchange_name)
    message = event_message(
        b"{}",
        event_id="00000000-0000-4000-8000-000000000000",
        event_type="nl.zroute.intake.participant-registered.v1",
    )
    with pytest.raises(UnroutableError) as raised:
        await publish(channel, settings.exchange_name, "nobody.listens.here", message)
    assert raised.value.routing_key == "nobody.listens.here"


async def test_a_publish_that_a_queue_receives_is_confirmed(amqp_connection, settings):
    channel = await open_channel(amqp_connection)
    exchange = await declare_exchange(channel, settings.exchange_name)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, "intake.#")
    message = event_message(
        b'{"a": 1}',
        event_id="00000000-0000-4000-8000-000000000001",
        event_type="nl.zroute.intake.participant-registered.v1",
    )
    await publish(channel, settings.exchange_name, "intake.participant.registered", message)
    got = await queue.get(timeout=5)
    assert got.message_id == "00000000-0000-4000-8000-000000000001"
    assert got.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert got.content_type.startswith("application/cloudevents+json")
