"""The intake registration endpoint under concurrent load, against a bare FastAPI INSERT.

    .venv/bin/python benchmarks/intake_http.py [--requests 2000] [--concurrency 16]

Two servers in this process, on the local PostgreSQL, both served by uvicorn with the
same configuration the runtime uses (port 0, ``log_config=None``, no access log, the
default HTTP implementation), each with an asyncpg pool of the runtime's default size:

* baseline - a bare FastAPI app whose ``POST /participants`` takes the JSON body and
             does one ``INSERT`` (the body as jsonb) into a table of the intake database;
             no auth, no validation beyond "is JSON", no events;
* intake   - the intake service (``ServiceRuntime`` with the real definition, system
             clock, the test signing key) answering ``POST /participants``: bearer token
             check, request validation with the BSN elfproef, duplicate check by keyed
             hash, AES-GCM encryption of the personal data, the participant row, two
             events into the outbox in the same transaction; its relay publishes them to
             RabbitMQ meanwhile.

The load comes from a second process (``benchmarks/_load.py``): ``--concurrency``
clients with a kept-alive connection each, ``--requests`` registrations in all, each with
its own valid BSN. The same loader, the same bodies' shape and the same concurrency for
both. Printed: requests/s, latency p50 and p99, CPU per request (this process, and the
database's PostgreSQL backends read from /proc: steadier than the rates on a shared
machine), and ratios to the baseline; JSON in
benchmarks/results/intake_http.json. Logging is configured as in production (INFO, JSON)
but written to /dev/null: the service pays for its log lines, the terminal is spared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
import uvicorn
from fastapi import FastAPI, Request
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from _common import (
    AMQP_URL,
    PG_ADMIN,
    console,
    database_cpu_s,
    prefix,
    table,
    write_results,
)
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.db import create_pool
from zroute_runtime.logging import configure_logging
from zroute_runtime.service import ServiceRuntime
from zroute_runtime.topology import municipal_exchange

# The signing key of the test suite (tests/helpers.TEST_SIGNING_KEY): local runs only.
SIGNING_KEY = "test-signing-key-not-for-production-0123456789"
LOADER = Path(__file__).parent / "_load.py"


def bare_app(pool: asyncpg.Pool) -> FastAPI:
    app = FastAPI(title="bare insert")

    @app.post("/participants", status_code=201)
    async def register(request: Request) -> dict[str, Any]:
        body = await request.json()
        row_id = await pool.fetchval(
            "INSERT INTO bare_registrations (body) VALUES ($1::jsonb) RETURNING id",
            json.dumps(body),
        )
        return {"id": row_id}

    return app


async def serve(app: FastAPI) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    """Serve ``app`` the way ServiceRuntime serves a service's app."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off"
        )
    )
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task, server.servers[0].sockets[0].getsockname()[1]


async def run_loader(url: str, requests: int, concurrency: int, token: str | None, seed: int):
    """Run the loader as a second process; the servers keep serving in this one."""
    args = [sys.executable, str(LOADER), url, "--requests", str(requests)]
    args += ["--concurrency", str(concurrency), "--seed", str(seed)]
    if token:
        args += ["--token", token]
    process = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"loader failed ({process.returncode}): {err.decode()[-2000:]}")
    return json.loads(out)


