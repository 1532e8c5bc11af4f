"""The demo watches the bus the way an integrator would: its own queue, bound to the
notifications service's outcome events, counted by channel and result."""

from __future__ import annotations

import json
from collections import Counter

import aio_pika


class OutcomeWatch:
    def __init__(self, amqp_url: str, exchange: str, queue_name: str) -> None:
        self.amqp_url = amqp_url
        self.exchange = exchange
        self.queue_name = queue_name
        self.sent: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.by_timing: Counter[str] = Counter()
        self._connection: aio_pika.abc.AbstractConnection | None = None
        self._seen: set[str] = set()
        self.sent_notifications: dict[str, set[str]] = {}

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(self.queue_name, exclusive=True)
        await queue.bind(exchange, "notifications.notification.*")
        await queue.consume(self._on_message)

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        event = json.loads(message.body)
        await message.ack()
        if event["id"] in self._seen:  # at-least-once delivery: count each event once
            return
        self._seen.add(event["id"])
        data = event["data"]
        if event["type"].endswith("notification-sent.v1"):
            self.sent[data["channel"]] += 1
            self.sent_notifications.setdefault(data["channel"], set()).add(data["notification_id"])
            self.by_timing[data["timing"]] += 1
        else:
            self.failed[f"{data['channel']}: {data['reason']}"] += 1

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
