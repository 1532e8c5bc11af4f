"""Small helpers shared by the test tiers."""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from typing import Any

import aio_pika

TEST_SIGNING_KEY = "test-signing-key-not-for-production-0123456789"


async def wait_for(predicate, *, timeout: float = 15.0, interval: float = 0.02, what: str = ""):
    """Poll ``predicate`` (sync or async) until it returns a truthy value; fail after
    ``timeout`` seconds saying what was awaited. Used to wait on a row or a message,
    never as a blind sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(interval)


def token(
    roles,
    *,
    partner_id: str | None = None,
    subject: str = "staff-test",
    municipality: str | None = None,
) -> str:
    """A bearer token signed with the test key (see ``ServiceRunner.settings``)."""
    from zroute_runtime.auth import issue_token
    from zroute_runtime.settings import ServiceSettings

    settings = ServiceSettings(auth_signing_key=TEST_SIGNING_KEY)
    return issue_token(settings, subject, roles, partner_id=partner_id, municipality=municipality)


@dataclass
class Capture:
    """An exclusive queue on the events exchange that collects what arrives."""

    messages: list[aio_pika.abc.AbstractIncomingMessage] = field(default_factory=list)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(m.body) for m in self.messages]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [b for b in self.bodies() if b["type"] == event_type]

    def routing_keys(self) -> list[str]:
        return [m.routing_key for m in self.messages]


async def capture(
    connection: aio_pika.abc.AbstractConnection, exchange: str, binding: str = "#"
) -> Capture:
    """Start collecting events published on ``exchange`` with keys matching ``binding``."""
    channel = await connection.channel()
    ex = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(ex, routing_key=binding)
    result = Capture()

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        result.messages.append(message)
        await message.ack()

    await queue.consume(on_message)
    return result


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
