"""Each service's footprint: resident memory and time to ready, as a process of its own.

    .venv/bin/python benchmarks/footprint.py [--services intake planning ...]

Every service is started on its own (``zroute-<service> serve``, as in production, with
a simulated clock and its own scratch database and broker names), twice: the first start
creates and migrates its database, the second is an ordinary restart. Measured from
spawning the process to ``/ready`` answering 200, then its resident set (VmRSS) right
after ready and its peak (VmHWM). The goals of issue 20 (each service at most 120 MB, ready
within 3 s) are judged on the restart. JSON in benchmarks/results/footprint.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))
from _common import AMQP_URL, PG_ADMIN, console, prefix, table, write_results
from zroute_demo.system import SERVICES, DemoConfig, System


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


async def measure(system: System, service: str) -> dict[str, float]:
    started = time.perf_counter()
    await system._spawn(service)
    await system._wait_ready(service, within_s=120)
    ready_s = time.perf_counter() - started
    rss, peak = _memory_mb(system.processes[service].process.pid)
    code = (await system.stop())[service]
    system.processes.clear()
    return {"ready_s": ready_s, "rss_mb": rss, "peak_mb": peak, "exit_code": code}


async def run(services: list[str]) -> None:
    load_before = os.getloadavg()
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    database = urlunsplit(
        urlsplit(PG_ADMIN)._replace(path=f"/{prefix().replace('-', '_')}_{{service}}")
    )
    with tempfile.TemporaryDirectory() as workdir:
        config = DemoConfig(
            database_url=database,
            amqp_url=AMQP_URL,
            name_prefix=prefix(),
            workdir=Path(workdir),
            ports={s: _free_port() for s in SERVICES},
        )
        system = System(config)
        await system.reset()
        results = []
        try:
            for service in services:
                with console.status(f"zroute-{service}: first start (migrates), then a restart"):
                    first = await measure(system, service)
                    again = await measure(system, service)
                results.append({"service": service, "first_start": first, **again})
                console.print(
                    f"  {service}: ready in {again['ready_s']:.2f} s, {again['rss_mb']:.0f} MB"
                    f" (first start {first['ready_s']:.2f} s)"
                )
        finally:
            await system.stop()
            await system.reset()
    rows = [
        (
            r["service"],
            r["first_start"]["ready_s"],
            r["ready_s"],
            r["rss_mb"],
            r["peak_mb"],
            "met" if r["rss_mb"] <= 120 and r["ready_s"] <= 3 else "MISSED",
        )
        for r in results
    ]
    console.print(
        table(
            "Service footprint (goal: <= 120 MB RSS, ready <= 3 s, on a restart)",
            ["service", "first start s", "ready s", "RSS MB", "peak MB", "goal"],
            rows,
        )
    )
    load_after = os.getloadavg()
    console.print(f"load average after: {load_after[0]:.2f}")
    path = write_results(
        "footprint",
        {"load_average_before": load_before, "load_average_after": load_after, "services": results},
    )
    console.print(f"results: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", nargs="+", default=list(SERVICES), choices=SERVICES)
    asyncio.run(run(parser.parse_args().services))


if __name__ == "__main__":
    main()
