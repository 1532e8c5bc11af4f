"""Publishing to RabbitMQ: confirmed, mandatory, and loud when nothing receives it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, DeliveryMode
from aiormq.exceptions import DeliveryError, PublishError
from pamqp.commands import Basic
from zroute_contract.envelope import CONTENT_TYPE


class UnroutableError(RuntimeError):
    """The broker returned a mandatory message: no queue is bound for its routing key."""

    def __init__(self, exchange: str, routing_key: str) -> None:
        super().__init__(f"no queue receives {routing_key!r} on exchange {exchange!r}")
        self.exchange = exchange
        self.routing_key = routing_key


class NotConfirmedError(RuntimeError):
    """The broker nacked a message (it could not take responsibility for it)."""


def event_message(
    body: bytes,
    *,
    event_id: str,
    event_type: str,
    correlation_id: str | None = None,
    headers: Mapping[str, Any] | None = None,
) -> aio_pika.Message:
    """An AMQP message for a CloudEvent: persistent, its ``message_id`` the event id."""
    all_headers: dict[str, Any] = {"ce-type": event_type}
    if headers:
        all_headers.update(headers)
    return aio_pika.Message(
        body,
        message_id=event_id,
        correlation_id=correlation_id,
        content_type=CONTENT_TYPE,
        delivery_mode=DeliveryMode.PERSISTENT,
        type=event_type,
        headers=all_headers,
    )


async def publish(
    channel: AbstractChannel,
    exchange: str,
    routing_key: str,
    message: aio_pika.Message,
) -> None:
    """Publish and wait for the broker's confirm.

    Raises :class:`UnroutableError` when no queue is bound for ``routing_key`` and
    :class:`NotConfirmedError` when the broker nacks. ``channel`` must come from
    :func:`zroute_runtime.topology.open_channel` (confirms on, returns raise).
    """
    target = (
        channel.default_exchange
        if exchange == ""
        else await channel.get_exchange(exchange, ensure=False)
    )
    try:
        confirmation = await target.publish(message, routing_key=routing_key, mandatory=True)
    except PublishError:
        raise UnroutableError(exchange, routing_key) from None
    except DeliveryError as exc:
        raise NotConfirmedError(str(exc)) from exc
    if not isinstance(confirmation, Basic.Ack):
        raise NotConfirmedError(f"broker did not confirm: {type(confirmation).__name__}")
