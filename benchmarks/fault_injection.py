"""Fault injection at a larger size, and on a three-node RabbitMQ cluster.

    .venv/bin/python benchmarks/fault_injection.py [--participants 200] [--concurrency 8]
    .venv/bin/python benchmarks/fault_injection.py --cluster [--participants 150]

The same run as ``tests/faults/test_faults.py`` (the code is ``tests/faults/harness.py``):
the four services as real processes, a stream of participants registered, scheduled and
completed over intake's HTTP API, faults injected while it flows, then every database
reconciled against the commands sent. Prints the report tables; writes them as JSON to
``benchmarks/results/fault_injection[_cluster].json``. Exits 1 when anything was lost,
doubled, left unpublished or dead-lettered without being meant to fail.

Single node (default): every fault, on a PostgreSQL cluster and a RabbitMQ node the
script starts for the run on free ports and removes afterwards (``tests/faults/servers.py``;
the broker and the database are restarted: a few seconds each). The machine's shared
servers are never touched.

``--stress N``: N CPU-bound processes run beside it (``--stress-seconds`` bounds them),
so that handlers and retries interleave as on a busy machine.

``--cluster``: starts three RabbitMQ nodes on this machine (``zr1..zr3@localhost``, AMQP
ports 5681-5683, data under ``--cluster-dir``), joins them, runs the stream against the
cluster (each service through a forwarder that connects to the first node that answers,
as a load balancer would), stops node 1 (the one every service is connected to and where
the queues' leaders are) mid-stream and brings it back, besides SIGKILLing services.
The cluster is shut down and removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import asdict
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from _common import table, write_results  # noqa: E402

from tests.faults import harness  # noqa: E402
from tests.faults.cluster import RabbitCluster  # noqa: E402
from tests.faults.servers import OwnPostgres, OwnRabbit  # noqa: E402
from tests.faults.stress import CpuStress  # noqa: E402

console = Console(width=150)

SINGLE_NODE_FAULTS = (
    "kill-consumer",
    "kill-relay-before-publish",
    "cut-consumer-connection",
    "kill-notifications",
    "restart-broker",
    "kill-relay-before-confirm",
    "restart-database",
    "kill-support",
)
CLUSTER_FAULTS = (
    "kill-consumer",
    "stop-cluster-node",
    "kill-relay-before-publish",
    "kill-support",
)


async def show_queues(settings: harness.Settings) -> None:
    """The run's queues on the cluster: type, replicas, leader (after node 1 came back)."""
    out = await harness.sh(
        f"{settings.rabbitmqctl} --silent list_queues name type members leader messages"
    )
    rows = [line.split("\t") for line in out.splitlines() if line.startswith(settings.prefix)]
    console.print(
        table(
            "The run's queues on the cluster at the end",
            ("queue", "type", "replicas", "leader", "messages"),
            [(r[0], r[1], r[2].count("@"), r[3], r[4]) for r in rows if len(r) >= 5],
        )
    )


def progress(message: str) -> None:
    console.log(message)


async def main(args: argparse.Namespace) -> int:
    postgres = OwnPostgres()
    rabbit: OwnRabbit | None = None
    try:
        progress(f"starting a PostgreSQL cluster of our own ({postgres.root})")
        postgres.start()
        if not args.cluster:
            rabbit = OwnRabbit()
            progress(f"starting a RabbitMQ node of our own ({rabbit.name})")
            rabbit.start()
        with CpuStress(args.stress, args.stress_seconds) as load:
            progress(f"stress: {load}")
            code = await run(args, postgres, rabbit)
            if load.alive() != load.processes:
                console.print("[red]a stress process ended before the run did[/]")
                code = 1
            console.print(f"stress: {load}")
        return code
    finally:
        if rabbit is not None:
            rabbit.stop()
        postgres.stop()


