"""A small, correct replacement of planning or notifications, with a mutation switch.

``Replacement(service, mutation=None)`` is what a partner's team might write: an aio-pika
consumer on the catalogue's queue names that validates with the contract, dead-letters
what it cannot take (with the reason headers), keeps an inbox, and answers the kit's
scenario (planning: intake-completed, then pip-established -> plan-activated; notifications:
contact-person-assigned -> notification-sent). With ``mutation`` set it makes one small,
realistic mistake; ``MUTANTS`` lists them with the kit check that must catch each
(docs/conformance.md, "Every promise a check"). One process, in the test's event loop:
a mutant costs one kit run, nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import aio_pika
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.envelope import CONTENT_TYPE, InvalidEvent, build_event, parse_event
from zroute_contract.events import (
    ContactPersonAssigned,
    IntakeCompleted,
    NotificationSent,
    PipEstablished,
    PlanActivated,
)
from zroute_contract.events.base import event_types

SOURCES = {
    "planning": "urn:nld:kvknr:12345678:systeem:partner-planning",
    "notifications": "urn:nld:kvknr:12345678:systeem:partner-notifications",
}


@dataclass(frozen=True)
class Mutant:
    service: str
    mutation: str
    mistake: str
    # A check of the kit (report row name, or its start) that must fail.
    caught_by: str


P, N = "planning", "notifications"
SLOW_S = 0.04  # how long the "slow" (correct) replacement takes per message (planning
# consumes 13 types, 27 messages in all: their sum stays within the kit's 3 s timeout)
MUTANTS = [
    # Topology
    Mutant(P, "no-dead-letter-queue", "declares no dead-letter queue", "dead-letter queue exists"),
    Mutant(N, "not-consuming", "declares its queue but never consumes", "queue has a consumer"),
    # Bad input of every shape, dead-lettered with its reason, body unchanged
    Mutant(P, "ack-invalid", "acks what it cannot parse", "dead-lettered: non-JSON body"),
    Mutant(
        P,
        "crash-on-array",
        "indexes the body as an object; an array raises and stays unacked",
        "dead-lettered: JSON array",
    ),
    Mutant(
        N,
        "dies-on-null",
        "its consumer dies on a JSON null body",
        "keeps consuming after bad input",
    ),
    Mutant(
        N,
        "accepts-utf16",
        "lets json.loads guess the encoding",
        "dead-lettered: event in UTF-16, not UTF-8",
    ),
    Mutant(N, "no-reason", "dead-letters without x-zroute-reason", "dead-lettered: JSON string"),
    Mutant(
        P,
        "changes-body",
        "dead-letters the re-serialised body",
        "dead-lettered: valid envelope of an unknown type",
    ),
    Mutant(
        P,
        "truncated-accepted",
        "acks a truncated body as a partial write",
        "dead-lettered: truncated event",
    ),
    # Queue that stalls or hoards
    Mutant(
        P,
        "hoards-refused",
        "leaves refused messages unacknowledged (prefetch 10)",
        "keeps consuming after bad input",
    ),
    Mutant(
        N,
        "stops-after-error",
        "cancels its consumer after the first dead letter",
        "keeps consuming after bad input",
    ),
    # Routing
    Mutant(
        P,
        "dispatch-by-key",
        "dispatches on the routing key, not the type: a wrong type is acked",
        "dead-lettered: wrong type on intake.participant.registered",
    ),
    Mutant(
        N,
        "acks-unexpected-type",
        "acks valid events it has no handler for",
        "dead-lettered: wrong type on intake.intake.scheduled",
    ),
    Mutant(N, "forgot-binding", "forgets to bind consent-withdrawn", "consumed: consent-withdrawn"),
    Mutant(
        P,
        "binds-support-wildcard",
        "binds support.# and acks what it does not know",
        "binds no wildcard it does not consume",
    ),
    # Unknown fields
    Mutant(
        P,
        "forbids-unknown-data",
        "refuses data with fields it does not know",
        "unknown fields ignored (additive v1)",
    ),
    Mutant(
        N,
        "forbids-unknown-attributes",
        "refuses envelope attributes it does not know",
        "unknown fields ignored (additive v1)",
    ),
    # Outputs: envelope, properties, keys, types
    Mutant(
        P,
        "no-specversion",
        "builds the envelope by hand without specversion",
        "outputs: strict CloudEvents 1.0 / NL GOV envelope",
    ),
    Mutant(
        N,
        "null-attributes",
        "serialises absent attributes as null",
        "outputs: strict CloudEvents 1.0 / NL GOV envelope",
    ),
    Mutant(
        N,
        "no-content-type",
        "publishes without content type",
        "outputs: message properties (content type, persistent, message id)",
    ),
    Mutant(
        P,
        "transient",
        "publishes non-persistent messages",
        "outputs: message properties (content type, persistent, message id)",
    ),
    Mutant(
        N,
        "own-message-id",
        "sets its own AMQP message_id",
        "outputs: AMQP message_id = CloudEvent id",
    ),
    Mutant(
        P,
        "wrong-key",
        "publishes plan-activated on planning.plans.activated",
        "outputs: routing key (with .<partner-id> when addressed)",
    ),
    Mutant(
        P,
        "foreign-type",
        "also announces the plan as a notification-sent on notifications.*",
        "outputs: type is produced by planning",
    ),
    Mutant(
        N,
        "source-per-instance",
        "puts its instance in the source",
        "outputs: one constant source",
    ),
    # Sequence
    Mutant(
        P,
        "sequence-per-participant",
        "numbers events per participant",
        "outputs: sequence increases per source",
    ),
    Mutant(
        N,
        "sequence-skips",
        "takes a database sequence with cache: numbers jump",
        "outputs: sequence gapless per source, one id per event",
    ),
    Mutant(
        P,
        "no-subject",
        "leaves subject out",
        "outputs: subject = payload participant_ref",
    ),
    Mutant(P, "bsn-in-dataref", "puts the BSN in dataref", "outputs: no BSN-shaped value"),
    Mutant(
        P,
        "date-as-datetime",
        "writes start_on as a midnight date-time (the Python models accept it)",
        "outputs: valid against the committed JSON Schemas, formats asserted",
    ),
    # Correlation, causation, scenario, idempotency
    Mutant(
        P,
        "new-correlation",
        "starts a new correlation for each output",
        "outputs: correlation and causation carried from the input",
    ),
    Mutant(
        N,
        "lost-causation",
        "names no cause (no causationid, event_ids of its own)",
        "outputs: correlation and causation carried from the input",
    ),
    Mutant(
        P,
        "no-plan-without-childcare",
        "reads childcare.needed inverted: no plan when no childcare is needed",
        "scenario: plan-activated for the participant",
    ),
    Mutant(N, "no-inbox", "keeps no inbox", "redelivered input has no second effect"),
]


class Replacement:
    def __init__(
        self,
        connection: aio_pika.abc.AbstractConnection,
        prefix: str,
        service: str,
        mutation: str | None = None,
    ) -> None:
        self.connection = connection
        self.prefix = prefix
        self.service = service
        self.mutation = mutation
        self.samples = SampleBuilder()
        self.sequence = itertools.count(1)
        self.per_participant: dict[str, itertools.count] = {}
        self.inbox: set[str] = set()
        self.intakes: dict[str, IntakeCompleted] = {}
        self.dead_lettered = 0
        self.consumed = [c for c in event_types().values() if service in c.spec.consumers]

    # -- topology ----------------------------------------------------------------------
    async def start(self, janitor) -> None:
        m = self.mutation
        self.channel = await self.connection.channel()
        await self.channel.set_qos(prefetch_count=10 if m == "hoards-refused" else 1)
        self.exchange = await self.channel.declare_exchange(
            f"{self.prefix}.events", aio_pika.ExchangeType.TOPIC, durable=True
        )
        self.dlx = await self.channel.declare_exchange(
            f"{self.prefix}.dead-letter", aio_pika.ExchangeType.DIRECT, durable=True
        )
        janitor.exchanges.update({self.exchange.name, self.dlx.name})
        if m != "no-dead-letter-queue":
            dlq = await self.channel.declare_queue(
                f"{self.prefix}.{self.service}.dead-letter",
                durable=True,
                arguments={"x-queue-type": "quorum"},
            )
            await dlq.bind(self.dlx, routing_key=self.service)
            janitor.queues.add(dlq.name)
        queue = await self.channel.declare_queue(
            f"{self.prefix}.{self.service}", durable=True, arguments={"x-queue-type": "quorum"}
        )
        janitor.queues.add(queue.name)
        for cls in self.consumed:
            if m == "forgot-binding" and cls.spec.name == "consent-withdrawn":
                continue
            key = cls.spec.routing_key + (".*" if cls.spec.addressed_by else "")
            await queue.bind(self.exchange, routing_key=key)
        if m == "binds-support-wildcard":
            await queue.bind(self.exchange, routing_key="support.#")
        if m != "not-consuming":
            self.tag = await queue.consume(self.on_message)
        self.queue = queue

    # -- consuming ---------------------------------------------------------------------
    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        m = self.mutation
        if m == "slow":  # not a mistake: a correct replacement that takes its time
            await asyncio.sleep(SLOW_S)
        body = message.body
        if m == "accepts-utf16" and body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            body = json.dumps(json.loads(body)).encode()  # json.loads guesses UTF-16
        if m == "truncated-accepted" and body.startswith(b"{"):
            try:
                json.loads(body)
            except ValueError:
                await message.ack()  # "a partial write; the producer will send it again"
                return
        try:
            raw = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raw = None
        if m == "crash-on-array" and isinstance(raw, list):
            return  # raw["type"] raised: the message is neither acked nor dead-lettered
        if m == "dies-on-null" and body.strip() == b"null":
            await self.queue.cancel(self.tag)  # the consumer task died
            return
        if isinstance(raw, dict):
            if m == "forbids-unknown-attributes" and "zrouteconformance" in raw:
                await self.refuse(message, "invalid", "envelope: unknown attribute")
                return
            if m == "forbids-unknown-data" and "conformance_added_field" in raw.get("data", {}):
                await self.refuse(message, "invalid", "data: extra fields not permitted")
                return
        try:
            envelope, payload = parse_event(body)
        except InvalidEvent as exc:
            if m == "ack-invalid":
                await message.ack()
                return
            await self.refuse(message, "invalid", exc.reason)
            return
        handled = {c.spec.type for c in self.consumed}
        if m == "dispatch-by-key":
            handled = {c.spec.type for c in event_types().values()}
        if m == "binds-support-wildcard" and envelope.type.startswith("nl.zroute.support."):
            handled.add(envelope.type)
        if envelope.type not in handled:
            if m == "acks-unexpected-type":
                await message.ack()
                return
            await self.refuse(
                message, "unexpected-type", f"{self.service} has no handler for {envelope.type}"
            )
            return
        if envelope.id in self.inbox and m != "no-inbox":
            await message.ack()
            return
        self.inbox.add(envelope.id)
        if self.service == "planning" and isinstance(payload, IntakeCompleted):
            self.intakes[payload.participant_ref] = payload  # held until the PIP
        intake = (
            self.intakes.get(payload.participant_ref)
            if self.service == "planning" and isinstance(payload, PipEstablished)
            else None
        )
        if intake is not None and (m != "no-plan-without-childcare" or intake.childcare.needed):
            await self.plan_activated(envelope, intake)
        if self.service == "notifications" and isinstance(payload, ContactPersonAssigned):
            await self.notification_sent(envelope, payload)
        await message.ack()

    async def refuse(self, message, kind: str, reason: str) -> None:
        m = self.mutation
        if m == "hoards-refused":
            return  # neither acked nor dead-lettered
        headers = dict(message.headers or {})
        if m != "no-reason":
            headers.update(
                {
                    "x-zroute-reason": reason,
                    "x-zroute-reason-kind": kind,
                    "x-zroute-routing-key": message.routing_key or "",
                    "x-zroute-service": self.service,
                }
            )
        body = message.body
        if m == "changes-body":
            with contextlib.suppress(ValueError):
                body = json.dumps(json.loads(body), indent=1).encode()
        await self.dlx.publish(
            aio_pika.Message(
                body,
                headers=headers,
                message_id=message.message_id,
                content_type=message.content_type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=self.service,
        )
        await message.ack()
        self.dead_lettered += 1
        if m == "stops-after-error" and self.dead_lettered == 1:
            await self.queue.cancel(self.tag)

    # -- publishing --------------------------------------------------------------------
    async def plan_activated(self, received, intake: IntakeCompleted) -> None:
        payload = self.samples.event(PlanActivated, participant_ref=intake.participant_ref)
        await self.publish(payload, received)
        if self.mutation == "foreign-type":
            sent = self.samples.event(
                NotificationSent, participant_ref=intake.participant_ref, event_ids=[received.id]
            )
            await self.publish(sent, received)

    async def notification_sent(self, received, assigned: ContactPersonAssigned) -> None:
        cause = str(uuid.uuid4()) if self.mutation == "lost-causation" else received.id
        payload = self.samples.event(
            NotificationSent, participant_ref=assigned.participant_ref, event_ids=[cause]
        )
        await self.publish(payload, received)

    async def publish(self, payload, received) -> None:
        m = self.mutation
        ref = getattr(payload, "participant_ref", None)
        number = next(self.sequence)
        if m == "sequence-per-participant":
            number = next(self.per_participant.setdefault(ref, itertools.count(1)))
        if m == "sequence-skips":
            number = number * 2
        source = SOURCES[self.service]
        if m == "source-per-instance":
            source = f"{source}-{uuid.uuid4().hex[:6]}"
        event = build_event(
            payload,
            source=source,
            sequence=number,
            correlation_id=str(uuid.uuid4()) if m == "new-correlation" else received.correlationid,
            causation_id=None if m == "lost-causation" else received.id,
            subject=None if m == "no-subject" else ref,
            time=datetime.now(UTC),
            dataref="https://planning.example/participants/111222333"
            if m == "bsn-in-dataref"
            else None,
        )
        if m == "no-specversion":
            raw = json.loads(event.to_json())
            del raw["specversion"]
            body = json.dumps(raw).encode()
        elif m == "date-as-datetime" and "start_on" in event.data:
            raw = json.loads(event.to_json())
            raw["data"]["start_on"] += "T00:00:00"
            body = json.dumps(raw).encode()
        elif m == "null-attributes":
            body = event.model_dump_json().encode()
        else:
            body = event.to_json()
        message = aio_pika.Message(
            body,
            message_id=str(uuid.uuid4()) if m == "own-message-id" else event.id,
            content_type=None if m == "no-content-type" else CONTENT_TYPE,
            delivery_mode=aio_pika.DeliveryMode.NOT_PERSISTENT
            if m == "transient"
            else aio_pika.DeliveryMode.PERSISTENT,
        )
        key = payload.routing_key()
        if m == "wrong-key":
            key = "planning.plans.activated"
        await self.exchange.publish(message, routing_key=key)
