"""Each service's console script, started for real as docker-compose.yml starts it.

``tests/deploy/test_compose.py`` checks that compose runs exactly these commands; this
test proves that each of them starts, migrates its database, declares its topology,
becomes ready, serves its metrics, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from zroute_runtime.topology import municipal_exchange

from tests.helpers import free_port, wait_for

SERVICES = ["intake", "planning", "support", "notifications"]


@pytest.mark.slow
@pytest.mark.parametrize("service", SERVICES)
async def test_the_console_script_serves_and_stops_cleanly(
    service, databases, amqp_url, name_prefix, janitor
):
    port = free_port()
    script = Path(sys.executable).parent / f"zroute-{service}"
    env = {
        **os.environ,
        "ZROUTE_DATABASE_URL": databases.url_template(),
        "ZROUTE_AMQP_URL": amqp_url,
        "ZROUTE_NAME_PREFIX": name_prefix,
        "ZROUTE_HTTP_PORT": str(port),
        "ZROUTE_AUTH_SIGNING_KEY": "entrypoint-test-key-0123456789-0123456789",
        "ZROUTE_LOG_LEVEL": "INFO",
    }
    janitor.exchanges.update(
        {
            f"{name_prefix}.events",
            municipal_exchange(f"{name_prefix}.events"),
            f"{name_prefix}.dead-letter",
        }
    )
    janitor.queues.update(
        {f"{name_prefix}.{service}", f"{name_prefix}.{service}.dead-letter"}
        | {f"{name_prefix}.{service}.retry.{d}" for d in (1000, 10000, 60000)}
    )
    process = await asyncio.create_subprocess_exec(
        str(script),
        "serve",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=2) as client:

            async def ready() -> bool:
                if process.returncode is not None:
                    output = (await process.stdout.read()).decode(errors="replace")
                    raise AssertionError(f"zroute-{service} exited early:\n{output}")
                try:
                    return (await client.get("/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await wait_for(ready, timeout=60, interval=0.2, what=f"zroute-{service} to be ready")
            metrics = await client.get("/metrics")
            assert metrics.status_code == 200
            assert "zroute_outbox_unpublished" in metrics.text
            assert (await client.get("/admin/clock")).status_code == 401
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.stdout.read(), 60)).decode(errors="replace")
        code = await asyncio.wait_for(process.wait(), 60)
    assert code == 0, output
    assert '"service_stopped"' in output or "service_stopped" in output


async def test_the_topology_script_declares_every_consumers_queue(amqp_url, name_prefix, janitor):
    """``zroute-topology``, as compose's one-shot job runs it."""
    import aio_pika
    from zroute_contract.events.base import SERVICES as ALL
    from zroute_runtime.topology import catalogue_bindings

    consuming = [s for s in ALL if catalogue_bindings(s)]
    janitor.exchanges.update(
        {
            f"{name_prefix}.events",
            municipal_exchange(f"{name_prefix}.events"),
            f"{name_prefix}.dead-letter",
        }
    )
    for service in consuming:
        janitor.queues.update(
            {f"{name_prefix}.{service}", f"{name_prefix}.{service}.dead-letter"}
            | {f"{name_prefix}.{service}.retry.{d}" for d in (1000, 10000, 60000)}
        )
    script = Path(sys.executable).parent / "zroute-topology"
    process = await asyncio.create_subprocess_exec(
        str(script),
        env={**os.environ, "ZROUTE_AMQP_URL": amqp_url, "ZROUTE_NAME_PREFIX": name_prefix},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(process.communicate(), 60))[0].decode()
    assert process.returncode == 0, output
    connection = await aio_pika.connect(amqp_url)
    try:
        for service in consuming:
            channel = await connection.channel()
            await channel.declare_queue(
                f"{name_prefix}.{service}", passive=True
            )  # raises if absent
            assert f"declared {name_prefix}.{service}" in output
    finally:
        await connection.close()
