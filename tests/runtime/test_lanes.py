"""The consumer's lanes: with several messages in hand, each participant's events are
handled in the order they were delivered, and one participant's slow event does not
hold up the others (``consumer.py``, ``EventConsumer.receive``)."""

from __future__ import annotations

import asyncio
import random

import aio_pika
from zroute_contract.types import new_participant_ref

from tests.helpers import wait_for
from tests.runtime.probe import BLOCKING, registered, start_probe
from tests.runtime.test_consumer import ROUTING_KEY, effects, event_body


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


async def _count_is(runtime, ref: str, count: int) -> bool:
    return await effects(runtime, ref) == count


class FakeMessage:
    """Enough of an incoming message for the lanes: a body, a channel, ack and nack."""

    def __init__(self, body: bytes, message_id: str, channel: object, log: list[str]) -> None:
        self.body, self.message_id, self.channel = body, message_id, channel
        self.headers: dict[str, object] = {}
        self.routing_key = ROUTING_KEY
        self._log = log

    async def nack(self, requeue: bool = True) -> None:
        self._log.append(f"nack {self.message_id}")

    async def ack(self) -> None:
        self._log.append(f"ack {self.message_id}")


async def test_a_message_handed_back_holds_back_its_lane_until_it_comes_round(settings):
    """When a message can be neither handled nor retried (the broker is away for the
    retry publish), it is handed back; the later messages of its participant on the same
    channel go back after it, not ahead of it; other participants go on."""
    from zroute_runtime.consumer import EventConsumer
    from zroute_runtime.topology import ServiceTopology

    from tests.runtime.probe import probe_definition

    definition = probe_definition()
    consumer = EventConsumer(
        service="probe",
        topology=ServiceTopology.for_service(settings, "probe", [ROUTING_KEY]),
        handlers=definition.handlers,
        uow_factory=None,  # type: ignore[arg-type]  # never reached: processing is replaced
        channel=None,  # type: ignore[arg-type]
    )
    log: list[str] = []
    channel = object()
    failing = {"a1"}

    async def process(message, checked) -> None:
        if message.message_id in failing:
            failing.discard(message.message_id)
            raise ConnectionError("retry publish failed: the broker is away")
        log.append(f"handled {message.message_id}")
        await message.ack()

    consumer._process_checked = process  # type: ignore[method-assign]
    a, b = new_participant_ref(), new_participant_ref()

    def message(ref: str, message_id: str) -> FakeMessage:
        return FakeMessage(event_body(registered(ref))[1], message_id, channel, log)

    first = [message(a, "a1"), message(a, "a2"), message(b, "b1"), message(a, "a3")]
    await asyncio.gather(*(consumer.receive(m) for m in first))
    assert [entry for entry in log if " a" in entry] == ["nack a1", "nack a2", "nack a3"]
    assert [entry for entry in log if " b" in entry] == ["handled b1", "ack b1"]
    # The broker delivers them again in their places: a1 first, then the rest in order.
    log.clear()
    again = [message(a, "a1"), message(a, "a2"), message(a, "a3")]
    await asyncio.gather(*(consumer.receive(m) for m in again))
    assert log == ["handled a1", "ack a1", "handled a2", "ack a2", "handled a3", "ack a3"]
