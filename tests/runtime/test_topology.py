"""The service topology on the real broker: idempotent, and its safety net works."""

from __future__ import annotations

import aio_pika
from zroute_runtime.topology import ServiceTopology, declare

from tests.helpers import wait_for


def probe_topology(settings) -> ServiceTopology:
    return ServiceTopology.for_service(settings, "probe", ["intake.participant.registered"])


async def test_declaring_twice_is_harmless(amqp_connection, settings):
    channel = await amqp_connection.channel()
    topology = probe_topology(settings)
    await declare(channel, topology)
    await declare(channel, topology)  # a restart, or a second replica
    queue = await channel.declare_queue(topology.queue, passive=True)
    assert queue.name == topology.queue


async def test_a_message_whose_consumer_keeps_dying_is_dead_lettered_by_the_delivery_limit(
    amqp_connection, settings
):
    """A consumer that dies holding a message never gets to retry it; the quorum
    queue's explicit delivery limit dead-letters it after that many deliveries."""
    channel = await amqp_connection.channel()
    topology = probe_topology(settings.model_copy(update={"delivery_limit": 2}))
    await declare(channel, topology)
    exchange = await channel.get_exchange(topology.exchange)
    await exchange.publish(aio_pika.Message(b"crash-me"), "intake.participant.registered")

    dlq = await channel.get_queue(topology.dead_letter_queue)
    deliveries = 0

    async def take_and_die():
        """Receive the message and close the channel without settling it: what a
        consumer process killed mid-message does (the same on RabbitMQ 3.10 and 4.x).
        Done once the message is in the dead-letter queue: an empty queue alone may be
        the message still on its way back from the closed channel."""
        nonlocal deliveries
        dying = await amqp_connection.channel()
        queue = await dying.get_queue(topology.queue)
        message = await queue.get(fail=False, no_ack=False)
        if message is not None:
            deliveries += 1
        await dying.close()
        return await dlq.get(fail=False)

    dead = await wait_for(take_and_die, what="the delivery limit to dead-letter the message")
    assert dead.body == b"crash-me"
    assert dead.headers["x-death"][0]["reason"] == "delivery_limit"
    assert deliveries == 3  # the first delivery and two redeliveries
