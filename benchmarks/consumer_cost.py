"""The fixed cost of one consumed event: a real service's consumer fed with one event type.

    .venv/bin/python benchmarks/consumer_cost.py [--service notifications] [--events 2000]
        [--participants 50] [--warmup 200]

Starts one service in-process (``notifications`` or ``intake``, its own database and
broker names on the local PostgreSQL and RabbitMQ, no HTTP), publishes ``--events``
``attendance-recorded`` events (the demo's commonest event: 37,657 of them in three
simulated years) for ``--participants`` participants onto its exchange while its consumer
is stopped, then starts the consumer and waits until the inbox holds every one. Printed:
events/s and CPU per event of this process (the consumer, its relay and timers; the
publishing is done before the clock starts) and of the database's PostgreSQL backends.
A warm-up batch goes first (its own start and stop of the consumer), so imports and
prepared statements are not counted.

Logging is configured as in production (INFO, JSON) but written to /dev/null. Profile it
with ``/tmp/prof/bin/py-spy record -r 100 -f raw -o out.txt -- .venv/bin/python
benchmarks/consumer_cost.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg

sys.path.insert(0, str(Path(__file__).parent))
from _common import AMQP_URL, PG_ADMIN, console, database_cpu_s, prefix, write_results
from zroute_contract.envelope import build_event
from zroute_contract.events.planning import AttendanceRecorded
from zroute_contract.types import new_participant_ref
from zroute_runtime.logging import configure_logging
from zroute_runtime.service import ServiceRuntime
from zroute_runtime.topology import open_channel

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-planning"
# A phase that has not finished by then lost an event (the broker or the database went
# away on the shared machine): rerun.
PHASE_TIMEOUT_S = 300


def runtime_for(service: str, name_prefix: str, db_name: str) -> ServiceRuntime:
    """The service's runtime on its own database and broker names, system clock."""
    values: dict[str, Any] = {
        "database_url": urlunsplit(urlsplit(PG_ADMIN)._replace(path=f"/{db_name}")),
        "amqp_url": AMQP_URL,
        "name_prefix": name_prefix,
        "clock": "system",
        "log_json": True,
        "relay_poll_interval_s": 1.0,
    }
    if service == "notifications":
        from zroute_notifications.bootstrap import definition
        from zroute_notifications.settings import Settings as NotificationsSettings

        settings: Any = NotificationsSettings(**values, operator_email=None)
    else:
        from zroute_intake.bootstrap import definition  # type: ignore[no-redef]
        from zroute_intake.settings import Settings as IntakeSettings

        settings = IntakeSettings(**values)
    return ServiceRuntime(definition(settings), settings)


