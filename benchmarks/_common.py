"""What every benchmark shares: a scratch database and broker names, progress, tables,
JSON results. Benchmarks print ratios against a baseline measured in the same run;
absolute numbers depend on the machine and are never asserted anywhere."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from rich.console import Console
from rich.table import Table
from zroute_runtime import migrate
from zroute_runtime.db import create_pool

console = Console()
RESULTS = Path(__file__).parent / "results"
PG_ADMIN = os.environ.get(
    "ZROUTE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
AMQP_URL = os.environ.get("ZROUTE_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


@asynccontextmanager
async def scratch_database(*, runtime_tables: bool = True, max_size: int = 20):
    """A fresh database with the runtime's tables, dropped afterwards."""
    name = f"zrbench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(PG_ADMIN)._replace(path=f"/{name}"))
    try:
        if runtime_tables:
            await migrate.upgrade_async(url, None)
        pool = await create_pool(url, max_size=max_size)
        try:
            yield url, pool
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def prefix() -> str:
    return f"zrbench-{uuid.uuid4().hex[:6]}"


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    t = Table(title=title, title_justify="left")
    for i, column in enumerate(columns):
        t.add_column(column, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*[_fmt(v) for v in row])
    return t


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def write_results(name: str, results: dict) -> Path:
    """Write results as JSON beside the printed table, to compare across versions."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "at": datetime.now(UTC).isoformat(),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        **results,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * TICK_S


async def database_cpu_s(pool: asyncpg.Pool) -> float:
    """CPU seconds used so far by the PostgreSQL backends of this database, from /proc
    (PostgreSQL runs on this machine)."""
    rows = await pool.fetch("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    return sum(process_cpu_s(row["pid"]) for row in rows)
