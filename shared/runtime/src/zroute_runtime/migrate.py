"""Run a service's database migrations with Alembic, programmatically (no alembic.ini).

The script location is the runtime's ``migrations`` package; the version locations are
the runtime's own versions and the service's, so one ``upgrade heads`` creates both the
runtime tables and the service's tables.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

RUNTIME_MIGRATIONS = Path(__file__).parent / "migrations"


def execute_script(sql: str) -> None:
    """Run a multi-statement SQL script inside a migration's transaction.

    SQLAlchemy's asyncpg adapter prepares every statement, and PostgreSQL refuses to
    prepare several at once; asyncpg's own ``execute`` without arguments uses the
    simple query protocol, which takes a whole script, on the same connection and in
    the same transaction.
    """
    from alembic import op
    from sqlalchemy.util import await_only

    raw = op.get_bind().connection.driver_connection
    await_only(raw.execute(sql))


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def alembic_config(database_url: str, service_versions: Path | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(RUNTIME_MIGRATIONS))
    locations = [str(RUNTIME_MIGRATIONS / "versions")]
    if service_versions is not None:
        locations.append(str(service_versions))
    # A space separator keeps paths with ':' or ',' out of trouble.
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("sqlalchemy.url", _sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, service_versions: Path | None) -> None:
    """Bring the database to the newest revision of every branch (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(database_url, service_versions), "heads")


async def upgrade_async(database_url: str, service_versions: Path | None) -> None:
    """``upgrade`` from inside a running event loop (Alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, database_url, service_versions)


_URL_VARIABLE = "ZROUTE_MIGRATE_DATABASE_URL"  # never on the command line, where ps shows it


async def upgrade_in_child(database_url: str, service_versions: Path | None) -> None:
    """``upgrade`` in a short-lived child process, as a service does at start.

    Alembic and SQLAlchemy are needed once, at start, and cost a service some 20 MB for
    the rest of its life when imported in-process (issue 20's footprint). Raises when
    the migrations fail; their error is on the child's standard error, which is ours.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "zroute_runtime.migrate",
        str(service_versions or ""),
        env={**os.environ, _URL_VARIABLE: database_url},
    )
    if await process.wait():
        raise RuntimeError(f"database migrations failed (exit code {process.returncode})")


if __name__ == "__main__":
    upgrade(os.environ[_URL_VARIABLE], Path(sys.argv[1]) if sys.argv[1:] and sys.argv[1] else None)
