"""The broker objects of one service, declared idempotently at start.

For a service ``svc`` under prefix ``zroute``::

    zroute.events                     topic exchange, durable: every event
    zroute.events.by-municipality     topic exchange, durable: a copy of every public event
                                      that names municipalities, keyed
                                      ``<GM code>.<routing key>`` once per municipality,
                                      so a broker account can be held to its municipalities
    zroute.svc                        quorum queue, bound to the routing keys svc consumes
                                      (zroute.svc.<instance> for a named second copy)
    zroute.svc.retry.<ms>             quorum queues, one per retry delay: messages wait
                                      there for <ms> (x-message-ttl), then dead-letter
                                      back into zroute.svc through the default exchange
    zroute.dead-letter                direct exchange for messages that failed for good
    zroute.svc.dead-letter            quorum queue bound to it with key ``svc``

Retries are republished by the consumer (with a retry-count header) rather than
rejected, because a reject cannot say why; the same goes for dead letters, which
carry ``x-zroute-reason``. The main queue's ``x-delivery-limit`` is only the safety
net for a consumer that dies while holding a message (it never gets to republish):
after that many deliveries RabbitMQ dead-letters the message itself, reason
``delivery_limit``. It is set explicitly because RabbitMQ 3.10 has no default and 4.x
defaults to 20; our retry policy acks every delivery it handles, so the limit never
competes with it.

Every argument here exists in RabbitMQ 3.10 and 4.x alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue, ExchangeType

from zroute_runtime.settings import ServiceSettings

DEAD_LETTER_EXCHANGE = "dead-letter"


@dataclass(frozen=True)
class ServiceTopology:
    """Names and arguments of one service's broker objects."""

    service: str
    exchange: str
    queue: str
    dead_letter_exchange: str
    dead_letter_queue: str
    retry_delays_ms: tuple[int, ...]
    delivery_limit: int
    bindings: tuple[str, ...]

    @classmethod
    def for_service(
        cls, settings: ServiceSettings, service: str, bindings: Iterable[str]
    ) -> ServiceTopology:
        # A named instance (settings.instance) is a consumer of its own: its queues and
        # its dead letters' key carry the name (``intake.gm0599``).
        consumer = f"{service}.{settings.instance}" if settings.instance else service
        return cls(
            service=consumer,
            exchange=settings.exchange_name,
            queue=settings.name(consumer),
            dead_letter_exchange=settings.name(DEAD_LETTER_EXCHANGE),
            dead_letter_queue=settings.name(consumer, "dead-letter"),
            retry_delays_ms=tuple(settings.retry_delays_ms),
            delivery_limit=settings.delivery_limit,
            bindings=tuple(sorted(set(bindings))),
        )

    def retry_queue(self, attempt: int) -> str:
        """The queue a message waits in before retry number ``attempt`` (1-based)."""
        return f"{self.queue}.retry.{self.retry_delays_ms[attempt - 1]}"

    @property
    def max_retries(self) -> int:
        return len(self.retry_delays_ms)

    def queue_arguments(self) -> dict[str, object]:
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": self.service,
            # At-least-once dead-lettering: a message is removed only once the dead-letter
            # queue has it (needs reject-publish overflow).
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    def retry_queue_arguments(self, delay_ms: int) -> dict[str, object]:
        return {
            "x-queue-type": "quorum",
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.queue,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }


MUNICIPAL_SUFFIX = "by-municipality"


def municipal_exchange(events_exchange: str) -> str:
    """The exchange of the per-municipality copies (``zroute.events.by-municipality``)."""
    return f"{events_exchange}.{MUNICIPAL_SUFFIX}"


def municipal_key(municipality: str, routing_key: str) -> str:
    """``GM0363.intake.intake.completed``: upper case, so never a partner id."""
    return f"{municipality}.{routing_key}"


async def declare_exchange(channel: AbstractChannel, name: str) -> AbstractExchange:
    """The events exchange (any service or test may declare it; it is idempotent)."""
    return await channel.declare_exchange(name, ExchangeType.TOPIC, durable=True)


async def declare(channel: AbstractChannel, topology: ServiceTopology) -> AbstractQueue:
    """Declare every object of ``topology``; safe to run at every start."""
    exchange = await declare_exchange(channel, topology.exchange)
    await declare_exchange(channel, municipal_exchange(topology.exchange))
    dlx = await channel.declare_exchange(
        topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True
    )
    dlq = await channel.declare_queue(
        topology.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"}
    )
    await dlq.bind(dlx, routing_key=topology.service)
    queue = await channel.declare_queue(
        topology.queue, durable=True, arguments=topology.queue_arguments()
    )
    for key in topology.bindings:
        await queue.bind(exchange, routing_key=key)
    for delay in topology.retry_delays_ms:
        await channel.declare_queue(
            f"{topology.queue}.retry.{delay}",
            durable=True,
            arguments=topology.retry_queue_arguments(delay),
        )
    return queue


async def open_channel(connection: aio_pika.abc.AbstractConnection) -> AbstractChannel:
    """A channel with publisher confirms on, whose mandatory publishes that reach no
    queue raise ``aio_pika.exceptions.DeliveryError`` instead of vanishing."""
    return await connection.channel(publisher_confirms=True, on_return_raises=True)


def catalogue_bindings(service: str) -> list[str]:
    """The routing keys ``service`` consumes according to the contract's catalogue.

    Addressed events are bound for every partner (``.*``): the consuming service routes
    them on each partner's behalf; a partner's own subscriber binds its own id instead.
    """
    from zroute_contract.events.base import event_types

    keys = set()
    for event_cls in event_types().values():
        spec = event_cls.spec
        if service in spec.consumers:
            keys.add(f"{spec.routing_key}.*" if spec.addressed_by else spec.routing_key)
    return sorted(keys)


async def declare_catalogue(channel: AbstractChannel, settings: ServiceSettings) -> list[str]:
    """Declare every service's queue with the bindings the catalogue gives it.

    Run once before the services start (``zroute-topology``), so that no event
    published by an early producer misses the queue of a consumer that has not started
    yet. Returns the queues declared.
    """
    from zroute_contract.events.base import SERVICES

    declared = []
    for service in SERVICES:
        bindings = catalogue_bindings(service)
        if not bindings:
            continue
        topology = ServiceTopology.for_service(settings, service, bindings)
        await declare(channel, topology)
        declared.append(topology.queue)
    return declared


def main() -> None:
    """``zroute-topology``: declare the whole topology from the catalogue, then exit."""
    import asyncio

    async def run() -> None:
        settings = ServiceSettings()
        connection = await aio_pika.connect_robust(settings.amqp_url)
        try:
            channel = await connection.channel()
            for queue in await declare_catalogue(channel, settings):
                print(f"declared {queue}")
        finally:
            await connection.close()

    asyncio.run(run())
