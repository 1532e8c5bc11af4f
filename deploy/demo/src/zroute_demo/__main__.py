"""``./run demo``: the Z-route system end to end, with progress and a readable summary."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.table import Table

from zroute_demo import screens
from zroute_demo.mailbox import Mailbox
from zroute_demo.system import PORTS, DemoConfig, System
from zroute_demo.watch import OutcomeWatch
from zroute_demo.webhooks import WebhookReceiver

WIDE = 200
"""The width of a console that writes to a file, a pipe or a CI log (its rules and lines)."""


def make_console(stdout: TextIO | None = None) -> Console:
    """A console fitted to a terminal when the demo runs in one; otherwise (a file, a pipe,
    a CI log, also one that asks for colour with ``FORCE_COLOR`` or ``TTY_COMPATIBLE``)
    a plain one, ``WIDE`` columns wide, without a live progress bar: rich would otherwise
    take such output for an 80-column terminal and cut the tables' right-hand columns."""
    stdout = stdout or sys.stdout
    if stdout.isatty():
        return Console(file=stdout)
    return Console(file=stdout, width=WIDE, force_terminal=False)


def print_whole(console: Console, table: Table) -> None:
    """Print ``table`` with every column whole: in a terminal, fitted to it (rich wraps
    the cells); elsewhere at its natural width, however wide (nothing to fit)."""
    if console.is_terminal:
        console.print(table)
        return
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    saved = console.width
    console.width = max(saved, natural)
    try:
        console.print(table)
    finally:
        console.width = saved


console = make_console()


async def run(args: argparse.Namespace) -> int:
    from zroute_demo import scenario as scenario_module
    from zroute_demo import summary as summary_module

    started = time.perf_counter()
    config = DemoConfig()
    system = System(config)
    console.rule("[bold]Z-route platform: a cohort through the route, end to end")
    with console.status("checking RabbitMQ and PostgreSQL"):
        await system.check_infrastructure()
    with console.status("clearing the previous demo run (databases, queues)"):
        await system.reset()
    # --serve: the login provider first, so the services start with their screens' login.
    login = screens.login_provider() if args.serve else contextlib.nullcontext(None)
    with (
        login as issuer,
        Mailbox() as mailbox,
        WebhookReceiver(f"demo-case-system-{time.time_ns()}") as webhook,
    ):
        urls = {s: f"http://127.0.0.1:{p}" for s, p in config.ports.items()}
        for service in urls if issuer else ():
            config.extra_env[service] = screens.ui_env(issuer, service, urls)
        config.extra_env.setdefault("notifications", {}).update(
            {
                "ZROUTE_SMTP_HOST": "127.0.0.1",
                "ZROUTE_SMTP_PORT": str(mailbox.port),
                "ZROUTE_OPERATOR_EMAIL": "operations@gemeente.example",
                "ZROUTE_SERVICE_URLS": json.dumps(
                    {s: f"http://127.0.0.1:{p}" for s, p in PORTS.items()}
                ),
            }
        )
        watch = OutcomeWatch(
            config.amqp_url,
            system.settings.exchange_name,
            f"{config.name_prefix}-sub.demo.outcomes",
        )
        with console.status("starting intake, planning, support and notifications"):
            await system.start(on_ready=lambda s: console.print(f"  [green]ready[/] zroute-{s}"))
        await watch.start()
        tables: list = []
        failure = None
        scenario = scenario_module.Scenario(system, console, args.participants)
        scenario.webhook = webhook
        try:
            await scenario_module.run(scenario, weeks=args.weeks)
            with console.status("reading the results back from the services"):
                await system.wind_down()
                tables = await summary_module.build(scenario, watch, mailbox, webhook)
        except scenario_module.DemoError as exc:
            failure = exc
        finally:
            await scenario.close()
            if issuer and failure is None:
                await screens.serve_until_interrupted(console, issuer, urls)
            try:
                depths = await system.queue_depths()
                await watch.stop()
            finally:
                with console.status("stopping the services (SIGTERM, graceful)"):
                    codes = await system.stop()

    services = Table(title="Services", title_justify="left")
    for column in ("service", "HTTP", "exit code", "left in queue", "dead letters"):
        services.add_column(column, justify="left" if column == "service" else "right")
    for name, proc in system.processes.items():
        waiting, dead = depths[name]
        services.add_row(
            name, proc.base_url, str(codes[name]), str(waiting), f"[red]{dead}[/]" if dead else "0"
        )
    for table in tables:
        if isinstance(table, Path):
            console.print(
                f"consultation overview: http://127.0.0.1:{config.ports['notifications']}"
                f"/programmes/programme-demo/overview (a coordinator's bearer token); "
                f"a copy from this run: {table}"
            )
        else:
            print_whole(console, table)
    print_whole(console, services)
    dead_total = sum(dead for _, dead in depths.values())
    took = time.perf_counter() - started
    spent = ", ".join(f"{what} {seconds:.0f}s" for what, seconds in system.spent.items())
    console.print(
        f"dead letters: {dead_total}   logs: {config.workdir}/<service>.log   "
        f"took {took:.0f}s ({spent})"
    )
    if failure is not None:
        console.print(f"[red]the scenario stopped: {failure}[/]")
    passed = failure is None and dead_total == 0 and not any(codes.values())
    _record_run(config.workdir, args, took, passed, system.spent, system.cpu_s)
    return 0 if passed else 1


def _record_run(
    workdir: Path,
    args: argparse.Namespace,
    seconds: float,
    passed: bool,
    system_spent: dict[str, float],
    service_cpu: dict[str, float | None] | None = None,
) -> None:
    """The run's size, wall time and verdict, for ``./run bench``'s issue-20 table."""
    record = {
        "at": datetime.now(UTC).isoformat(),
        "participants": args.participants,
        "weeks": args.weeks,
        "seconds": seconds,
        "passed": passed,
        "load": os.getloadavg(),
        "spent_s": system_spent,
        # CPU seconds, which a loaded machine stretches far less than wall time: the demo's
        # own, and the four services' (children, counted once they have been waited for).
        "cpu_s": {
            "demo": round(_cpu(resource.RUSAGE_SELF), 1),
            "services": round(_cpu(resource.RUSAGE_CHILDREN), 1),
            # Each service's, read as it was asked to stop (issue 20: which one to work on).
            "by_service": service_cpu or {},
        },
    }
    (workdir / "run.json").write_text(json.dumps(record, indent=2) + "\n")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(prog="./run demo", description=__doc__)
    parser.add_argument("--participants", type=int, default=24, help="cohort size (default 24)")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="after the cohort, keep the services and a login provider up and print each"
        " role's start address on the screens and its demo user (Ctrl-C stops them)",
    )
    parser.add_argument(
        "--weeks",
        type=int,
        default=160,
        help="weeks to simulate after the intakes (default 160, a little over three years)",
    )
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
