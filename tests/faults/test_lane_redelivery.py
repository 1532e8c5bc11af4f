"""Messages in hand when the consumer's connection is lost come back in their places, and
each participant's are still handled in order, once.

The consumer holds up to ``ZROUTE_PREFETCH`` messages unacknowledged, one lane per
participant (``consumer.py``). Here one participant's first event is held mid-handler
while its four later ones wait in its lane and another participant's pass them; then the
broker closes the consuming connection, as a crash of the service would. RabbitMQ
requeues every unacknowledged message in its place; the handlers in hand are cancelled
with their channel (the held one's transaction rolls back); FastStream reconnects and
the copies are delivered again. All five are then handled from their copies: in the
order they were sent, each once.

On a RabbitMQ node and a PostgreSQL cluster of the test's own
(``tests/faults/servers.py``), never the machine's shared ones.
"""

from __future__ import annotations

import asyncio
import shlex
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import pytest
from zroute_contract.types import new_participant_ref

from tests.faults import harness
from tests.faults.servers import OwnPostgres, OwnRabbit
from tests.helpers import wait_for
from tests.runtime.probe import BLOCKING, probe_settings, registered, start_probe
from tests.runtime.test_consumer import ROUTING_KEY, event_body

pytestmark = [pytest.mark.slow, pytest.mark.faults, pytest.mark.timeout(300)]


@dataclass
class Servers:
    postgres: OwnPostgres
    rabbit: OwnRabbit


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    postgres, rabbit = OwnPostgres(), OwnRabbit()
    try:
        postgres.start()
        rabbit.start()
        yield Servers(postgres, rabbit)
    finally:
        try:
            rabbit.stop()
        finally:
            postgres.stop()


async def consumer_connections(rabbit: OwnRabbit) -> list[str]:
    """The connections with a consuming channel (only the probe's subscriber consumes)."""
    out = await harness.sh(f"{rabbit.ctl} --silent list_channels connection consumer_count")
    return [
        line.split("\t")[0]
        for line in out.splitlines()
        if line.count("\t") == 1 and line.split("\t")[1].strip() not in ("", "0")
    ]


async def test_messages_in_hand_at_a_connection_loss_are_handled_in_order_once(servers):
    url = urlsplit(servers.postgres.admin_url)
    settings = probe_settings(
        database_url=urlunsplit(url._replace(path="/zrlanes_{service}")),
        amqp_url=servers.rabbit.amqp_url,
        name_prefix=f"zrlanes-{uuid.uuid4().hex[:6]}",
        prefetch=16,
    )
    runtime = await start_probe(settings)
    held, other = new_participant_ref(), new_participant_ref()
    entered, release = asyncio.Event(), asyncio.Event()
    BLOCKING[held] = (entered, release)
    connection = await aio_pika.connect_robust(settings.amqp_url)
    try:
        sent: dict[str, list[str]] = {held: [], other: []}
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(settings.exchange_name)
        for ref in (held, other) * 5:
            event_id, body = event_body(registered(ref))
            sent[ref].append(event_id)
            await exchange.publish(aio_pika.Message(body), routing_key=ROUTING_KEY)
        await asyncio.wait_for(entered.wait(), 30)

        async def rows(ref: str) -> list[str]:
            found = await runtime.pool.fetch(
                "SELECT event_id::text FROM probe_effects WHERE subject = $1 ORDER BY id", ref
            )
            return [row["event_id"] for row in found]

        async def queue_state() -> tuple[int, int]:
            queue = await channel.declare_queue(settings.name("probe"), passive=True)
            return queue.declaration_result.message_count, queue.declaration_result.consumer_count

        await wait_for(lambda: _equal(rows(other), sent[other]), what="the other participant")
        # All five of the held participant's events are in hand: none ready in the queue.
        assert await queue_state() == (0, 1)
        assert await rows(held) == []

        [before] = await consumer_connections(servers.rabbit)
        await harness.sh(
            f"{servers.rabbit.ctl} close_connection {shlex.quote(before)} 'lanes: connection lost'"
        )

        async def reconnected_with_all_in_hand() -> bool:
            now = await consumer_connections(servers.rabbit)
            return bool(now) and now != [before] and await queue_state() == (0, 1)

        # FastStream reconnects (aio-pika waits 5 s) and takes the five copies again.
        await wait_for(reconnected_with_all_in_hand, timeout=60, what="the copies in hand")
        release.set()  # a handler that outlived its channel would finish now
        await wait_for(lambda: _equal(rows(held), sent[held]), timeout=30, what="held, in order")

        async def settled() -> bool:
            state = await queue_state()
            unacked = await harness.sh(
                f"{servers.rabbit.ctl} --silent list_queues name messages_unacknowledged"
            )
            return state == (0, 1) and f"{settings.name('probe')}\t0" in unacked

        await wait_for(settled, timeout=30, what="every copy acked")
        assert await rows(held) == sent[held]  # once each, in the order sent
        assert await rows(other) == sent[other]
    finally:
        BLOCKING.pop(held, None)
        release.set()
        await connection.close()
        await runtime.stop()


async def _equal(found, expected: list[str]) -> bool:
    return await found == expected
