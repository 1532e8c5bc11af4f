"""The catalogue topology: every event reaches exactly the queues of its consumers."""

from __future__ import annotations

import aio_pika
from zroute_contract.events.base import SERVICES
from zroute_runtime.topology import catalogue_bindings, declare_catalogue

from tests.contract.samples import all_samples


async def test_each_event_reaches_the_queues_of_its_consumers_and_no_other(
    amqp_connection, settings, janitor
):
    channel = await amqp_connection.channel(publisher_confirms=True)
    queues = await declare_catalogue(channel, settings)
    janitor.queues.update(queues)
    for service in SERVICES:
        janitor.queues.add(settings.name(service, "dead-letter"))
        janitor.queues.update(
            settings.name(service, "retry", str(d)) for d in settings.retry_delays_ms
        )
    exchange = await channel.get_exchange(settings.exchange_name)
    samples = all_samples()
    for sample in samples:
        await exchange.publish(aio_pika.Message(sample.spec.type.encode()), sample.routing_key())

    received: dict[str, set[str]] = {}
    for service in SERVICES:
        if not catalogue_bindings(service):
            continue
        queue = await channel.get_queue(settings.name(service))
        while (message := await queue.get(fail=False, no_ack=True)) is not None:
            received.setdefault(service, set()).add(message.body.decode())
    for sample in samples:
        for service in SERVICES:
            arrived = sample.spec.type in received.get(service, set())
            assert arrived == (service in sample.spec.consumers), (sample.spec.type, service)
