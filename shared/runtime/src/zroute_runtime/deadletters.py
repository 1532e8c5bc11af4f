"""Inspecting and replaying dead letters: the operator's side of "nothing is dropped".

A dead letter keeps the original body and properties plus the ``x-zroute-*`` headers
that say why it failed (see docs/delivery-guarantees.md). After the cause is fixed
(a bug deployed, a missing partner registered), ``replay`` puts the message back on the
one service's own queue, not on the exchange, so no other service sees it again; the
original routing key travels in ``x-zroute-routing-key`` and the retry count starts
afresh. Replaying a message whose effect already happened is harmless: the inbox
recognises its event id.

``zroute-deadletters list <service>`` and ``zroute-deadletters replay <service>
[--message-id ID ...]`` are the command line; docs/operations.md is the runbook.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel

from zroute_runtime.consumer import (
    FAILED_AT_HEADER,
    REASON_CODE_HEADER,
    REASON_HEADER,
    REASON_KIND_HEADER,
    REASON_PARAMS_HEADER,
    RETRIES_HEADER,
    ROUTING_KEY_HEADER,
)
from zroute_runtime.publisher import publish
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.topology import open_channel


@dataclass(frozen=True)
class DeadLetter:
    """What an operator needs to decide about one dead letter (no body content)."""

    message_id: str | None
    event_type: str | None
    routing_key: str | None
    reason_kind: str
    reason: str
    failed_at: str | None
    retries: int
    # The reason as a code with its parameters (a screen words it in the reader's
    # language); None for a letter from before the codes or dead-lettered by the broker.
    reason_code: str | None = None
    reason_params: dict[str, Any] = field(default_factory=dict)


def describe(message: aio_pika.abc.AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers or {}

    def text(name: str) -> str | None:
        value = headers.get(name)
        return value.decode() if isinstance(value, bytes) else value

    death = headers.get("x-death") or []
    kind = text(REASON_KIND_HEADER) or (f"broker:{death[0].get('reason')}" if death else "unknown")
    return DeadLetter(
        message_id=message.message_id,
        event_type=message.type,
        routing_key=text(ROUTING_KEY_HEADER)
        or (death[0].get("routing-keys", [None])[0] if death else None),
        reason_kind=kind,
        reason=text(REASON_HEADER) or ("dead-lettered by the broker" if death else ""),
        failed_at=text(FAILED_AT_HEADER),
        retries=int(headers.get(RETRIES_HEADER, 0) or 0),
        reason_code=text(REASON_CODE_HEADER),
        reason_params=_params(text(REASON_PARAMS_HEADER)),
    )


def _params(raw: str | None) -> dict[str, Any]:
    """The reason's parameters, or none when the header is missing or not a JSON object."""
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


async def _drain(
    channel: AbstractChannel, queue_name: str
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Take every message off the queue without acking (they return when we let go)."""
    queue = await channel.get_queue(queue_name)
    messages = []
    while (message := await queue.get(fail=False, no_ack=False)) is not None:
        messages.append(message)
    return messages


async def list_dead_letters(
    connection: aio_pika.abc.AbstractConnection, settings: ServiceSettings, service: str
) -> list[DeadLetter]:
    """The service's dead letters, left in place."""
    channel = await connection.channel()
    try:
        messages = await _drain(channel, settings.name(service, "dead-letter"))
        return [describe(m) for m in messages]
    finally:
        await channel.close()  # unacked messages go back to the queue, in order


async def replay(
    connection: aio_pika.abc.AbstractConnection,
    settings: ServiceSettings,
    service: str,
    message_ids: set[str] | None = None,
) -> list[str]:
    """Move dead letters (all, or those with ``message_ids``) back onto the service's
    queue; returns the message ids replayed. Each is acked only after the broker
    confirmed its copy, so a crash in between leaves it in the dead-letter queue."""
    reader = await connection.channel()
    writer = await open_channel(connection)
    replayed = []
    try:
        for message in await _drain(reader, settings.name(service, "dead-letter")):
            if message_ids is not None and message.message_id not in message_ids:
                continue
            headers: dict[str, Any] = dict(message.headers or {})
            for name in (
                RETRIES_HEADER,
                REASON_HEADER,
                REASON_KIND_HEADER,
                REASON_CODE_HEADER,
                REASON_PARAMS_HEADER,
                FAILED_AT_HEADER,
            ):
                headers.pop(name, None)
            if ROUTING_KEY_HEADER not in headers:
                headers[ROUTING_KEY_HEADER] = describe(message).routing_key or ""
            headers["x-zroute-replayed"] = True
            copy = aio_pika.Message(
                message.body,
                headers=headers,
                message_id=message.message_id,
                correlation_id=message.correlation_id,
                content_type=message.content_type,
                type=message.type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await publish(writer, "", settings.name(service), copy)
            await message.ack()
            replayed.append(message.message_id or "")
    finally:
        await reader.close()
        await writer.close()
    return replayed


def main(argv: list[str] | None = None) -> None:
    """``zroute-deadletters list|replay <service>``."""
    parser = argparse.ArgumentParser(
        prog="zroute-deadletters", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("list", "replay"):
        p = sub.add_parser(name)
        p.add_argument("service", choices=["intake", "planning", "support", "notifications"])
        if name == "replay":
            p.add_argument(
                "--message-id",
                action="append",
                dest="ids",
                help="replay only this message (repeatable); default: all",
            )
    args = parser.parse_args(argv)

    async def run() -> None:
        settings = ServiceSettings()
        connection = await aio_pika.connect_robust(settings.amqp_url)
        try:
            if args.command == "list":
                for letter in await list_dead_letters(connection, settings, args.service):
                    print(json.dumps(letter.__dict__))
            else:
                ids = set(args.ids) if args.ids else None
                done = await replay(connection, settings, args.service, ids)
                print(f"replayed {len(done)} message(s) onto {settings.name(args.service)}")
        finally:
            await connection.close()

    asyncio.run(run())