def events(count: int, participants: list[str], start: date) -> list[AttendanceRecorded]:
    """``count`` attendance lines, the participants taking turns, a day apart each."""
    lines = []
    turn = itertools.cycle(participants)
    for n in range(count):
        lines.append(
            AttendanceRecorded.model_validate(
                {
                    "participant_ref": next(turn),
                    "programme_id": "gm0363-z",
                    "session_id": str(uuid.uuid4()),
                    "session_on": (start + timedelta(days=n // len(participants))).isoformat(),
                    "kind": "language",
                    "teaching_form": "classroom",
                    "status": "present",
                    "hours": "3.0",
                }
            )
        )
    return lines


async def publish(exchange: aio_pika.abc.AbstractExchange, lines: list[AttendanceRecorded]) -> None:
    """Publish as planning's relay does (one CloudEvent each, confirmed)."""
    sequence = itertools.count(1)
    for line in lines:
        envelope = build_event(
            line,
            source=SOURCE,
            sequence=next(sequence),
            correlation_id=str(uuid.uuid4()),
            subject=line.participant_ref,
        )
        await exchange.publish(
            aio_pika.Message(
                envelope.to_json(),
                message_id=envelope.id,
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=line.routing_key(),
        )


async def drained(runtime: ServiceRuntime, expected: int) -> None:
    """Wait until the service's inbox holds ``expected`` rows."""
    deadline = time.monotonic() + PHASE_TIMEOUT_S
    while await runtime.pool.fetchval("SELECT count(*) FROM zr_inbox") < expected:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {expected} events handled in {PHASE_TIMEOUT_S} s")
        await asyncio.sleep(0.05)


async def consume_batch(
    runtime: ServiceRuntime,
    exchange: aio_pika.abc.AbstractExchange,
    lines: list[AttendanceRecorded],
    expected: int,
) -> dict[str, float]:
    """Publish ``lines`` with the consumer stopped, then consume them: rate and CPU."""
    await publish(exchange, lines)
    cpu = time.process_time(), await database_cpu_s(runtime.pool)
    started = time.perf_counter()
    await runtime._start_consuming()
    await drained(runtime, expected)
    elapsed = time.perf_counter() - started
    after = time.process_time(), await database_cpu_s(runtime.pool)
    assert runtime.broker is not None
    await runtime.broker.stop()
    runtime.broker = None
    return {
        "events": len(lines),
        "seconds": elapsed,
        "events_per_second": len(lines) / elapsed,
        "cpu_ms_per_event": (after[0] - cpu[0]) * 1000 / len(lines),
        "database_cpu_ms_per_event": (after[1] - cpu[1]) * 1000 / len(lines),
    }


async def cleanup(runtime: ServiceRuntime, db_name: str) -> None:
    """Stop the runtime, delete its queues and exchanges, drop its database."""
    try:
        await runtime.stop()
    except Exception as exc:  # keep cleaning up
        console.print(f"[yellow]stopping {runtime.service}: {exc!r}[/]")
    connection = await aio_pika.connect_robust(AMQP_URL)
    channel = await connection.channel()
    topo = runtime.topology
    names = [topo.queue, topo.dead_letter_queue]
    names += [topo.retry_queue(n) for n in range(1, topo.max_retries + 1)]
    for name in names:
        await channel.queue_delete(name)
    for name in (topo.exchange, topo.exchange + ".by-municipality", topo.dead_letter_exchange):
        await channel.exchange_delete(name)
    await connection.close()
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    await admin.close()


async def run(service: str, count: int, participant_count: int, warmup: int) -> None:
    load_before = os.getloadavg()
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    db_name = f"zrbench_{uuid.uuid4().hex[:8]}_{service}"
    runtime = runtime_for(service, prefix(), db_name)
    participants = [new_participant_ref() for _ in range(participant_count)]
    try:
        with console.status(f"starting {service}"):
            await runtime.start(http=False, consume=False)
        connection = await aio_pika.connect_robust(AMQP_URL)
        try:
            channel = await open_channel(connection)
            exchange = await channel.get_exchange(runtime.topology.exchange)
            with console.status(f"warming up: {warmup} events"):
                await consume_batch(
                    runtime, exchange, events(warmup, participants, date(2027, 1, 4)), warmup
                )
            with console.status(f"{service}: {count} attendance-recorded events"):
                result = await consume_batch(
                    runtime,
                    exchange,
                    events(count, participants, date(2028, 1, 3)),
                    warmup + count,
                )
        finally:
            await connection.close()
    finally:
        await cleanup(runtime, db_name)
    load_after = os.getloadavg()
    console.print(
        f"{service}, {count} attendance-recorded events for {participant_count} participants"
        f" (prefetch {runtime.settings.prefetch}): {result['events_per_second']:,.0f} events/s;"
        f" CPU per event: this process {result['cpu_ms_per_event']:.3f} ms,"
        f" PostgreSQL {result['database_cpu_ms_per_event']:.3f} ms;"
        f" load {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    write_results(
        f"consumer_cost_{service}",
        {
            "service": service,
            "participants": participant_count,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "results": result,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", choices=("notifications", "intake"), default="notifications")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    with open(os.devnull, "w") as devnull:
        configure_logging("consumer_cost", "INFO", json=True, stream=devnull)
        asyncio.run(run(args.service, args.events, args.participants, args.warmup))


if __name__ == "__main__":
    main()
