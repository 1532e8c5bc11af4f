"""The service's own PostgreSQL database: one asyncpg pool per process."""

from __future__ import annotations

import json

import asyncpg


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb columns come back as Python objects and go in from dicts.
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections skip asyncpg's reset query (``RESET ALL; UNLISTEN *;
    CLOSE ALL; pg_advisory_unlock_all()``), one round trip per release: nothing in the
    platform sets session state (no LISTEN, no session SET or advisory lock, cursors
    only inside transactions). asyncpg still rolls back a transaction left open."""


async def create_pool(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    server_settings: dict[str, str] | None = None,
) -> asyncpg.Pool:
    """Open the pool; fails at once with the URL's host in the message if unreachable.
    ``server_settings`` are set on each of its connections for the whole session."""
    return await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        server_settings=server_settings,
    )


async def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` when it does not exist (local runs and tests).

    Returns True when it was created. Production databases are provisioned by the
    operator; the service account may lack CREATEDB and then this is not called.
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()
