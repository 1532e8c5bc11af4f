"""Run a service's database migrations with Alembic, programmatically (no alembic.ini).

The script location is the runtime's ``migrations`` package; the version locations are
the runtime's own versions and the service's, so one ``upgrade heads`` creates both the
runtime tables and the service's tables.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
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
    command.upgrade(alembic_config(database_url, service_versions), "heads")


async def upgrade_async(database_url: str, service_versions: Path | None) -> None:
    """``upgrade`` from inside a running event loop (Alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, database_url, service_versions)
