"""A deliberately wrong replacement of planning, for the kit to fail.

``WrongPlanning`` is a small aio-pika consumer posing as planning on the same queue
names. It keeps the topology (but forgets to bind partner-updated) and answers
pip-established with plan-activated, but it acks whatever it cannot read instead of
dead-lettering it, publishes plan-activated
with a wrong routing key, and keeps no inbox, so a redelivered pip-established
activates the plan a second time.
"""

from __future__ import annotations

import itertools
import json

import aio_pika
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.envelope import build_event
from zroute_contract.events import PartnerUpdated, PipEstablished, PlanActivated
from zroute_contract.events.base import event_types

SOURCE = "urn:nld:kvknr:12345678:systeem:wrong-planning"
WRONG_KEY = "planning.plans.activated"


class WrongPlanning:
    def __init__(self, connection: aio_pika.abc.AbstractConnection, prefix: str) -> None:
        self.connection = connection
        self.prefix = prefix
        self.sequence = itertools.count(1)
        self.samples = SampleBuilder()

    async def start(self, janitor) -> None:
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange(
            f"{self.prefix}.events", aio_pika.ExchangeType.TOPIC, durable=True
        )
        dlx = await channel.declare_exchange(
            f"{self.prefix}.dead-letter", aio_pika.ExchangeType.DIRECT, durable=True
        )
        dlq = await channel.declare_queue(
            f"{self.prefix}.planning.dead-letter",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        await dlq.bind(dlx, routing_key="planning")
        queue = await channel.declare_queue(
            f"{self.prefix}.planning", durable=True, arguments={"x-queue-type": "quorum"}
        )
        janitor.exchanges.update({exchange.name, dlx.name})
        janitor.queues.update({queue.name, dlq.name})
        for cls in event_types().values():
            if "planning" in cls.spec.consumers and cls is not PartnerUpdated:  # wrong: forgot one
                await queue.bind(exchange, routing_key=cls.spec.routing_key)
        self.exchange = exchange
        await queue.consume(self.on_message)

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        try:
            envelope = json.loads(message.body)
            if envelope.get("type") == PipEstablished.spec.type:
                await self.activate(envelope)
        except Exception:
            pass  # wrong: swallowed instead of dead-lettered with a reason
        await message.ack()

    async def activate(self, received: dict) -> None:
        ref = received["data"]["participant_ref"]
        payload = self.samples.event(PlanActivated, participant_ref=ref)
        event = build_event(
            payload,
            source=SOURCE,
            sequence=next(self.sequence),
            correlation_id=received["correlationid"],
            causation_id=received["id"],
            subject=ref,
        )
        await self.exchange.publish(
            aio_pika.Message(event.to_json(), message_id=event.id), routing_key=WRONG_KEY
        )
