"""Consuming events: validate, deduplicate, handle in one transaction, retry, dead-letter.

For each delivery from the service's queue:

1. Parse the CloudEvent and its payload against the contract. A message that does not
   validate, or whose type this service has no handler for, goes to the dead-letter
   queue at once with ``x-zroute-reason`` saying what was wrong.
2. Open a unit of work; claim the event id in the inbox. A duplicate is acked with no
   second effect.
3. Run the handlers, commit (state, inbox row and any new outbox events together), ack.
4. When a handler raises, the transaction rolls back and the message is republished to
   the retry queue of its attempt number (it comes back after the delay); after the
   last retry it goes to the dead-letter queue with the error. ``Unprocessable`` skips
   the retries. Republish happens before the ack, so a crash in between redelivers a
   message the inbox will recognise: nothing is lost, nothing is done twice.
5. Deliveries ready at the same time (each one's lane clear: of different participants)
   are handled together, in one transaction: one claim statement for all their inbox
   rows, each event's handlers in turn (each with its own correlation and repositories,
   ``UnitOfWork.next_step``), one COMMIT, then each is acked. BEGIN, COMMIT with its WAL
   flush and the pool round trip are paid once per batch instead of once per event.
   When anything in a batch goes wrong (a handler raises, a duplicate among them) the
   whole transaction rolls back and each of its events is handled again alone, in a
   transaction of its own, which decides its retry, dead letter or duplicate exactly as
   above: a batch changes what one COMMIT holds, never an outcome.
6. ``AwaitingPredecessor`` (the event's prerequisite has not been seen yet: an earlier
   event of its participant is still in a retry queue, or being handled elsewhere) is
   no failure. The transaction rolls back and the message waits in the retry queues
   again and again (the shortest delay first, then longer ones), with its retry count
   untouched, until its predecessor has taken effect. When the wait since its first
   refusal exceeds ``predecessor_wait_s`` it is dead-lettered with the reason (kind
   ``predecessor-missing``). The wait is kept in headers on the message, so it holds
   across restarts and whichever instance of the service takes the message next.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from aio_pika.exceptions import ChannelInvalidStateError
from structlog.contextvars import bind_contextvars, reset_contextvars
from zroute_contract.envelope import CloudEvent, InvalidEvent, parse_event
from zroute_contract.events.base import Event

from zroute_runtime import inbox
from zroute_runtime.context import MessageContext
from zroute_runtime.messagebus import (
    AwaitingPredecessor,
    HandlerContext,
    HandlerRegistry,
    Unprocessable,
)
from zroute_runtime.metrics import ConsumeOutcome, Metrics
from zroute_runtime.privacy import mask_bsns
from zroute_runtime.publisher import NotConfirmedError, UnroutableError, publish
from zroute_runtime.topology import ServiceTopology
from zroute_runtime.unit_of_work import UnitOfWork

log = logging.getLogger("zroute.consumer")


@dataclass(frozen=True)
class _Checked:
    """A delivery that parsed, has a handler here and travels on its own key."""

    envelope: CloudEvent
    payload: Event
    routing_key: str


@dataclass(frozen=True)
class _Ready:
    """A checked delivery whose lane is clear, waiting for a transaction (a batch)."""

    envelope: CloudEvent
    payload: Event
    routing_key: str
    outcome: asyncio.Future[ConsumeOutcome]


@dataclass(frozen=True)
class _Refused:
    """A delivery refused unread: dead-lettered with ``kind``, ``reason`` and the reason's
    code with its parameters (for the operator's screen in the reader's language)."""

    routing_key: str
    kind: str
    reason: str
    code: tuple[str, dict[str, str | int]]


def _channel_of(message: AbstractIncomingMessage) -> object | None:
    """The channel ``message`` came on, None once that channel is closed."""
    try:
        return message.channel
    except ChannelInvalidStateError:
        return None


def _release_after(previous: asyncio.Future[None] | None, done: asyncio.Future[None]) -> None:
    """Let the lane's next message go once this one and every earlier one are done (a
    waiter cancelled at shutdown must not let its successor overtake its predecessor)."""

    def release(_: object = None) -> None:
        if not done.done():
            done.set_result(None)

    if previous is None or previous.done():
        release()
    else:
        previous.add_done_callback(release)


def _retrieved(outcome: asyncio.Future[Any]) -> None:
    if not outcome.cancelled():
        outcome.exception()


def _ids_of(envelope: CloudEvent) -> dict[str, str]:
    """The ids ``logging.event_context`` binds for an event (those it has)."""
    ids = {"event_id": envelope.id, "correlation_id": envelope.correlationid}
    if envelope.causationid is not None:
        ids["causation_id"] = envelope.causationid
    ids["event_type"] = envelope.type
    return ids


RETRIES_HEADER = "x-zroute-retries"
REASON_HEADER = "x-zroute-reason"
REASON_KIND_HEADER = "x-zroute-reason-kind"
# The reason as a code and its parameters (JSON), so that a screen can say it in the
# reader's language; ``x-zroute-reason`` keeps the English sentence with the technical
# detail for logs and the command line.
REASON_CODE_HEADER = "x-zroute-reason-code"
REASON_PARAMS_HEADER = "x-zroute-reason-params"
ROUTING_KEY_HEADER = "x-zroute-routing-key"
FAILED_AT_HEADER = "x-zroute-failed-at"
SERVICE_HEADER = "x-zroute-service"
WAITING_SINCE_HEADER = "x-zroute-waiting-since"
WAITS_HEADER = "x-zroute-waits"
# How long a message that could be neither handled nor retried (the broker away for the
# retry publish) waits in hand before it is tried again: growing, then every 5 s.
HOLD_DELAYS_S = (0.2, 0.5, 1.0, 2.0, 5.0)
# Transactions (batches) running at once. Two keep the database busy while the event
# loop prepares the next batch; more would only split what is ready into smaller
# batches (the loop is the bottleneck: docs/benchmarks.md, issue 20).
CONCURRENT_BATCHES = 2


def _context_of(envelope: CloudEvent) -> MessageContext:
    """What the handlers of ``envelope`` carry on: its correlation, the event as cause."""
    return MessageContext(
        correlation_id=envelope.correlationid,
        causation_id=envelope.id,
        traceparent=envelope.traceparent,
        tracestate=envelope.tracestate,
    )


class EventConsumer:
    """Handles deliveries of one service's queue."""

    def __init__(
        self,
        *,
        service: str,
        topology: ServiceTopology,
        handlers: HandlerRegistry,
        uow_factory: Callable[[MessageContext], UnitOfWork],
        channel: AbstractChannel,
        metrics: Metrics | None = None,
        max_bytes: int = 262_144,
        predecessor_wait_s: float = 600.0,
        batch_size: int = 1,
    ) -> None:
        self._service = service
        self._batch_size = batch_size
        # Deliveries whose lane is clear, in the order they became ready, and the
        # batches handling them (see _handle).
        self._ready: list[_Ready] = []
        self._batches: set[asyncio.Task[None]] = set()
        # Transactions of this consumer running: the batches' and those of one event
        # handled in its own task; at most CONCURRENT_BATCHES.
        self._running = 0
        self._predecessor_wait_s = predecessor_wait_s
        self._max_bytes = max_bytes
        self._topology = topology
        self._handlers = {cls.spec.type: list(hs) for cls, hs in handlers.items()}
        self._uow_factory = uow_factory
        self._channel = channel
        self._metrics = metrics or Metrics(service)
        # The lanes: the last delivery taken per subject, which the next one waits for.
        self._tails: dict[str, asyncio.Future[None]] = {}
        # Lanes given up at shutdown: their later messages are not begun either.
        self._abandoned: set[str] = set()
        self._closing = False
        self._closed = asyncio.Event()

    def close(self) -> None:
        """Shutting down: a message held in hand (see :meth:`receive`) is not tried again
        but left to the broker, which requeues it in its place when the channel closes,
        and the later messages of its lane are left with it. Every other message in hand
        is still handled."""
        self._closing = True
        self._closed.set()

    async def receive(self, message: AbstractIncomingMessage) -> None:
        """Take one delivery, in the order the broker delivered them, and process it in
        its participant's lane: after the earlier deliveries of the same CloudEvent
        ``subject`` (events about no participant share one lane), beside those of other
        participants. With prefetch N up to N messages are in hand at once.

        No delivery attempt is spent on a message that did not run: nothing is handed
        back (``nack(requeue=True)``), which RabbitMQ counts towards the queue's delivery
        limit. A message that can be neither handled nor retried nor dead-lettered (the
        broker away for the publish) stays in hand and is tried again in place, its
        lane's later messages waiting behind it; when its channel closes the broker has
        requeued it, and every later message of the lane, in their places.

        Must be called in delivery order with nothing awaited before it (the subscriber
        does: one task per delivery, started in order): the lane is taken here, before
        the first ``await``. Returns once the message was acked, retried or
        dead-lettered, or its channel is gone."""
        checked = self._check(message)
        if isinstance(checked, _Refused):
            # Refused unread: no order to keep, nothing in any lane depends on it.
            await self._in_lane(message, None, lambda: self._refuse(message, checked))
            return
        key = checked.envelope.subject or ""
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        try:
            if previous is not None:
                # shield: a cancelled waiter must not cancel its predecessor's future
                await asyncio.shield(previous)
            await self._in_lane(message, key, lambda: self._process_checked(message, checked))
        finally:
            _release_after(previous, done)
            if self._tails.get(key) is done:
                del self._tails[key]
                self._abandoned.discard(key)

    async def _in_lane(
        self,
        message: AbstractIncomingMessage,
        key: str | None,
        work: Callable[[], Awaitable[None]],
    ) -> None:
        if _channel_of(message) is None or (key is not None and key in self._abandoned):
            # The connection was lost while it waited in its lane (or an earlier message
            # of the lane was left at shutdown): the broker puts it back in its place.
            return
        for attempt in itertools.count():
            try:
                await work()
                return
            except Exception:
                if attempt == 0:
                    log.exception("event_held_in_hand")
            if _channel_of(message) is None:
                return  # requeued in its place by the broker, with the rest of the lane
            if self._closing or not await self._pause(HOLD_DELAYS_S[min(attempt, 4)]):
                if key is not None:
                    self._abandoned.add(key)
                return

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds``; False when the consumer is closed meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closed.wait(), seconds)
        return not self._closing

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        """Process one delivery now; always ends in ack (handled, duplicate, retried or
        dead-lettered) unless the process dies, in which case RabbitMQ redelivers."""
        checked = self._check(message)
        if isinstance(checked, _Refused):
            await self._refuse(message, checked)
            return
        await self._process_checked(message, checked)

    def _check(self, message: AbstractIncomingMessage) -> _Checked | _Refused:
        """Parse and validate a delivery against the contract (no I/O)."""
        routing_key = self._original_routing_key(message)
        if len(message.body) > self._max_bytes:
            return _Refused(
                routing_key,
                "invalid",
                f"message body of {len(message.body)} bytes exceeds the limit of {self._max_bytes} bytes",
                ("body_too_large", {"size": len(message.body), "limit": self._max_bytes}),
            )
        try:
            envelope, payload = parse_event(message.body)
        except InvalidEvent as exc:
            return _Refused(routing_key, "invalid", exc.reason, ("invalid_event", {}))
        if envelope.type not in self._handlers:
            return _Refused(
                routing_key,
                "unexpected-type",
                f"{self._service} has no handler for {envelope.type}",
                ("no_handler", {"event_type": envelope.type}),
            )
        if routing_key != payload.routing_key():
            # An addressed event must travel on its own partner's key, and any event on
            # its type's key: otherwise a partner could be sent what is not meant for it.
            spec = payload.spec
            expected = spec.routing_key + (f".<{spec.addressed_by}>" if spec.addressed_by else "")
            return _Refused(
                routing_key,
                "invalid",
                f"routing key {routing_key} does not fit {envelope.type}: it travels on {expected}",
                ("wrong_routing_key", {"routing_key": routing_key, "expected": expected}),
            )
        return _Checked(envelope, payload, routing_key)

    async def _refuse(self, message: AbstractIncomingMessage, refused: _Refused) -> None:
        await self._dead_letter(
            message, refused.routing_key, refused.kind, refused.reason, refused.code
        )

    async def _process_checked(self, message: AbstractIncomingMessage, checked: _Checked) -> None:
        envelope = checked.envelope
        started = time.perf_counter()
        # The event's ids on every log line of its handling, as logging.event_context
        # binds them, and the previous values restored from the tokens afterwards:
        # structlog's bound_contextvars (under event_context) reads the whole context
        # twice per event to do the same (issue 20: 6.5% of intake's consumer).
        tokens = bind_contextvars(**_ids_of(envelope))
        try:
            await self._process(message, envelope, checked.payload, checked.routing_key, started)
        finally:
            reset_contextvars(**tokens)

    async def _process(
        self,
        message: AbstractIncomingMessage,
        envelope: CloudEvent,
        payload: Event,
        routing_key: str,
        started: float,
    ) -> None:
        try:
            outcome = await self._handle(envelope, payload, routing_key)
        except Unprocessable as exc:
            await self._dead_letter(
                message, routing_key, "unprocessable", exc.reason, ("refused", {})
            )
            return
        except AwaitingPredecessor as exc:
            await self._wait_or_dead_letter(message, routing_key, envelope, exc)
            return
        except Exception as exc:
            await self._retry_or_dead_letter(message, routing_key, envelope, exc)
            return
        await message.ack()
        self._metrics.record_handled(envelope.type, outcome, time.perf_counter() - started)
        # The line's ids come from the event context bound around this call
        # (_process_checked): the same keys and values as an ``extra`` would add, without
        # the formatter copying the record's attributes (a quarter of the line's cost).
        log.info("event_handled" if outcome == "handled" else "event_duplicate_ignored")

    async def _handle(
        self, envelope: CloudEvent, payload: Event, routing_key: str
    ) -> ConsumeOutcome:
        """Run the event's handlers and commit: alone, or in the next batch with the
        other deliveries ready now (``batch_size`` above 1). Raises what the handlers
        raised, from a transaction of the event's own."""
        if self._batch_size == 1:
            return await self._handle_alone(envelope, payload, routing_key)
        if not self._ready and self._running < CONCURRENT_BATCHES:
            # Nothing else waiting and a transaction free: a batch of one, in this task
            # (one at a time, the common case, costs no task and no future).
            self._running += 1
            try:
                return await self._handle_alone(envelope, payload, routing_key)
            finally:
                self._running -= 1
                self._start_batches()
        outcome: asyncio.Future[ConsumeOutcome] = asyncio.get_running_loop().create_future()
        # Its waiter may be gone (cancelled at shutdown): the outcome is then nobody's.
        outcome.add_done_callback(_retrieved)
        self._ready.append(_Ready(envelope, payload, routing_key, outcome))
        self._start_batches()
        # shield: a waiter cancelled at shutdown leaves the batch to finish for the rest
        return await asyncio.shield(outcome)

    def _start_batches(self) -> None:
        while self._ready and self._running < CONCURRENT_BATCHES:
            batch = self._ready[: self._batch_size]
            del self._ready[: self._batch_size]
            self._running += 1
            task = asyncio.create_task(self._run_batch(batch))
            self._batches.add(task)
            task.add_done_callback(self._batch_done)

    def _batch_done(self, task: asyncio.Task[None]) -> None:
        self._batches.discard(task)
        self._running -= 1
        self._start_batches()

    async def _run_batch(self, batch: list[_Ready]) -> None:
        """Handle ``batch`` in one transaction; when that fails, each event alone."""
        try:
            if len(batch) > 1:
                together = await self._handle_together(batch)
                self._metrics.record_batch(len(batch), together=together)
                if together:
                    for item in batch:
                        item.outcome.set_result("handled")
                    return
            if len(batch) == 1:
                await self._alone(batch[0])
            else:
                await asyncio.gather(*(self._alone(item) for item in batch))
        finally:
            for item in batch:
                item.outcome.cancel()  # no outcome (this task was cancelled): none is made up

    async def _handle_together(self, batch: list[_Ready]) -> bool:
        """True when every event of ``batch`` was handled and committed in one
        transaction; False (rolled back) when one of them was a duplicate or failed."""
        claim = inbox.claims_statement(
            consumer=self._service, events=[(i.envelope.id, i.envelope.type) for i in batch]
        )
        try:
            async with self._uow_factory(_context_of(batch[0].envelope)).begin_with(claim) as uow:
                if not inbox.claimed(uow.first_status, len(batch)):
                    return False  # a duplicate among them: alone, each finds out whether it is
                for index, item in enumerate(batch):
                    if index:
                        uow.next_step(_context_of(item.envelope))
                    tokens = bind_contextvars(**_ids_of(item.envelope))
                    try:
                        await self._run_handlers(item.envelope, item.payload, item.routing_key, uow)
                    finally:
                        reset_contextvars(**tokens)
                await uow.commit()
        except Exception as exc:
            # Not an outcome yet: each event is handled again alone, which decides it.
            log.info(
                "batch_handled_alone", extra={"events": len(batch), "error": type(exc).__name__}
            )
            return False
        return True

    async def _alone(self, item: _Ready) -> None:
        tokens = bind_contextvars(**_ids_of(item.envelope))
        try:
            item.outcome.set_result(
                await self._handle_alone(item.envelope, item.payload, item.routing_key)
            )
        except Exception as exc:
            item.outcome.set_exception(exc)
        finally:
            reset_contextvars(**tokens)

    async def _handle_alone(
        self, envelope: CloudEvent, payload: Event, routing_key: str
    ) -> ConsumeOutcome:
        claim = inbox.claim_statement(
            consumer=self._service, event_id=envelope.id, event_type=envelope.type
        )
        # The inbox row is claimed in the round trip that begins the transaction.
        async with self._uow_factory(_context_of(envelope)).begin_with(claim) as uow:
            if not inbox.claimed(uow.first_status):
                return "duplicate"
            await self._run_handlers(envelope, payload, routing_key, uow)
            await uow.commit()
        return "handled"

    async def _run_handlers(
        self, envelope: CloudEvent, payload: Event, routing_key: str, uow: UnitOfWork
    ) -> None:
        ctx = HandlerContext(envelope=envelope, routing_key=routing_key, uow=uow)
        for handler in self._handlers[envelope.type]:
            await handler(payload, ctx)

    def _original_routing_key(self, message: AbstractIncomingMessage) -> str:
        # A retried message comes back through the default exchange with the queue's
        # name as routing key; the original one travels in a header.
        header = (message.headers or {}).get(ROUTING_KEY_HEADER)
        if isinstance(header, bytes):
            header = header.decode()
        return header or message.routing_key or ""

    async def _retry_or_dead_letter(
        self,
        message: AbstractIncomingMessage,
        routing_key: str,
        envelope: CloudEvent,
        exc: Exception,
    ) -> None:
        retries = int((message.headers or {}).get(RETRIES_HEADER, 0) or 0)
        error = mask_bsns(f"{type(exc).__name__}: {exc}")[:300]
        if retries >= self._topology.max_retries:
            await self._dead_letter(
                message,
                routing_key,
                "retries-exhausted",
                f"handler failed after {retries + 1} attempts: {error}",
                ("handler_failed", {"attempts": retries + 1}),
            )
            return
        attempt = retries + 1
        headers = dict(message.headers or {})
        headers.update({RETRIES_HEADER: attempt, ROUTING_KEY_HEADER: routing_key})
        await publish(
            self._channel, "", self._topology.retry_queue(attempt), self._copy(message, headers)
        )
        await message.ack()
        self._metrics.record_retried(envelope.type)
        log.warning(
            "event_retry_scheduled",
            extra={
                "event_id": envelope.id,
                "event_type": envelope.type,
                "attempt": attempt,
                "delay_ms": self._topology.retry_delays_ms[attempt - 1],
                "error": error,
            },
        )

    async def _wait_or_dead_letter(
        self,
        message: AbstractIncomingMessage,
        routing_key: str,
        envelope: CloudEvent,
        exc: AwaitingPredecessor,
    ) -> None:
        """Hand the message back after a delay, until its predecessor has landed or the
        wait is over. Republish before ack, as for a retry."""
        headers = dict(message.headers or {})
        now_ms = int(time.time() * 1000)
        since = int(headers.get(WAITING_SINCE_HEADER) or now_ms)
        waits = int(headers.get(WAITS_HEADER) or 0)
        waited_s = (now_ms - since) / 1000
        if waited_s >= self._predecessor_wait_s or not self._topology.max_retries:
            await self._dead_letter(
                message,
                routing_key,
                "predecessor-missing",
                f"{exc.reason}: its predecessor did not arrive in {waited_s:.0f} s "
                f"({waits} waits, limit {self._predecessor_wait_s:g} s)",
                ("predecessor_missing", {"waited_s": round(waited_s), "waits": waits}),
            )
            return
        step = min(waits + 1, self._topology.max_retries)
        headers.update(
            {WAITING_SINCE_HEADER: since, WAITS_HEADER: waits + 1, ROUTING_KEY_HEADER: routing_key}
        )
        await self._publish_patiently(
            "", self._topology.retry_queue(step), self._copy(message, headers)
        )
        await message.ack()
        self._metrics.record_consumed(envelope.type, "awaiting_predecessor")
        log.info(
            "event_awaiting_predecessor",
            extra={
                "event_id": envelope.id,
                "event_type": envelope.type,
                "waits": waits + 1,
                "delay_ms": self._topology.retry_delays_ms[step - 1],
                "reason": exc.reason,
            },
        )

    async def _dead_letter(
        self,
        message: AbstractIncomingMessage,
        routing_key: str,
        kind: str,
        reason: str,
        code: tuple[str, dict[str, str | int]],
    ) -> None:
        headers = dict(message.headers or {})
        headers.update(
            {
                REASON_HEADER: reason,
                REASON_CODE_HEADER: code[0],
                REASON_PARAMS_HEADER: json.dumps(code[1]),
                REASON_KIND_HEADER: kind,
                ROUTING_KEY_HEADER: routing_key,
                FAILED_AT_HEADER: datetime.now(UTC).isoformat(),
                SERVICE_HEADER: self._service,
            }
        )
        await self._publish_patiently(
            self._topology.dead_letter_exchange,
            self._topology.service,
            self._copy(message, headers),
        )
        await message.ack()
        self._metrics.record_dead_lettered(kind)
        log.error(
            "event_dead_lettered",
            extra={
                "message_id": message.message_id,
                "reason_kind": kind,
                "reason": reason,
                "routing_key": routing_key,
            },
        )

    async def _publish_patiently(
        self, exchange: str, routing_key: str, copy: aio_pika.Message
    ) -> None:
        """Publish a retry or dead letter, waiting out a reconnect of the publishing
        channel (the broker restarted, the connection was cut). Raises when it stays
        away; the caller then hands the message back to the queue."""
        delays = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)
        for attempt, delay in enumerate((*delays, None)):
            try:
                await publish(self._channel, exchange, routing_key, copy)
                return
            except (UnroutableError, NotConfirmedError):
                raise
            except Exception as exc:
                if delay is None:
                    raise
                log.warning(
                    "consumer_publish_retry",
                    extra={"attempt": attempt + 1, "error": type(exc).__name__},
                )
                await asyncio.sleep(delay)

    @staticmethod
    def _copy(message: AbstractIncomingMessage, headers: dict[str, Any]) -> aio_pika.Message:
        return aio_pika.Message(
            message.body,
            headers=headers,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            content_type=message.content_type,
            type=message.type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            timestamp=message.timestamp,
        )
