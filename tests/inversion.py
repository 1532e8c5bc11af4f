"""Order inversion on purpose, for the consuming services' tests.

A predecessor event of one participant fails transiently (as after a database restart)
until its successor has been tried; so the successor is always handled while the
predecessor waits in a retry queue, whatever the timing. Wrapping the service's own
handlers keeps everything else real: the broker, the retry queues, the database.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from zroute_contract.events.base import Event
from zroute_runtime.service import ServiceDefinition

# Long enough that a loaded machine delivers the successor before the predecessor has
# used up its retries; the wait for a predecessor outlasts them.
INVERSION_SETTINGS: dict[str, Any] = {
    "retry_delays_ms": [300, 1000, 3000],
    "predecessor_wait_s": 30,
}


class Inversion:
    """Fails ``predecessor`` events of ``ref`` until a ``successor`` of ``ref`` was tried."""

    def __init__(self, ref: str, predecessor: type[Event], successor: type[Event]) -> None:
        self.ref = ref
        self.predecessor = predecessor
        self.successor = successor
        self.successor_tried = asyncio.Event()
        self.predecessor_failures = 0

    def wrap(self, definition: ServiceDefinition) -> ServiceDefinition:
        handlers = dict(definition.handlers)
        first, *rest = handlers[self.predecessor]
        handlers[self.predecessor] = [self._failing(first), *rest]
        handlers[self.successor] = [self._marking(h) for h in handlers[self.successor]]
        return dataclasses.replace(definition, handlers=handlers)

    def _ours(self, event: Any) -> bool:
        return getattr(event, "participant_ref", None) == self.ref

    def _failing(self, handler):
        async def failing(event, ctx):
            if self._ours(event) and not self.successor_tried.is_set():
                self.predecessor_failures += 1
                raise ConnectionError("planted by the test: the database went away")
            await handler(event, ctx)

        return failing

    def _marking(self, handler):
        async def marking(event, ctx):
            if self._ours(event):
                self.successor_tried.set()
            await handler(event, ctx)

        return marking


def awaiting_predecessor(*runtimes: Any) -> float:
    """How often the runtimes handed an event back to wait for its predecessor."""
    return sum(
        sample.value
        for runtime in runtimes
        for metric in runtime.metrics.events_consumed.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels["outcome"] == "awaiting_predecessor"
    )


async def dead_letter_count(connection: Any, runtime: Any) -> int:
    channel = await connection.channel()
    try:
        queue = await channel.declare_queue(runtime.topology.dead_letter_queue, passive=True)
        return queue.declaration_result.message_count
    finally:
        await channel.close()


async def start_instances(services: Any, definition: ServiceDefinition, settings: Any, n: int):
    """``n`` instances of one service competing for its queue (one database)."""
    return [await services.start(definition, settings) for _ in range(n)]
