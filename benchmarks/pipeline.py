"""The whole event pipeline, a state change to a handled event, against raw aio-pika.

    .venv/bin/python benchmarks/pipeline.py [--events 2000] [--producers 8] [--serial 200]
        [--paced 500 --rate 50]

Two in-process services on the local PostgreSQL and RabbitMQ, each with its own database:

* producer - a ``ServiceRuntime`` whose unit of work INSERTs a row and emits one
             ``participant-registered`` event per transaction; its relay (woken by the
             commit) publishes it with confirms;
* consumer - a ``ServiceRuntime`` whose queue is bound to that event; the consumer
             validates it against the contract, claims the event id in the inbox, runs a
             handler that records the time, commits, acks (prefetch 1, the default).

Latency is measured per event from the producer's COMMIT returning to the consumer's
handler running; throughput is events / (first commit started .. last event handled).

The baseline is raw aio-pika on the same broker, no database: publish the same bodies
(the same bytes the relay sent) with publisher confirms to a durable quorum queue,
consume with manual ack and prefetch 1 (the baseline issue 20 measured; the
runtime's default was 1 then); latency from the publish call to the consumer
callback. Two loads, the same for both:

* one at a time - the next event is committed (published) once the previous one was
                  handled: latency with nothing queued;
* paced         - ``--paced`` events at ``--rate`` per second, each sent on schedule
                  whether or not the earlier ones were handled: latency under a steady
                  load below both capacities (the design's expected load is far lower);
* burst         - ``--producers`` concurrent writers commit ``--events`` events as fast as
                  they can: throughput, and latency with queueing.

Printed: events/s, p50 and p99 latency, and ratios to the raw baseline; JSON in
benchmarks/results/pipeline.json. Logging is configured as in production (INFO, JSON) but
written to /dev/null: the services pay for their log lines, the terminal is spared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from _common import AMQP_URL, PG_ADMIN, console, database_cpu_s, prefix, table, write_results
from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.types import new_participant_ref
from zroute_runtime.logging import configure_logging
from zroute_runtime.messagebus import HandlerContext
from zroute_runtime.service import ServiceDefinition, ServiceRuntime
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.topology import municipal_exchange, open_channel

# A phase that has not finished by then lost an event: the broker or the database went
# away (on a shared machine, someone may have restarted it). Rerun.
PHASE_TIMEOUT_S = 120


def sample(ref: str) -> ParticipantRegistered:
    return ParticipantRegistered(
        participant_ref=ref,
        programme_id="gm0363-z",
        municipality="GM0363",
        registered_on="2027-01-04",
        preferred_language="ar",
        interpreter_needed=True,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Run:
    """Timestamps of one load: when each event was committed (sent) and handled."""

    sent: dict[str, float] = field(default_factory=dict)
    handled: dict[str, float] = field(default_factory=dict)
    started: float = 0.0
    waiters: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    all_done: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 0

    def mark_handled(self, key: str) -> None:
        if key in self.handled:
            return
        self.handled[key] = time.perf_counter()
        waiter = self.waiters.pop(key, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        if len(self.handled) >= self.expected:
            self.all_done.set()

    def summary(self) -> dict[str, float]:
        latencies = [(self.handled[k] - self.sent[k]) * 1000 for k in self.sent]
        elapsed = max(self.handled.values()) - self.started
        return {
            "events": len(latencies),
            "events_per_second": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99),
            "mean_ms": statistics.fmean(latencies),
            "max_ms": max(latencies),
        }


async def paced(run: Run, send_one, count: int, rate: float) -> dict[str, float]:
    """Send ``count`` events at ``rate`` per second (each in its own task, so a slow
    send does not hold back the schedule); wait until all are handled."""
    started = time.perf_counter()
    tasks = []
    for n in range(count):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send_one()))
    await asyncio.gather(*tasks)
    await asyncio.wait_for(run.all_done.wait(), PHASE_TIMEOUT_S)
    return run.summary()


# -- the platform pipeline ---------------------------------------------------------------


class Pipeline:
    def __init__(self, name_prefix: str) -> None:
        self.run = Run()
        self.db_name = f"zrbench_{uuid.uuid4().hex[:8]}_{{service}}"
        self.settings = ServiceSettings(
            database_url=urlunsplit(urlsplit(PG_ADMIN)._replace(path=f"/{self.db_name}")),
            amqp_url=AMQP_URL,
            name_prefix=name_prefix,
            clock="system",
            log_json=False,
            relay_poll_interval_s=1.0,
        )

        async def record(event: ParticipantRegistered, ctx: HandlerContext) -> None:
            self.run.mark_handled(ctx.envelope.id)

        self.producer = ServiceRuntime(ServiceDefinition(name="benchproducer"), self.settings)
        self.consumer = ServiceRuntime(
            ServiceDefinition(name="benchconsumer", handlers={ParticipantRegistered: [record]}),
            self.settings,
        )

    async def start(self) -> None:
        await self.consumer.start(http=False)
        await self.producer.start(http=False, consume=False)
        await self.producer.pool.execute(
            "CREATE TABLE IF NOT EXISTS bench_participants"
            " (ref text PRIMARY KEY, registered_at timestamptz NOT NULL DEFAULT now())"
        )

    async def commit_one(self) -> str:
        """One state change with its event, in one transaction; returns the event id."""
        ref = new_participant_ref()
        async with self.producer.uow() as uow:
            await uow.conn.execute("INSERT INTO bench_participants (ref) VALUES ($1)", ref)
            uow.emit(sample(ref))
            (event_id,) = await uow.commit()
            self.run.sent[event_id] = time.perf_counter()
        return event_id

    @property
    def pools(self) -> list[asyncpg.Pool]:
        return [self.producer.pool, self.consumer.pool]

    async def body(self) -> bytes:
        row = await self.producer.pool.fetchval("SELECT body FROM zr_outbox LIMIT 1")
        return row.encode()

    def reset(self, expected: int) -> Run:
        self.run = Run(expected=expected, started=time.perf_counter())
        return self.run

    async def stop(self) -> None:
        for runtime in (self.producer, self.consumer):
            try:
                await runtime.stop()
            except Exception as exc:  # keep cleaning up
                console.print(f"[yellow]stopping {runtime.service}: {exc!r}[/]")
        connection = await aio_pika.connect_robust(AMQP_URL)
        channel = await connection.channel()
        for runtime in (self.producer, self.consumer):
            topo = runtime.topology
            names = [topo.queue, topo.dead_letter_queue]
            names += [topo.retry_queue(n) for n in range(1, topo.max_retries + 1)]
            for name in names:
                await channel.queue_delete(name)
        await channel.exchange_delete(self.producer.topology.exchange)
        await channel.exchange_delete(municipal_exchange(self.producer.topology.exchange))
        await channel.exchange_delete(self.producer.topology.dead_letter_exchange)
        await connection.close()
        admin = await asyncpg.connect(PG_ADMIN)
        for service in ("benchproducer", "benchconsumer"):
            name = self.db_name.replace("{service}", service)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def pipeline_serial(pipeline: Pipeline, count: int) -> dict[str, float]:
    run = pipeline.reset(count)
    loop = asyncio.get_running_loop()
    for _ in range(count):
        ref = new_participant_ref()
        # the event id is known only at commit: wait on "the next one handled"
        before = len(run.handled)
        async with pipeline.producer.uow() as uow:
            await uow.conn.execute("INSERT INTO bench_participants (ref) VALUES ($1)", ref)
            uow.emit(sample(ref))
            (event_id,) = await uow.commit()
            run.sent[event_id] = time.perf_counter()
        if event_id not in run.handled:
            run.waiters[event_id] = loop.create_future()
            await asyncio.wait_for(run.waiters[event_id], 30)
        assert len(run.handled) == before + 1
    return run.summary()


async def pipeline_burst(pipeline: Pipeline, count: int, producers: int) -> dict[str, float]:
    run = pipeline.reset(count)
    left = [count]

    async def writer() -> None:
        while left[0] > 0:
            left[0] -= 1
            await pipeline.commit_one()

    await asyncio.gather(*(writer() for _ in range(producers)))
    await asyncio.wait_for(run.all_done.wait(), PHASE_TIMEOUT_S)
    return run.summary()


# -- the raw aio-pika baseline -----------------------------------------------------------


class Raw:
    """Publish with confirms to a durable quorum queue; consume with manual ack, prefetch 1."""

    def __init__(self, name_prefix: str, body: bytes) -> None:
        self.queue_name = f"{name_prefix}.raw"
        self.body = body
        self.run = Run()

    async def start(self) -> None:
        self.publisher = await aio_pika.connect_robust(AMQP_URL)
        self.subscriber = await aio_pika.connect_robust(AMQP_URL)
        self.channel = await open_channel(self.publisher)
        self.queue = await self.channel.declare_queue(
            self.queue_name, durable=True, arguments={"x-queue-type": "quorum"}
        )
        consume_channel = await self.subscriber.channel()
        await consume_channel.set_qos(prefetch_count=1)
        queue = await consume_channel.get_queue(self.queue_name)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            self.run.mark_handled(message.message_id or "")
            await message.ack()

        self.consumer_queue = queue
        self.consumer_tag = await queue.consume(on_message)

    async def publish_one(self) -> str:
        key = str(uuid.uuid4())
        self.run.sent[key] = time.perf_counter()
        await self.channel.default_exchange.publish(
            aio_pika.Message(
                self.body, message_id=key, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
            ),
            routing_key=self.queue_name,
            mandatory=True,
        )
        return key

    def reset(self, expected: int) -> Run:
        self.run = Run(expected=expected, started=time.perf_counter())
        return self.run

    async def stop(self) -> None:
        await self.consumer_queue.cancel(self.consumer_tag)
        await self.queue.delete(if_unused=False, if_empty=False)
        await self.subscriber.close()
        await self.publisher.close()


async def raw_serial(raw: Raw, count: int) -> dict[str, float]:
    run = raw.reset(count)
    loop = asyncio.get_running_loop()
    for _ in range(count):
        key = str(uuid.uuid4())
        handled = run.waiters[key] = loop.create_future()
        run.sent[key] = time.perf_counter()
        await raw.channel.default_exchange.publish(
            aio_pika.Message(
                raw.body, message_id=key, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
            ),
            routing_key=raw.queue_name,
            mandatory=True,
        )
        await asyncio.wait_for(handled, 30)
    return run.summary()


async def raw_burst(raw: Raw, count: int, producers: int) -> dict[str, float]:
    run = raw.reset(count)
    left = [count]

    async def writer() -> None:
        while left[0] > 0:
            left[0] -= 1
            await raw.publish_one()

    await asyncio.gather(*(writer() for _ in range(producers)))
    await asyncio.wait_for(run.all_done.wait(), PHASE_TIMEOUT_S)
    return run.summary()


# -- the run -----------------------------------------------------------------------------


async def run(
    events: int, producers: int, serial: int, warmup: int, paced_events: int, rate: float
) -> None:
    name_prefix = prefix()
    load_before = os.getloadavg()  # the machine is shared: say how busy it was
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    pipeline = Pipeline(name_prefix)
    results: dict[str, dict[str, float]] = {}
    with console.status("starting the producer and consumer services"):
        await pipeline.start()
    try:
        with console.status(f"warming up: {warmup} events through the pipeline"):
            await pipeline_burst(pipeline, warmup, producers)
        body = await pipeline.body()
        console.print(
            f"[bold]event pipeline[/]: {serial} events one at a time, {paced_events} at"
            f" {rate:g}/s, {events} in a burst from {producers} producers; ~{len(body)} bytes each"
        )
        with console.status(f"pipeline, one at a time: {serial} events"):
            results["pipeline_serial"] = await with_cpu(
                pipeline.pools, serial, pipeline_serial(pipeline, serial)
            )
        _progress("pipeline, one at a time", results["pipeline_serial"])
        with console.status(f"pipeline, paced: {paced_events} events at {rate:g}/s"):
            run_ = pipeline.reset(paced_events)
            results["pipeline_paced"] = await with_cpu(
                pipeline.pools, paced_events, paced(run_, pipeline.commit_one, paced_events, rate)
            )
        _progress("pipeline, paced", results["pipeline_paced"])
        with console.status(f"pipeline, burst: {events} events from {producers} producers"):
            results["pipeline_burst"] = await with_cpu(
                pipeline.pools, events, pipeline_burst(pipeline, events, producers)
            )
        _progress("pipeline, burst", results["pipeline_burst"])
    finally:
        with console.status("stopping the services, dropping their databases"):
            await pipeline.stop()

    raw = Raw(name_prefix, body)
    await raw.start()
    try:
        with console.status(f"warming up raw aio-pika: {warmup} messages"):
            await raw_burst(raw, warmup, producers)
        with console.status(f"raw aio-pika, one at a time: {serial} messages"):
            results["raw_serial"] = await with_cpu([], serial, raw_serial(raw, serial))
        _progress("raw aio-pika, one at a time", results["raw_serial"])
        with console.status(f"raw aio-pika, paced: {paced_events} messages at {rate:g}/s"):
            run_ = raw.reset(paced_events)
            results["raw_paced"] = await with_cpu(
                [], paced_events, paced(run_, raw.publish_one, paced_events, rate)
            )
        _progress("raw aio-pika, paced", results["raw_paced"])
        with console.status(f"raw aio-pika, burst: {events} messages from {producers} publishers"):
            results["raw_burst"] = await with_cpu([], events, raw_burst(raw, events, producers))
        _progress("raw aio-pika, burst", results["raw_burst"])
    finally:
        await raw.stop()

    rows = []
    loads = (
        ("serial", "one at a time"),
        ("paced", f"paced {rate:g}/s"),
        ("burst", f"burst x{producers}"),
    )
    for load, label in loads:
        base, ours = results[f"raw_{load}"], results[f"pipeline_{load}"]
        for name, r in (("raw aio-pika (baseline)", base), ("outbox->inbox pipeline", ours)):
            rows.append(
                (
                    label,
                    name,
                    r["events_per_second"],
                    r["events_per_second"] / base["events_per_second"],
                    r["p50_ms"],
                    r["p99_ms"],
                    r["p50_ms"] / base["p50_ms"],
                    r["p99_ms"] / base["p99_ms"],
                )
            )
    printed = table(
        f"Event pipeline, {len(body)}-byte events: {serial} one at a time,"
        f" {paced_events} at {rate:g}/s, {events} in a burst",
        ["load", "variant", "events/s", "x raw", "p50 ms", "p99 ms", "p50 x raw", "p99 x raw"],
        rows,
    )
    printed.columns[1].justify = "left"
    Console(width=max(console.width, 120)).print(printed)
    path = write_results(
        "pipeline",
        {
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "events": events,
            "serial_events": serial,
            "paced_events": paced_events,
            "paced_rate": rate,
            "producers": producers,
            "message_bytes": len(body),
            "prefetch": pipeline.settings.prefetch,
            "results": results,
            "ratio_to_raw": {
                load: {
                    "events_per_second": results[f"pipeline_{load}"]["events_per_second"]
                    / results[f"raw_{load}"]["events_per_second"],
                    "p50": results[f"pipeline_{load}"]["p50_ms"] / results[f"raw_{load}"]["p50_ms"],
                    "p99": results[f"pipeline_{load}"]["p99_ms"] / results[f"raw_{load}"]["p99_ms"],
                }
                for load, _ in loads
            },
        },
    )
    console.print(f"results: {path}")


def _progress(label: str, r: dict[str, float]) -> None:
    console.print(
        f"  {label}: {r['events_per_second']:,.0f} events/s,"
        f" p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms;"
        f" CPU per event: this process {r['cpu_ms_per_event']:.2f} ms,"
        f" PostgreSQL {r['database_cpu_ms_per_event']:.2f} ms"
    )


async def with_cpu(
    pools: list[asyncpg.Pool], count: int, phase: Awaitable[dict[str, float]]
) -> dict[str, float]:
    """The phase's figures with its CPU per event: this process (the services, their
    relays and consumers, or raw aio-pika) and the databases' PostgreSQL backends. On a
    shared machine CPU moves much less with the load than the rates do."""
    before = time.process_time(), sum([await database_cpu_s(p) for p in pools])
    result = await phase
    after = time.process_time(), sum([await database_cpu_s(p) for p in pools])
    result["cpu_ms_per_event"] = (after[0] - before[0]) * 1000 / count
    result["database_cpu_ms_per_event"] = (after[1] - before[1]) * 1000 / count
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events in the burst")
    parser.add_argument("--producers", type=int, default=8, help="concurrent writers in the burst")
    parser.add_argument("--serial", type=int, default=200, help="events sent one at a time")
    parser.add_argument("--paced", type=int, default=500, help="events sent at --rate")
    parser.add_argument("--rate", type=float, default=50, help="events per second when paced")
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    with open(os.devnull, "w") as devnull:
        configure_logging("pipeline", "INFO", json=True, stream=devnull)
        asyncio.run(
            run(args.events, args.producers, args.serial, args.warmup, args.paced, args.rate)
        )


if __name__ == "__main__":
    main()
