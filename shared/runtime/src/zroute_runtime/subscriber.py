"""The service's subscriber: takes deliveries off its queue and hands each to the
consumer, several participants at once and each participant's events in order.

Only per-participant order is promised (delivery-guarantees.md), so a queue need not be
handled strictly one message at a time. Up to ``prefetch`` messages are delivered at
once; each goes into the *lane* of its ordering key (the CloudEvent ``subject``, the
participant; events about no participant share one lane), and a lane handles its
messages one after the other in delivery order. Different participants are handled
concurrently, each in its own transaction.

Delivery order is fixed before any await: aiormq starts one task per delivery in the
order the broker delivered, and :meth:`Subscriber.deliver` joins its lane in the
synchronous first step of that task.

Stopping: the consumer tag is cancelled (nothing new arrives), messages waiting in a
lane and any arriving late are handed back to the queue (``nack`` with requeue) for
another instance or the restart, and the message each lane has in hand is finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection

log = logging.getLogger("zroute.subscriber")

Handle = Callable[[AbstractIncomingMessage], Awaitable[None]]


def ordering_key(body: bytes) -> str:
    """The participant a message is about (the CloudEvent ``subject``), or ``""``.

    A message that is no JSON object goes into the ``""`` lane; the consumer dead-letters
    it there."""
    try:
        subject = json.loads(body).get("subject")
    except (ValueError, AttributeError):
        return ""
    return subject if isinstance(subject, str) else ""


class Subscriber:
    """Consumes one queue with per-key lanes."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._lanes: dict[str, asyncio.Future[None]] = {}
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.stopping = False
        self._connection: AbstractRobustConnection | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None

    async def start(self, amqp_url: str, queue: str, *, prefetch: int, name: str) -> None:
        self._connection = await aio_pika.connect_robust(
            amqp_url, client_properties={"connection_name": name}
        )
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=prefetch)
        # passive: the topology declared it (quorum, dead-lettering); a robust channel
        # declares it again (passively) and consumes again after a reconnect
        self._queue = await channel.declare_queue(queue, passive=True)
        self._tag = await self._queue.consume(self.deliver)

    @property
    def running(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def deliver(self, message: AbstractIncomingMessage) -> None:
        # Synchronous up to the first await: this is where delivery order is kept.
        key = ordering_key(message.body)
        loop = asyncio.get_running_loop()
        previous = self._lanes.get(key)
        done: asyncio.Future[None] = loop.create_future()
        self._lanes[key] = done
        self._in_flight += 1
        self._idle.clear()
        try:
            if previous is not None:
                await previous
            if self.stopping:
                await message.nack(requeue=True)
                return
            await self._handle_safely(message)
        finally:
            done.set_result(None)
            if self._lanes.get(key) is done:
                del self._lanes[key]
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def _handle_safely(self, message: AbstractIncomingMessage) -> None:
        try:
            await self._handle(message)
        except Exception:
            # Could not even retry or dead-letter it (the broker is away): hand it back
            # rather than hold it unacked, which would stall its lane. The delivery limit
            # still bounds a message that never passes.
            log.exception("event_returned_to_queue")
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)

    async def stop(self, within_s: float = 30.0) -> None:
        """Stop taking messages, hand back the waiting ones, finish those in hand."""
        self.stopping = True
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._tag)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), within_s)
        if self._connection is not None:
            await self._connection.close()