async def run(args: argparse.Namespace, postgres: OwnPostgres, rabbit: OwnRabbit | None) -> int:
    cluster: RabbitCluster | None = None
    workdir = Path(args.workdir)
    if args.cluster:
        cluster = RabbitCluster(Path(args.cluster_dir))
        progress("starting a three-node RabbitMQ cluster (zr1..zr3@localhost)")
        await cluster.start()
        nodes = [("127.0.0.1", n.amqp_port) for n in cluster.nodes]
        settings = harness.Settings(
            pg_admin_url=postgres.admin_url,
            amqp_url=cluster.amqp_urls[0],
            broker_nodes=nodes,
            workdir=workdir,
            participants=args.participants,
            concurrency=args.concurrency,
            faults=tuple(args.faults.split(",")) if args.faults else CLUSTER_FAULTS,
            rabbitmqctl=f"rabbitmqctl -n {cluster.nodes[1].name}",
            node_stop=cluster.stop_command(0),
            node_start=cluster.start_command(0),
            node_label=f"{cluster.nodes[0].name} (every service's node, the queues' leader)",
        )
    else:
        assert rabbit is not None
        settings = harness.Settings(
            pg_admin_url=postgres.admin_url,
            amqp_url=rabbit.amqp_url,
            broker_nodes=[("127.0.0.1", rabbit.amqp_port)],
            workdir=workdir,
            participants=args.participants,
            concurrency=args.concurrency,
            faults=tuple(args.faults.split(",")) if args.faults else SINGLE_NODE_FAULTS,
            broker_stop=rabbit.stop_command,
            broker_start=rabbit.start_command,
            database_restart=postgres.restart_command,
            rabbitmqctl=rabbit.ctl,
        )
    started = time.perf_counter()
    try:
        outcome = await harness.run(
            settings, progress=progress, keep=args.keep, inspect=show_queues if cluster else None
        )
    finally:
        if cluster is not None:
            await cluster.destroy()
    for report_table in harness.tables(outcome):
        console.print(report_table)
    problems = outcome.report.problems
    if problems:
        console.print("[red]Problems:[/]")
        for problem in problems:
            console.print(f"  - {problem}")
    else:
        console.print(
            f"[green]lost = {outcome.report.lost}; every accepted command has its effect "
            "exactly once in every service; outboxes empty; dead letters are the poison only.[/]"
        )
    name = "fault_injection_cluster" if args.cluster else "fault_injection"
    write_results(
        name,
        {
            "participants": len(outcome.ledger.refs),
            "concurrency": settings.concurrency,
            "cluster": bool(args.cluster),
            "stress_processes": args.stress,
            "seconds": round(time.perf_counter() - started, 1),
            "commands": [
                dict(
                    zip(
                        ("command", "sent", "accepted", "retried", "found_committed"),
                        r,
                        strict=True,
                    )
                )
                for r in outcome.ledger.table()
            ],
            "faults": [asdict(f) for f in outcome.faults],
            "services": {
                s: {
                    k: v
                    for k, v in asdict(r).items()
                    if k not in ("lost", "unexpected_dead_letters")
                }
                | {"lost": len(r.lost), "unexpected_dead_letters": r.unexpected_dead_letters}
                for s, r in outcome.report.services.items()
            },
            "domain": [list(row) for row in outcome.report.domain],
            "problems": problems,
        },
    )
    return 1 if problems or outcome.report.lost else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--faults", help="comma-separated, from: " + ", ".join(harness.ALL_FAULTS))
    parser.add_argument("--cluster", action="store_true", help="run on a three-node cluster")
    parser.add_argument("--cluster-dir", default="/tmp/zroute-fault-cluster")
    parser.add_argument(
        "--workdir", default="/tmp/zroute-faults", help="where the services' logs go"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and queues")
    parser.add_argument("--stress", type=int, default=0, help="CPU-bound processes beside the run")
    parser.add_argument(
        "--stress-seconds", type=float, default=1800, help="the longest a stress process runs"
    )
    sys.exit(asyncio.run(main(parser.parse_args())))
