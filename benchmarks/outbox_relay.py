"""The outbox relay alone, against a plain INSERT + publish loop, on the same broker.

    .venv/bin/python benchmarks/outbox_relay.py [--events 5000]

What is compared (same database, same broker, same message size, confirms on):

* baseline  - for each message: INSERT a row (its own transaction), publish it with a
              mandatory publish and wait for the confirm: the naive "write then publish";
* relay w=1 - events committed through the unit of work beforehand, then drained by the
              relay with a window of 1 (one confirm round trip per message);
* relay     - the same with the default window (100 confirms in flight);
* raw window - aio-pika publishing the same bodies with 100 confirms in flight and no
              database at all: the ceiling the broker sets.

Printed: messages per second and the ratio to the baseline; JSON in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import aio_pika

sys.path.insert(0, str(Path(__file__).parent))
from _common import (
    AMQP_URL,
    Stopwatch,
    console,
    database_cpu_s,
    prefix,
    scratch_database,
    table,
    write_results,
)
from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.types import new_participant_ref
from zroute_runtime.clock import SystemClock
from zroute_runtime.publisher import event_message, publish
from zroute_runtime.relay import OutboxRelay, create_relay_pool
from zroute_runtime.topology import open_channel
from zroute_runtime.unit_of_work import UnitOfWork

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-bench"


def sample(ref: str) -> ParticipantRegistered:
    return ParticipantRegistered(
        participant_ref=ref,
        programme_id="gm0363-z",
        municipality="GM0363",
        registered_on="2027-01-04",
        preferred_language="ar",
        interpreter_needed=True,
    )


async def fill_outbox(pool, count: int, participants: int = 200) -> bytes:
    refs = [new_participant_ref() for _ in range(participants)]
    clock = SystemClock()
    done = 0
    while done < count:
        async with UnitOfWork(pool, source=SOURCE, clock=clock) as uow:
            for i in range(min(50, count - done)):
                uow.emit(sample(refs[(done + i) % participants]))
            await uow.commit()
        done += min(50, count - done)
    return (await pool.fetchval("SELECT body FROM zr_outbox LIMIT 1")).encode()


async def sink(channel, exchange_name: str) -> aio_pika.abc.AbstractQueue:
    exchange = await channel.declare_exchange(
        exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
    )
    queue = await channel.declare_queue(
        f"{exchange_name}.sink", durable=True, arguments={"x-queue-type": "quorum"}
    )
    await queue.bind(exchange, "#")
    return queue


async def run(events: int) -> None:
    load_before = os.getloadavg()  # the machine is shared: say how busy it was
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    connection = await aio_pika.connect_robust(AMQP_URL)
    exchange_name = f"{prefix()}.events"
    setup = await connection.channel()
    queue = await sink(setup, exchange_name)
    results = {}
    cpu: dict[str, dict[str, float]] = {}
    try:
        async with scratch_database() as (url, pool):
            # the relay's own connection, asynchronous commits, as a service has it
            relay_pool = await create_relay_pool(url)
            console.print(
                f"[bold]outbox relay[/]: {events} events of ~{len(await fill_outbox(pool, 1))} bytes"
            )
            await pool.execute("TRUNCATE zr_outbox")

            # baseline: INSERT + publish, one at a time
            channel = await open_channel(connection)
            await pool.execute("CREATE TABLE plain (id bigserial PRIMARY KEY, body text)")
            with (
                console.status("baseline: INSERT + publish with confirm, one by one"),
                Stopwatch() as sw,
            ):
                async with pool.acquire() as conn:
                    payload = sample(new_participant_ref()).model_dump_json().encode()
                    for n in range(events):
                        await conn.execute("INSERT INTO plain (body) VALUES ($1)", payload.decode())
                        await publish(
                            channel,
                            exchange_name,
                            "intake.participant.registered",
                            event_message(
                                payload,
                                event_id=f"00000000-0000-4000-8000-{n:012d}",
                                event_type="bench",
                            ),
                        )
            results["baseline"] = events / sw.seconds
            console.print(f"  baseline done: {results['baseline']:,.0f}/s")

            for window, label in ((1, "relay_window_1"), (100, "relay_window_100")):
                await pool.execute("TRUNCATE zr_outbox")
                with console.status(f"committing {events} events through the unit of work"):
                    body = await fill_outbox(pool, events)
                relay = OutboxRelay(
                    relay_pool,
                    await open_channel(connection),
                    exchange=exchange_name,
                    service="bench",
                    batch_size=500,
                    window=window,
                )
                cpu_before = time.process_time(), await database_cpu_s(pool)
                with (
                    console.status(f"relay, window {window}: draining the outbox"),
                    Stopwatch() as sw,
                ):
                    published = await relay.publish_pending()
                cpu_after = time.process_time(), await database_cpu_s(pool)
                assert published == events, (published, events)
                results[label] = events / sw.seconds
                # CPU per event moves less with the machine's load than the rate does.
                cpu[label] = {
                    "process_us": (cpu_after[0] - cpu_before[0]) * 1e6 / events,
                    "postgresql_us": (cpu_after[1] - cpu_before[1]) * 1e6 / events,
                }
                console.print(
                    f"  relay window {window} done: {results[label]:,.0f}/s; CPU per event:"
                    f" this process {cpu[label]['process_us']:.0f} us,"
                    f" PostgreSQL {cpu[label]['postgresql_us']:.0f} us"
                )

            # ceiling: raw aio-pika, window 100, no database
            channel = await open_channel(connection)
            exchange = await channel.get_exchange(exchange_name)
            window = asyncio.Semaphore(100)

            async def one(n: int) -> None:
                async with window:
                    await exchange.publish(
                        aio_pika.Message(body, message_id=str(n)), "x.y.z", mandatory=True
                    )

            cpu_before_raw = time.process_time()
            with console.status("raw aio-pika, 100 confirms in flight"), Stopwatch() as sw:
                await asyncio.gather(*(one(n) for n in range(events)))
            results["raw_window_100"] = events / sw.seconds
            cpu["raw_window_100"] = {
                "process_us": (time.process_time() - cpu_before_raw) * 1e6 / events,
                "postgresql_us": 0.0,
            }
            console.print(
                f"  raw window 100 done: {results['raw_window_100']:,.0f}/s; CPU per event:"
                f" {cpu['raw_window_100']['process_us']:.0f} us"
            )
            await relay_pool.close()
    finally:
        await queue.delete(if_unused=False, if_empty=False)
        await setup.exchange_delete(exchange_name)
        await connection.close()

    base = results["baseline"]
    rows = [
        ("INSERT + publish, one by one (baseline)", results["baseline"], 1.0),
        ("outbox relay, window 1", results["relay_window_1"], results["relay_window_1"] / base),
        (
            "outbox relay, window 100 (default)",
            results["relay_window_100"],
            results["relay_window_100"] / base,
        ),
        (
            "raw aio-pika, window 100, no database (ceiling)",
            results["raw_window_100"],
            results["raw_window_100"] / base,
        ),
    ]
    console.print(
        table(
            f"Outbox relay, {events} events", ["variant", "messages/s", "ratio to baseline"], rows
        )
    )
    ceiling = results["relay_window_100"] / results["raw_window_100"]
    console.print(f"relay window 100 / ceiling: {ceiling:.2f} (issue 20's goal: 0.9)")
    path = write_results(
        "outbox_relay",
        {
            "events": events,
            "messages_per_second": results,
            "ratio_to_baseline": {k: v / base for k, v in results.items()},
            "cpu_per_event": cpu,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
    )
    console.print(f"results: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    asyncio.run(run(parser.parse_args().events))


if __name__ == "__main__":
    main()