async def run(requests: int, concurrency: int, warmup: int) -> None:
    load_before = os.getloadavg()  # the machine is shared: say how busy it was
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    db_template = f"zrbench_{uuid.uuid4().hex[:8]}_{{service}}"
    name_prefix = prefix()
    settings = Settings(
        database_url=urlunsplit(urlsplit(PG_ADMIN)._replace(path=f"/{db_template}")),
        amqp_url=AMQP_URL,
        name_prefix=name_prefix,
        clock="system",
        http_host="127.0.0.1",
        http_port=0,
        auth_signing_key=SIGNING_KEY,
        log_json=False,
    )
    token = issue_token(settings, "caseworker-bench", [Role.CASEWORKER])
    results: dict[str, dict[str, Any]] = {}
    runtime = ServiceRuntime(definition(settings), settings)
    bare_server = bare_task = None
    bare_pool = None
    # a queue bound to the intake events, so the relay's mandatory publishes are routed
    connection = await aio_pika.connect_robust(AMQP_URL)
    channel = await connection.channel()
    try:
        with console.status("starting the intake service"):
            await runtime.start(consume=True, http=True)
            exchange = await channel.get_exchange(runtime.topology.exchange)
            # Messages live for 0 ms in it: routed (so the mandatory publishes succeed) and
            # dropped by the broker at once. Until issue 20's fifth pass a consumer here
            # took and acked them in this process, and its CPU was counted as the server's.
            sink = await channel.declare_queue(
                f"{name_prefix}.sink", exclusive=True, arguments={"x-message-ttl": 0}
            )
            await sink.bind(exchange, "#")
            await runtime.pool.execute(
                "CREATE TABLE bare_registrations (id bigserial PRIMARY KEY, body jsonb NOT NULL)"
            )
            bare_pool = await create_pool(runtime.database_url)
            bare_server, bare_task, bare_port = await serve(bare_app(bare_pool))
        targets = {
            "baseline": (f"http://127.0.0.1:{bare_port}/participants", None),
            "intake": (f"http://127.0.0.1:{runtime.http_port}/participants", token),
        }
        console.print(
            f"[bold]intake HTTP[/]: {requests} registrations per server from a second process,"
            f" {concurrency} concurrent clients"
        )
        seed = 0
        for name, (url, auth) in targets.items():
            seed += 1
            with console.status(f"{name}: warming up ({warmup} requests)"):
                await run_loader(url, warmup, concurrency, auth, seed)
            seed += 1
            # CPU per request is steadier than the rate on a shared machine: the server
            # (this process, relay included) and the PostgreSQL backends of the database.
            cpu_before = time.process_time(), await database_cpu_s(runtime.pool)
            with console.status(f"{name}: {requests} requests, {concurrency} clients"):
                results[name] = await run_loader(url, requests, concurrency, auth, seed)
            cpu_after = time.process_time(), await database_cpu_s(runtime.pool)
            r = results[name]
            r["server_cpu_ms_per_request"] = (cpu_after[0] - cpu_before[0]) * 1000 / requests
            r["database_cpu_ms_per_request"] = (cpu_after[1] - cpu_before[1]) * 1000 / requests
            console.print(
                f"  {name}: {r['requests_per_second']:,.0f} req/s, p50 {r['p50_ms']:.1f} ms,"
                f" p99 {r['p99_ms']:.1f} ms, statuses {r['statuses']}; CPU per request:"
                f" server {r['server_cpu_ms_per_request']:.2f} ms,"
                f" PostgreSQL {r['database_cpu_ms_per_request']:.2f} ms"
            )
        stored = await runtime.pool.fetchval("SELECT count(*) FROM intake_participants")
        events = await runtime.pool.fetchval("SELECT count(*) FROM zr_outbox")
        results["intake"]["participants_stored"] = stored
        results["intake"]["outbox_events"] = events
    finally:
        with console.status("stopping, dropping the database"):
            if bare_server is not None and bare_task is not None:
                bare_server.should_exit = True
                await bare_task
            if bare_pool is not None:
                await bare_pool.close()
            await runtime.stop()
            topo = runtime.topology
            for name in [
                topo.queue,
                topo.dead_letter_queue,
                *(topo.retry_queue(n) for n in range(1, topo.max_retries + 1)),
            ]:
                await channel.queue_delete(name)
            await channel.exchange_delete(topo.exchange)
            await channel.exchange_delete(municipal_exchange(topo.exchange))
            await channel.exchange_delete(topo.dead_letter_exchange)
            await connection.close()
            admin = await asyncpg.connect(PG_ADMIN)
            await admin.execute(
                f'DROP DATABASE IF EXISTS "{runtime.database_url.rsplit("/", 1)[1]}" WITH (FORCE)'
            )
            await admin.close()

    base = results["baseline"]
    rows = [
        (
            label,
            r["requests_per_second"],
            r["requests_per_second"] / base["requests_per_second"],
            r["p50_ms"],
            r["p99_ms"],
            r["p50_ms"] / base["p50_ms"],
            r["p99_ms"] / base["p99_ms"],
            ", ".join(f"{k}: {v}" for k, v in r["statuses"].items()),
        )
        for label, r in (
            ("bare FastAPI, one INSERT (baseline)", base),
            ("intake POST /participants", results["intake"]),
        )
    ]
    Console(width=max(console.width, 120)).print(
        table(
            f"Intake HTTP, {requests} requests, {concurrency} concurrent clients",
            ["server", "req/s", "x base", "p50 ms", "p99 ms", "p50 x", "p99 x", "statuses"],
            rows,
        )
    )
    console.print(
        f"intake stored {results['intake']['participants_stored']} participants with "
        f"{results['intake']['outbox_events']} outbox events (two per registration)"
    )
    path = write_results(
        "intake_http",
        {
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "requests": requests,
            "concurrency": concurrency,
            "results": results,
            "ratio_to_baseline": {
                "requests_per_second": results["intake"]["requests_per_second"]
                / base["requests_per_second"],
                "p50": results["intake"]["p50_ms"] / base["p50_ms"],
                "p99": results["intake"]["p99_ms"] / base["p99_ms"],
            },
        },
    )
    console.print(f"results: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    with open(os.devnull, "w") as devnull:
        configure_logging("intake", "INFO", json=True, stream=devnull)
        asyncio.run(run(args.requests, args.concurrency, args.warmup))


if __name__ == "__main__":
    main()
