"""``./run demo``: the Z-route system end to end, with progress and a readable summary."""

from __future__ import annotations

import argparse
import asyncio
import time

from rich.console import Console
from rich.table import Table

from zroute_demo.system import DemoConfig, System

console = Console()


async def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    system = System(DemoConfig())
    console.rule("[bold]Z-route platform: end-to-end run")
    with console.status("checking RabbitMQ and PostgreSQL"):
        await system.check_infrastructure()
    with console.status("clearing the previous demo run (databases, queues)"):
        await system.reset()
    console.print("clean slate: demo databases and queues reset")
    with console.status("starting intake, planning, support and notifications"):
        await system.start(on_ready=lambda s: console.print(f"  [green]ready[/] zroute-{s}"))
    try:
        from zroute_demo import scenario

        summary = await scenario.run(system, console, participants=args.participants)
    finally:
        depths = await system.queue_depths()
        with console.status("stopping the services (SIGTERM, graceful)"):
            codes = await system.stop()

    table = Table(title="Services", title_justify="left")
    for column in ("service", "HTTP", "exit code", "queue left", "dead letters"):
        table.add_column(column, justify="right" if column != "service" else "left")
    for name, proc in system.processes.items():
        waiting, dead = depths[name]
        table.add_row(
            name, proc.base_url, str(codes[name]), str(waiting), f"[red]{dead}[/]" if dead else "0"
        )
    console.print(table)
    for renderable in summary:
        console.print(renderable)
    dead_total = sum(dead for _, dead in depths.values())
    console.print(
        f"dead letters: {dead_total}   logs: {system.config.workdir}/<service>.log   "
        f"took {time.perf_counter() - started:.1f}s"
    )
    return 0 if dead_total == 0 and not any(codes.values()) else 1


def main() -> None:
    parser = argparse.ArgumentParser(prog="./run demo", description=__doc__)
    parser.add_argument("--participants", type=int, default=36, help="cohort size (default 36)")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
