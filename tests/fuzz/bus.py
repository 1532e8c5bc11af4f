"""Bad messages straight onto the bus: what to send, and how to see where it ended.

Each service under test is described by a :class:`Target`: the running runtime, a
routing key its queue is bound to, and a factory of a valid event it handles (with any
state it needs already in place). From the valid event's envelope the bad messages are
made by changing one thing each.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aio_pika
from zroute_contract.envelope import build_event
from zroute_contract.events.base import Event, event_types

from tests.helpers import wait_for

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-fuzz"
TWO_MB = 2 * 1024 * 1024


@dataclass
class Target:
    runtime: Any
    connection: aio_pika.abc.AbstractRobustConnection
    key: str  # a routing key the service's queue is bound to
    valid: Callable[[], Awaitable[Event]]  # a fresh event the service handles

    @property
    def service(self) -> str:
        return self.runtime.service


@dataclass(frozen=True)
class Bad:
    name: str
    body: bytes
    key: str
    kind: str  # the x-zroute-reason-kind expected
    message_id: str


def envelope_of(event: Event, **changes: Any) -> dict[str, Any]:
    envelope = build_event(
        event,
        source=SOURCE,
        sequence=1,
        correlation_id="c-fuzz-bus",
        subject=getattr(event, "participant_ref", None),
    )
    return json.loads(envelope.to_json()) | changes


def not_consumed_by(service: str) -> type[Event]:
    """A contract event type ``service`` has no handler for."""
    return next(
        cls
        for cls in event_types().values()
        if service not in cls.spec.consumers and not cls.spec.addressed_by
    )


def bad_messages(target: Target, valid: Event) -> list[Bad]:
    """One message for each way a message can be bad, all on a key the service binds."""
    good = envelope_of(valid)
    key = target.key

    def bad(name: str, body: bytes | dict[str, Any], kind: str = "invalid") -> Bad:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return Bad(name, raw, key, kind, str(uuid.uuid4()))

    wrong_type_data = good["data"] | {"participant_ref": 12345}
    oversized_data = good["data"] | {"participant_ref": "zr-" + "a" * TWO_MB}
    unexpected = not_consumed_by(target.service)
    from tests.contract.samples import sample_event

    return [
        bad("malformed JSON", b'{"specversion": "1.0", "id": "'),
        bad("JSON but not an object", b"[1, 2, 3]"),
        bad("not UTF-8", b"\xff\xfe\x00garbage"),
        bad("empty body", b""),
        bad("oversized (2 MB), invalid field", good | {"data": oversized_data}),
        bad("wrongly typed data field", good | {"data": wrong_type_data}),
        bad("wrongly typed envelope attribute", good | {"time": 1234567890, "sequence": 7}),
        bad("envelope attribute missing", {k: v for k, v in good.items() if k != "id"}),
        bad("unknown type", good | {"type": "nl.zroute.intake.no-such-event.v1"}),
        bad(
            "a type this service does not handle",
            envelope_of(sample_event(unexpected)),
            kind="unexpected-type",
        ),
    ]


async def publish(
    target: Target, body: bytes, key: str, message_id: str | None = None, **properties: Any
) -> str:
    message_id = message_id or str(uuid.uuid4())
    channel = await target.connection.channel(publisher_confirms=True)
    try:
        exchange = await channel.get_exchange(target.runtime.topology.exchange)
        await exchange.publish(
            aio_pika.Message(body, message_id=message_id, **properties),
            routing_key=key,
            mandatory=True,
        )
    finally:
        await channel.close()
    return message_id


async def publish_event(target: Target, event: Event, key: str | None = None) -> str:
    """Publish ``event`` as its producer would (or on ``key``); returns the event id."""
    envelope = envelope_of(event)
    await publish(target, json.dumps(envelope).encode(), key or event.routing_key(), envelope["id"])
    return envelope["id"]


async def handled(target: Target, event_id: str) -> bool:
    return bool(
        await target.runtime.pool.fetchval(
            "SELECT count(*) FROM zr_inbox WHERE event_id = $1::uuid", event_id
        )
    )


async def dead_letters(
    target: Target, message_ids: set[str], timeout: float = 20
) -> dict[str, aio_pika.abc.AbstractIncomingMessage]:
    """Take messages off the service's dead-letter queue until all of ``message_ids``
    are there; returns them by message id (others taken meanwhile are kept too)."""
    found: dict[str, aio_pika.abc.AbstractIncomingMessage] = {}
    channel = await target.connection.channel()
    queue = await channel.get_queue(target.runtime.topology.dead_letter_queue)

    async def all_there() -> bool:
        while (message := await queue.get(fail=False)) is not None:
            await message.ack()
            found[message.message_id or ""] = message
        return message_ids <= set(found)

    try:
        await wait_for(
            all_there,
            timeout=timeout,
            what=f"{len(message_ids)} dead letters in {target.runtime.topology.dead_letter_queue}",
        )
    finally:
        await channel.close()
    return found


async def outcome(target: Target, event_id: str, timeout: float = 15) -> tuple[str, Any]:
    """Wait until the message ``event_id`` was either handled or dead-lettered; returns
    ``("handled", None)`` or ``("dead-lettered", message)``."""
    channel = await target.connection.channel()
    queue = await channel.get_queue(target.runtime.topology.dead_letter_queue)
    found: dict[str, aio_pika.abc.AbstractIncomingMessage] = {}

    async def settled() -> bool:
        while (message := await queue.get(fail=False)) is not None:
            await message.ack()
            found[message.message_id or ""] = message
        return event_id in found or await handled(target, event_id)

    try:
        await wait_for(settled, timeout=timeout, what=f"message {event_id} handled or dead")
    finally:
        await channel.close()
    if event_id in found:
        return "dead-lettered", found[event_id]
    return "handled", None


async def feed(runtime: Any, connection: aio_pika.abc.AbstractRobustConnection, event: Event):
    """Publish ``event`` as its producer would and wait until ``runtime`` handled it."""
    target = Target(runtime, connection, event.routing_key(), valid=None)  # type: ignore[arg-type]
    event_id = await publish_event(target, event)
    await wait_for(lambda: handled(target, event_id), what=f"{event.spec.type} handled")
