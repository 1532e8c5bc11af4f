"""The conformance kit's access to the bus: configuration, probes out, outputs and dead
letters in. The checks are in :mod:`.kit_checks`; :mod:`.kit` runs them.

The conformance run against one service's replacement, over AMQP only.

The kit plays every other party of the bus: it publishes the events the service
consumes on the events exchange, and reads what the service publishes (an exclusive
queue bound to ``<service>.#``) and what it dead-letters (``<prefix>.<service>.dead-letter``).
It calls nothing private: no database, no HTTP API of the service.

Run it against a test deployment: the probes are real events the service will act on.
Dead letters in the queue that the kit did not cause are left there (they are taken
unacknowledged and returned when the kit closes its channel).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

try:
    import aio_pika
    from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractIncomingMessage
    from aiormq.exceptions import ChannelClosed, DeliveryError, PublishError
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "the conformance kit needs aio-pika: pip install 'zroute-contract[conformance]'"
    ) from exc

from zroute_contract.conformance.report import Report
from zroute_contract.conformance.rules import Published
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.envelope import CONTENT_TYPE, CloudEvent, build_event
from zroute_contract.events.base import SERVICES, Event, event_types

PROBE_HEADER = "x-zroute-conformance"
REASON_HEADER = "x-zroute-reason"
REASON_KIND_HEADER = "x-zroute-reason-kind"
DEFAULT_SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-conformance"

TOPOLOGY = "1"
DEAD_LETTERS = "2"
CONSUMED = "3"
OUTPUTS = "4"
IDEMPOTENCY = "5"


@dataclass
class KitConfig:
    """Where the service under test is and how long to wait for it."""

    amqp_url: str
    service: str
    prefix: str = "zroute"
    exchange: str = "events"
    # Upper bound of every wait (a dead letter, a drained queue, an output). Waits for
    # something that may rightly never come (the dead letter of a mutant that acks) are
    # shorter: a multiple of the slowest answer the service gave, measured (see
    # ``KitBus.patience``), never below ``min_wait`` nor above ``timeout``.
    timeout: float = 10.0
    # Silence that ends a wait for "nothing more is coming" (outputs after an input).
    # None: measured, like the patience; a number fixes it.
    quiet: float | None = None
    source: str = DEFAULT_SOURCE
    min_wait: float = 0.5

    def name(self, *parts: str) -> str:
        return ".".join([self.prefix, *parts])


@dataclass
class DeadLetter:
    body: bytes
    message_id: str | None
    headers: dict[str, Any]

    @property
    def reason(self) -> str:
        return _text(self.headers.get(REASON_HEADER))

    @property
    def kind(self) -> str:
        return _text(self.headers.get(REASON_KIND_HEADER))


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


@dataclass
class _Sent:
    """One message the kit published."""

    message_id: str
    body: bytes
    routing_key: str
    what: str
    event_type: str | None = None


@dataclass
class _State:
    outputs: list[Published] = field(default_factory=list)
    dead: list[DeadLetter] = field(default_factory=list)
    sent: dict[str, _Sent] = field(default_factory=dict)
    last_activity: float = field(default_factory=time.monotonic)
    # When each probe was published, and the slowest answer seen (seconds).
    published_at: dict[str, float] = field(default_factory=dict)
    slowest: float = 0.0


PATIENCE_FACTOR = 5.0


class KitBus:
    """The kit's hands on the bus: publishing probes, watching outputs and dead letters,
    waiting for things to happen."""

    def __init__(self, config: KitConfig) -> None:
        if config.service not in SERVICES:
            raise ValueError(f"unknown service {config.service!r}: one of {', '.join(SERVICES)}")
        self.config = config
        self.service = config.service
        self.queue = config.name(config.service)
        self.dead_letter_queue = config.name(config.service, "dead-letter")
        self.exchange_name = config.name(config.exchange)
        self.report = Report(config.service, config.prefix)
        self.state = _State()
        self.token = uuid.uuid4().hex[:8]
        self.samples = SampleBuilder(self.token)
        self.consumed = [
            cls for cls in event_types().values() if self.service in cls.spec.consumers
        ]
        self._sequence = time.time_ns() // 1000  # increasing across runs of the kit
        self.unroutable: set[str] = set()
        # correlationid of every envelope the kit published, by event id.
        self.correlations: dict[str, str] = {}
        # Keys whose first word a foreign binding takes (mandatory probes are blind there).
        self.masked: set[str] = set()
        self.capture_queue: Any = None
        self.scenario_ids: list[str] = []
        self._scenario_envelopes: list[CloudEvent] = []
        self.connection: aio_pika.abc.AbstractConnection
        self.publisher: AbstractChannel
        self.exchange: AbstractExchange

    # -- the run ---------------------------------------------------------------------
    # -- 1. topology -------------------------------------------------------------------
    async def _connect(self) -> None:
        self.connection = await aio_pika.connect(
            self.config.amqp_url,
            client_properties={"connection_name": f"zroute-conformance-{self.service}"},
        )

    async def _watch(self) -> None:
        """Start reading the service's outputs and its dead letters."""
        capture = await self.connection.channel()
        exchange = await capture.get_exchange(self.exchange_name, ensure=False)
        queue = await capture.declare_queue(
            f"{self.config.prefix}.conformance.{self.token}", exclusive=True, auto_delete=True
        )
        await queue.bind(exchange, routing_key=f"{self.service}.#")
        self.capture_queue, self.capture_exchange = queue, exchange

        async def on_output(message: AbstractIncomingMessage) -> None:
            if message.message_id not in self.state.sent:
                self.state.outputs.append(
                    Published.parse(
                        message.routing_key or "",
                        message.message_id,
                        message.body,
                        content_type=message.content_type,
                        delivery_mode=int(message.delivery_mode)
                        if message.delivery_mode is not None
                        else None,
                    )
                )
                self._answered(self._cause_of(self.state.outputs[-1]))
                self._touch()
            await message.ack()

        await queue.consume(on_output)

        dead = await self.connection.channel()
        await dead.set_qos(prefetch_count=0)
        dlq = await dead.declare_queue(self.dead_letter_queue, passive=True)

        async def on_dead(message: AbstractIncomingMessage) -> None:
            headers = dict(message.headers or {})
            probe = _text(headers.get(PROBE_HEADER))
            ours = (
                probe == self.token
                or message.message_id in self.state.sent
                or any(s.body == message.body for s in self.state.sent.values())
            )
            if ours:
                self.state.dead.append(DeadLetter(message.body, message.message_id, headers))
                self._answered(message.message_id)
                self._touch()
                await message.ack()
            elif probe:
                await message.ack()  # left over from an earlier, interrupted run
            # Anything else is not ours: left unacknowledged, returned when we close.

        await dlq.consume(on_dead)

    async def _capture_everything(self) -> None:
        """From now on read every key, not only ``<service>.#``: a replacement that
        publishes a foreign type on a foreign key is seen. Done after the mandatory
        probes, which a ``#`` binding of the kit's own would blind."""
        await self.capture_queue.bind(self.capture_exchange, routing_key="#")

    def service_outputs(self) -> list[Published]:
        """What the service published: everything on its own keys, and on any other key
        whatever comes from one of its sources (seen on its own keys or naming a kit
        input as its cause). Other parties' traffic, where there is any, is left out."""
        prefix = f"{self.service}."
        sources = {
            o.envelope.source
            for o in self.state.outputs
            if o.envelope is not None and o.routing_key.startswith(prefix)
        }
        if not sources:
            sources = {
                o.envelope.source
                for o in self.state.outputs
                if o.envelope is not None and self._cause_of(o) in self.state.sent
            }
        return [
            o
            for o in self.state.outputs
            if o.routing_key.startswith(prefix)
            or (o.envelope is not None and o.envelope.source in sources)
        ]

    # -- timing ------------------------------------------------------------------------
    def _cause_of(self, output: Published) -> str | None:
        if output.envelope is None:
            return None
        if output.envelope.causationid in self.state.sent:
            return output.envelope.causationid
        ids = output.envelope.data.get("event_ids")
        if isinstance(ids, list):
            return next((i for i in ids if i in self.state.sent), None)
        return None

    def _answered(self, message_id: str | None) -> None:
        """Record how long the service took to answer probe ``message_id``."""
        started = self.state.published_at.get(message_id or "")
        if started is not None:
            self.state.slowest = max(self.state.slowest, time.monotonic() - started)

    @property
    def patience(self) -> float:
        """How long to wait for something that may rightly never come: a multiple of the
        slowest answer measured so far, bounded by ``min_wait`` and ``timeout``."""
        measured = PATIENCE_FACTOR * self.state.slowest
        return min(self.config.timeout, max(self.config.min_wait, measured))

    @property
    def quiet_seconds(self) -> float:
        if self.config.quiet is not None:
            return self.config.quiet
        return min(self.config.timeout, max(self.config.min_wait, 3 * self.state.slowest))

    # -- 2. dead-lettering of bad input ----------------------------------------------
    def _touch(self) -> None:
        self.state.last_activity = time.monotonic()

    def _dead_letters(self, message_id: str) -> list[DeadLetter]:
        sent = self.state.sent.get(message_id)
        return [
            d
            for d in self.state.dead
            if d.message_id == message_id or (sent is not None and d.body == sent.body)
        ]

    def _envelope(self, payload: Event) -> CloudEvent:
        self._sequence += 1
        envelope = build_event(
            payload,
            source=self.config.source,
            sequence=self._sequence,
            # One correlation per input, so that an output carrying the wrong one is seen.
            correlation_id=f"conformance-{self.token}-{self._sequence}",
            subject=getattr(payload, "participant_ref", None),
            time=datetime.now(UTC),
        )
        self.correlations[envelope.id] = envelope.correlationid
        return envelope

    async def _publish(
        self,
        body: bytes,
        routing_key: str,
        *,
        message_id: str,
        what: str,
        event_type: str | None = None,
        record: bool = True,
    ) -> bool:
        """Publish (mandatory, confirmed); False when no queue is bound for the key."""
        if record:
            self.state.sent[message_id] = _Sent(message_id, body, routing_key, what, event_type)
        self.state.published_at[message_id] = time.monotonic()
        self._touch()  # "quiet" counts from the last input as well as the last arrival
        message = aio_pika.Message(
            body,
            message_id=message_id,
            content_type=CONTENT_TYPE,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            type=event_type,
            headers={PROBE_HEADER: self.token},
        )
        try:
            await self.exchange.publish(message, routing_key=routing_key, mandatory=True)
        except (PublishError, DeliveryError):
            if self.publisher.is_closed:
                self.publisher = await self.connection.channel(
                    publisher_confirms=True, on_return_raises=True
                )
                self.exchange = await self.publisher.get_exchange(self.exchange_name, ensure=False)
            self.unroutable.add(message_id)
            return False
        return True

    async def _wait(self, predicate: Callable[[], Any], seconds: float) -> bool:
        """Poll ``predicate`` until it holds or ``seconds`` passed (waits on arrivals)."""
        deadline = time.monotonic() + seconds
        while not predicate():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _settle(self, predicate: Callable[[], Any]) -> bool:
        """Wait until ``predicate`` holds, or nothing arrived for ``patience`` seconds
        (the service has answered what it will), or ``timeout`` passed."""
        deadline = time.monotonic() + self.config.timeout
        while not predicate():
            now = time.monotonic()
            if now > deadline or now - self.state.last_activity > self.patience:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _quiet(self) -> None:
        """Wait until nothing arrived (output or dead letter) for ``quiet`` seconds."""
        deadline = time.monotonic() + self.config.timeout
        while time.monotonic() - self.state.last_activity < self.quiet_seconds:
            if time.monotonic() > deadline:
                return
            await asyncio.sleep(0.05)

    async def _drained(self, seconds: float | None = None) -> tuple[bool, str]:
        """Wait until the service's queue holds no ready message and has a consumer."""
        channel = await self.connection.channel()
        seconds = self.config.timeout if seconds is None else seconds
        deadline = time.monotonic() + seconds
        try:
            while True:
                try:
                    declared = await channel.declare_queue(self.queue, passive=True)
                except ChannelClosed as exc:
                    channel = await self.connection.channel()
                    return False, f"{self.queue} is gone: {exc}"
                ready = declared.declaration_result.message_count
                consumers = declared.declaration_result.consumer_count
                if ready == 0 and consumers > 0:
                    return True, ""
                if time.monotonic() > deadline:
                    return False, (
                        f"{ready} message(s) still waiting in {self.queue} after "
                        f"{seconds:.1f}s, {consumers} consumer(s)"
                    )
                await asyncio.sleep(0.05)
        finally:
            await channel.close()
