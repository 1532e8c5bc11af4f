"""The host process of one service: database, broker, consumer, relay, timers, HTTP.

A service describes itself in a :class:`ServiceDefinition` (its name, handlers, timer
handlers, HTTP routers, migrations); :class:`ServiceRuntime` wires the runtime pieces
around it. Nothing connects at import time: ``start()`` does, ``stop()`` undoes it in
the order that loses nothing (stop taking messages and requests, finish the ones in
hand, flush the outbox, close).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
from fastapi import APIRouter, FastAPI
from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, QueueType, RabbitBroker, RabbitQueue
from zroute_contract.events.base import Event

from zroute_runtime import migrate
from zroute_runtime.clock import Clock, SimulatedClock, clock_from_settings, use_timezone
from zroute_runtime.consumer import EventConsumer
from zroute_runtime.context import MessageContext
from zroute_runtime.db import create_pool, ensure_database
from zroute_runtime.messagebus import HandlerRegistry, binding_keys
from zroute_runtime.relay import OutboxRelay, create_relay_pool
from zroute_runtime.repository import RepositoryFactory
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.timers import TimerHandler, TimerRunner
from zroute_runtime.topology import ServiceTopology, declare, municipal_exchange, open_channel
from zroute_runtime.unit_of_work import UnitOfWork

log = logging.getLogger("zroute.service")


@dataclass
class ServiceDefinition:
    """Everything the runtime needs to know about one service."""

    name: str
    handlers: HandlerRegistry = field(default_factory=dict)
    timer_handlers: Mapping[str, TimerHandler] = field(default_factory=dict)
    routers: Sequence[APIRouter] = ()
    migrations: Path | None = None
    extra_bindings: Sequence[str] = ()
    # Domain exceptions the HTTP layer turns into 4xx answers, e.g.
    # {AgreementRefused: handler(request, exc) -> JSONResponse}.
    exception_handlers: Mapping[type[Exception], Callable[..., Any]] = field(default_factory=dict)
    version: str = "0.1.0"
    # The ``dataref`` of each event type: a path in this service's API where the record
    # the event is about is read, with ``{field}`` placeholders taken from the payload
    # (``"/participants/{participant_ref}/plan"``). Prefixed with the settings'
    # ``public_base_url``; without one, events carry no dataref.
    datarefs: Mapping[str, str] = field(default_factory=dict)
    # The service's repositories on a unit of work's connection, by name (``uow.plans``);
    # the unit of work collects the events of every aggregate they loaded or were given.
    repositories: RepositoryFactory | None = None
    # Work to do once at every start, in one unit of work, after the relay and timers run
    # and before events are consumed: what a changed configuration makes possible that
    # no event would trigger (support hands out work waiting for a newly configured kind).
    on_start: Callable[[UnitOfWork], Awaitable[None]] | None = None


async def _undecoded(_message: Any) -> None:
    """FastStream's decoder for the subscriber: the consumer parses and validates the
    raw body itself (``parse_event``), so FastStream's JSON decoding of it per message
    (about a tenth of its wrapper's time in the issue 20 profile) is skipped."""
    return None


class ServiceRuntime:
    """One running service."""

    def __init__(
        self, definition: ServiceDefinition, settings: ServiceSettings, clock: Clock | None = None
    ) -> None:
        self.definition = definition
        self.settings = settings
        self.service = definition.name
        self.clock = clock or clock_from_settings(settings.clock, settings.clock_start)
        use_timezone(settings.timezone)
        self.source = settings.source_urn(self.service)
        self.topology = ServiceTopology.for_service(
            settings,
            self.service,
            [*binding_keys(definition.handlers), *definition.extra_bindings],
        )
        self.database_url = settings.database_url_for(self.service)
        self.metrics: Any = _make_metrics(self.service)
        self.pool: asyncpg.Pool
        self.connection: aio_pika.abc.AbstractRobustConnection
        self.broker: RabbitBroker | None = None
        self.relay: OutboxRelay
        self.relay_pool: asyncpg.Pool  # its own: asynchronous commits (relay.py)
        self.timers: TimerRunner
        self.consumer: EventConsumer
        self.stopping = False
        self._http: Any = None
        self._http_task: asyncio.Task[None] | None = None

    # -- units of work --------------------------------------------------------------
    def uow(self, context: MessageContext | None = None) -> UnitOfWork:
        """A unit of work on this service's database; its commit wakes the relay."""
        return UnitOfWork(
            self.pool,
            source=self.source,
            clock=self.clock,
            context=context,
            on_commit=self._after_commit,
            dataref_for=self._dataref,
            repositories=self.definition.repositories,
        )

    def _dataref(self, payload: Event) -> str | None:
        """The URL of the record ``payload`` is about, in this service's API."""
        template = self.definition.datarefs.get(payload.spec.type)
        base = self.settings.public_base_url
        if template is None or not base:
            return None
        return base.rstrip("/") + template.format(**dict(payload))

    def _after_commit(self) -> None:
        self.relay.wake()

    # -- lifecycle ------------------------------------------------------------------
    async def migrate(self) -> None:
        await ensure_database(self.database_url)
        await migrate.upgrade_in_child(self.database_url, self.definition.migrations)

    async def start(self, *, consume: bool = True, http: bool = True) -> None:
        await self.migrate()
        self.pool = await create_pool(self.database_url)
        self.connection = await aio_pika.connect_robust(
            self.settings.amqp_url, client_properties={"connection_name": f"{self.service}-relay"}
        )
        channel = await open_channel(self.connection)
        await declare(channel, self.topology)
        self.relay_pool = await create_relay_pool(self.database_url)
        self.relay = OutboxRelay(
            self.relay_pool,
            channel,
            exchange=self.topology.exchange,
            service=self.service,
            batch_size=self.settings.relay_batch_size,
            window=self.settings.relay_window,
            poll_interval=self.settings.relay_poll_interval_s,
            lease_s=self.settings.relay_lease_s,
            metrics=self.metrics,
            municipal_exchange=municipal_exchange(self.topology.exchange),
        )
        self.consumer = EventConsumer(
            service=self.service,
            topology=self.topology,
            handlers=self.definition.handlers,
            uow_factory=self.uow,
            channel=await open_channel(self.connection),
            metrics=self.metrics,
            max_bytes=self.settings.max_message_bytes,
            predecessor_wait_s=self.settings.predecessor_wait_s,
            batch_size=self.settings.consume_batch_size,
        )
        self.timers = TimerRunner(
            self.pool,
            clock=self.clock,
            handlers=self.definition.timer_handlers,
            uow_factory=self.uow,
            service=self.service,
            poll_interval=self.settings.timer_poll_interval_s,
            metrics=self.metrics,
        )
        self.relay.start()
        self.timers.start()
        if self.definition.on_start is not None:
            await self._run_on_start(self.definition.on_start)
        if consume and self.definition.handlers:
            await self._start_consuming()
        if http:
            await self._start_http()
        log.info("service_started", extra={"service": self.service, "queue": self.topology.queue})

    async def _run_on_start(self, step: Callable[[UnitOfWork], Awaitable[None]]) -> None:
        """The definition's start step in one unit of work. It only catches up with what
        an event would also trigger later: when it fails, the service starts all the
        same (logged with the error), rather than stay down over it."""
        try:
            async with self.uow(MessageContext.new()) as uow:
                await step(uow)
                await uow.commit()
        except Exception:
            log.exception("on_start_failed", extra={"service": self.service})

    async def _start_consuming(self) -> None:
        self.broker = RabbitBroker(
            self.settings.amqp_url,
            client_properties={"connection_name": f"{self.service}-consumer"},
            default_channel=Channel(prefetch_count=self.settings.prefetch),
            graceful_timeout=30.0,
            logger=logging.getLogger("zroute.faststream"),
            log_level=logging.DEBUG,
            # Nothing is injected into the subscriber (it takes the message from the
            # context), so FastDepends' call model need not be solved per message.
            apply_types=False,
        )
        consumer = self.consumer
        queue = RabbitQueue(self.topology.queue, queue_type=QueueType.QUORUM, declare=False)

        broker = self.broker

        @broker.subscriber(
            queue,
            ack_policy=AckPolicy.MANUAL,
            title=f"{self.service} events",
            decoder=_undecoded,
        )
        async def on_event(_body: None) -> None:
            # The message from FastStream's context, not a RabbitMessage parameter: that
            # one is resolved in a worker thread, which lets deliveries overtake each
            # other before they reach their participant's lane (consumer.receive).
            # Nothing is handed back here, not even while stopping: a requeue counts
            # towards the queue's delivery limit and comes straight back (until the
            # consumer stops, a delivery is handled; see consumer.receive).
            await consumer.receive(broker.context.get_local("message").raw_message)

        await self.broker.start()

    async def _start_http(self) -> None:
        import uvicorn

        from zroute_runtime.http_host import build_app

        app: FastAPI = build_app(self)
        config = uvicorn.Config(
            app,
            host=self.settings.http_host,
            port=self.settings.http_port,
            timeout_keep_alive=self.settings.http_keep_alive_s,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
        self._http = uvicorn.Server(config)
        self._http.install_signal_handlers = lambda: None  # the CLI owns signals
        self._http_task = asyncio.create_task(self._http.serve())
        while not self._http.started:
            if self._http_task.done():
                self._http_task.result()  # raises the startup error (port taken, say)
            await asyncio.sleep(0.02)

    @property
    def http_port(self) -> int:
        """The port HTTP listens on (useful with port 0 in tests)."""
        return self._http.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop taking work, finish what is in hand, flush the outbox, close.

        Each step is bounded, so a step stuck on a dead connection (say, after a database
        restart) cannot keep the process from exiting; the step is named in the log.
        """
        self.stopping = True
        if self.broker is not None:
            self.consumer.close()  # a message held in hand goes back with its channel
        if self._http is not None:
            self._http.should_exit = True
            if self._http_task is not None:
                await self._bounded("http", self._http_task, 30)
        if self.broker is not None:
            # waits for in-flight handlers (graceful_timeout)
            await self._bounded("consumer", self.broker.stop(), 40)
        await self._bounded("timers", self.timers.stop(), 15)
        await self._bounded("relay", self.relay.stop(), 15)
        await self._bounded("outbox_flush", self.relay.publish_pending(), 15)
        await self._bounded("broker_connection", self.connection.close(), 10)
        if not await self._bounded("database_pool", self.pool.close(), 10):
            self.pool.terminate()
        if not await self._bounded("relay_database_pool", self.relay_pool.close(), 10):
            self.relay_pool.terminate()
        log.info("service_stopped", extra={"service": self.service})

    async def _bounded(self, step: str, awaitable: Any, seconds: float) -> bool:
        try:
            await asyncio.wait_for(awaitable, seconds)
            return True
        except TimeoutError:
            log.warning("service_stop_step_timed_out", extra={"step": step, "seconds": seconds})
        except Exception as exc:
            log.warning(
                "service_stop_step_failed", extra={"step": step, "error": type(exc).__name__}
            )
        return False

    async def ready(self) -> dict[str, bool]:
        """Readiness checks: the database answers, the broker connection is open."""
        checks = {"database": False, "broker": not self.connection.is_closed}
        try:
            async with self.pool.acquire(timeout=2) as conn:
                checks["database"] = await conn.fetchval("SELECT 1") == 1
        except Exception:
            checks["database"] = False
        if self.broker is not None:
            checks["consumer"] = self.broker.running if hasattr(self.broker, "running") else True
        return checks

    async def advance_clock(self, delta: Any) -> None:
        """Move a simulated clock and fire what fell due (demo and tests)."""
        if not isinstance(self.clock, SimulatedClock):
            raise RuntimeError("the clock is not simulated")
        clock = self.clock
        await self.timers.advance(lambda: clock.advance(delta))
        self.relay.wake()


def _make_metrics(service: str) -> Any:
    from zroute_runtime.metrics import Metrics

    return Metrics(service)


async def run_forever(runtime: ServiceRuntime, stop_event: asyncio.Event) -> None:
    """Run until ``stop_event`` is set (by SIGTERM/SIGINT in the CLI)."""
    await runtime.start()
    await stop_event.wait()
    await runtime.stop()


SettingsFactory = Callable[[], ServiceSettings]
