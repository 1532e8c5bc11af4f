"""What a ``pg_notify`` in every committing transaction costs PostgreSQL's commit rate.

    .venv/bin/python benchmarks/wakeup_pg_notify.py [--seconds 5] [--connections 8]

The outbox relay needs to learn promptly that a transaction committed events. Two ways:
LISTEN/NOTIFY (``pg_notify`` inside every writing transaction) or an in-process wake-up
after commit plus a slow poll. This measures the first one's price: the same small
transaction (one INSERT into an outbox-like table, then COMMIT) run by N connections for
a fixed time, without and with ``pg_notify``. The runtime chose the in-process wake-up
(see zroute_runtime/relay.py); this script is the measurement behind that choice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import console, scratch_database, table, write_results


async def commits_per_second(pool, connections: int, seconds: float, notify: bool) -> float:
    stop = time.perf_counter() + seconds
    counts = [0] * connections

    async def writer(i: int) -> None:
        async with pool.acquire() as conn:
            while time.perf_counter() < stop:
                async with conn.transaction():
                    await conn.execute("INSERT INTO wake (body) VALUES ($1)", "x" * 600)
                    if notify:
                        await conn.execute("SELECT pg_notify('outbox', '')")
                counts[i] += 1

    await asyncio.gather(*(writer(i) for i in range(connections)))
    return sum(counts) / seconds


async def run(seconds: float, connections: int) -> None:
    async with scratch_database(runtime_tables=False, max_size=connections + 2) as (_, pool):
        await pool.execute("CREATE TABLE wake (id bigserial PRIMARY KEY, body text)")
        listener = await pool.acquire()

        def ignore(*_: object) -> None:
            pass

        await listener.add_listener("outbox", ignore)  # a relay would listen
        with console.status(f"{connections} connections, plain commits, {seconds:g}s"):
            plain = await commits_per_second(pool, connections, seconds, notify=False)
        console.print(f"  plain: {plain:,.0f} commits/s")
        with console.status(f"{connections} connections, commits with pg_notify, {seconds:g}s"):
            notified = await commits_per_second(pool, connections, seconds, notify=True)
        console.print(f"  with pg_notify: {notified:,.0f} commits/s")
        await listener.remove_listener("outbox", ignore)
        await pool.release(listener)
    console.print(
        table(
            f"Commit rate, {connections} connections",
            ["transaction", "commits/s", "ratio to plain"],
            [
                ("INSERT, COMMIT (baseline)", plain, 1.0),
                ("INSERT, pg_notify, COMMIT", notified, notified / plain),
            ],
        )
    )
    path = write_results(
        "wakeup_pg_notify",
        {
            "connections": connections,
            "seconds": seconds,
            "plain": plain,
            "with_notify": notified,
            "ratio": notified / plain,
        },
    )
    console.print(f"results: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.seconds, args.connections))


if __name__ == "__main__":
    main()
