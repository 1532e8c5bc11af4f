"""Fixtures giving every test run its own names on a real RabbitMQ and PostgreSQL.

Where they come from, in order:

1. ``ZROUTE_TEST_DATABASE_URL`` / ``ZROUTE_TEST_AMQP_URL`` when set;
2. the local services (``postgresql://postgres@127.0.0.1:5432/postgres`` and
   ``amqp://guest:guest@127.0.0.1:5672/``) when they answer;
3. containers started with testcontainers when Docker is available;
4. otherwise the run fails, saying what to start. Tests are never skipped for it.

Each run uses a random broker name prefix and its own databases, dropped at the end,
so runs on a shared machine do not see each other.

A service's database is a copy of a template migrated once per service per run: the
migrations run as at a service's start (a child process, some 4 s of imports each), and
every test after the first gets ``CREATE DATABASE ... TEMPLATE`` (a tenth of a second).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
import pytest

from tests.helpers import TEST_SIGNING_KEY

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
# Connections that drop a run's databases at its end, side by side (see drop_all).
DROP_CONNECTIONS = 6


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url = os.environ.get("ZROUTE_TEST_DATABASE_URL", DEFAULT_PG)
    if _reachable(url, 5432):
        yield url
        return
    if "ZROUTE_TEST_DATABASE_URL" not in os.environ and _docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15", driver=None) as pg:
            yield pg.get_connection_url()
        return
    pytest.fail(
        f"PostgreSQL is not reachable at {url}. Start it (on Debian: "
        "pg_ctlcluster --skip-systemctl-redirect 15 main start, or `bash .ci/run`), "
        "set ZROUTE_TEST_DATABASE_URL, or make Docker available for testcontainers.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    url = os.environ.get("ZROUTE_TEST_AMQP_URL", DEFAULT_AMQP)
    if _reachable(url, 5672):
        yield url
        return
    if "ZROUTE_TEST_AMQP_URL" not in os.environ and _docker_available():
        from testcontainers.rabbitmq import RabbitMqContainer

        with RabbitMqContainer("rabbitmq:4-management") as rabbit:
            params = rabbit.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}/"
        return
    pytest.fail(
        f"RabbitMQ is not reachable at {url}. Start it (on Debian: rabbitmq-server -detached, "
        "or `bash .ci/run`), set ZROUTE_TEST_AMQP_URL, or make Docker available.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def name_prefix(run_id: str) -> str:
    """A broker name prefix of this test alone."""
    return f"zrt-{run_id}-{uuid.uuid4().hex[:6]}"


class Databases:
    """Creates databases for one test run and drops them all at the end."""

    def __init__(self, admin_url: str, run_id: str) -> None:
        self.admin_url = admin_url
        self.run_id = run_id
        self.created: list[str] = []
        # (service, migrations) -> the name of a database migrated to the newest revision
        self._templates: dict[tuple[str, str], str] = {}
        self._template_locks: dict[tuple[str, str], asyncio.Lock] = {}

    def _url_of(self, name: str) -> str:
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    async def template(self, service: str, migrations: Path | None) -> str:
        """The name of a database of this run migrated for ``service``: made on first
        use by the migrations exactly as a service runs them at start (in a child
        process), then only copied."""
        from zroute_runtime import migrate
        from zroute_runtime.db import ensure_database

        key = (service, str(migrations))
        async with self._template_locks.setdefault(key, asyncio.Lock()):
            if key not in self._templates:
                name = f"zrt_{self.run_id}_tpl{len(self._templates)}_{service}"[:63]
                url = self._url_of(name)
                await ensure_database(url)
                await migrate.upgrade_in_child(url, migrations)
                self._templates[key] = name
            return self._templates[key]

    async def provision(self, database_url: str, service: str, migrations: Path | None) -> bool:
        """Create the database of ``database_url`` as a copy of the service's migrated
        template. Returns False (and leaves it as it is) when it exists already (a
        restarted service, a database a test prepared itself) or is not one of this run's:
        the service's start then migrates it as usual."""
        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        if parts.netloc != urlsplit(self.admin_url).netloc or not name.startswith(
            f"zrt_{self.run_id}_"
        ):
            return False  # not a database of this run's server and names: not ours to make
        template = await self.template(service, migrations)
        conn = await asyncpg.connect(self.admin_url)
        try:
            if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                return False
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return True
        finally:
            await conn.close()

    def url_template(self) -> str:
        """A ``{service}`` URL template whose databases this run owns."""
        parts = urlsplit(self.admin_url)
        name = f"zrt_{self.run_id}_{uuid.uuid4().hex[:6]}_{{service}}"
        self.created.append(name)
        return urlunsplit(parts._replace(path=f"/{name}"))

    async def drop_all(self) -> None:
        """Drop every database of this run. Each DROP DATABASE waits for a checkpoint;
        drops made side by side share one, so a few connections drop the run's hundreds
        of databases in a fraction of the time one after another takes."""
        conn = await asyncpg.connect(self.admin_url)
        try:
            rows = await conn.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"zrt_{self.run_id}_%"
            )
        finally:
            await conn.close()
        names = [row["datname"] for row in rows]

        async def drop(share: list[str]) -> None:
            conn = await asyncpg.connect(self.admin_url)
            try:
                for name in share:
                    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()

        await asyncio.gather(*(drop(names[i::DROP_CONNECTIONS]) for i in range(DROP_CONNECTIONS)))


@pytest.fixture(scope="session")
async def databases(pg_admin_url: str, run_id: str) -> AsyncIterator[Databases]:
    dbs = Databases(pg_admin_url, run_id)
    yield dbs
    await dbs.drop_all()


@pytest.fixture
async def amqp_connection(amqp_url: str) -> AsyncIterator[aio_pika.abc.AbstractRobustConnection]:
    connection = await aio_pika.connect_robust(amqp_url)
    yield connection
    await connection.close()


class BrokerJanitor:
    """Deletes the queues and exchanges a test declared under its prefix."""

    def __init__(self, connection: aio_pika.abc.AbstractConnection, prefix: str) -> None:
        self.connection = connection
        self.prefix = prefix
        self.queues: set[str] = set()
        self.exchanges: set[str] = set()

    async def cleanup(self) -> None:
        channel = await self.connection.channel()
        for name in sorted(self.queues):
            assert name.startswith(self.prefix)
            try:
                await channel.queue_delete(name)
            except Exception:
                channel = await self.connection.channel()
        for name in sorted(self.exchanges):
            assert name.startswith(self.prefix)
            try:
                await channel.exchange_delete(name)
            except Exception:
                channel = await self.connection.channel()
        await channel.close()


@pytest.fixture
async def janitor(amqp_connection, name_prefix: str) -> AsyncIterator[BrokerJanitor]:
    janitor = BrokerJanitor(amqp_connection, name_prefix)
    yield janitor
    await janitor.cleanup()


# -- running services in-process ---------------------------------------------------------


class ServiceRunner:
    """Starts services of this test with their own databases and the test's broker prefix.

    All services one test starts share the prefix (so they see each other's events),
    a simulated clock starting at ``CLOCK_START`` (each service its own clock object,
    as in production each process has its own), and a signing key for tokens.
    """

    CLOCK_START = "2027-01-04T09:00:00+01:00"

    def __init__(self, databases, amqp_url: str, prefix: str, janitor: BrokerJanitor) -> None:
        self.databases = databases
        self.db_template = databases.url_template()
        self.amqp_url = amqp_url
        self.prefix = prefix
        self.janitor = janitor
        self.running: list = []
        # (database URL, migrations) this test's services have at the newest revision
        self._migrated: set[tuple[str, str]] = set()

    def settings(self, settings_cls=None, **overrides):
        from zroute_runtime.settings import ServiceSettings

        values = {
            "database_url": self.db_template,
            "amqp_url": self.amqp_url,
            "name_prefix": self.prefix,
            "retry_delays_ms": [50, 200],
            "relay_poll_interval_s": 0.2,
            "timer_poll_interval_s": 0.2,
            "clock": "simulated",
            "clock_start": self.CLOCK_START,
            "http_host": "127.0.0.1",
            "http_port": 0,
            "auth_signing_key": TEST_SIGNING_KEY,
            "log_json": False,
        } | overrides
        return (settings_cls or ServiceSettings)(**values)

    async def start(self, definition, settings=None, *, http: bool = True, consume: bool = True):
        """Start ``definition`` (a ServiceDefinition) and return its ServiceRuntime."""
        from zroute_runtime.service import ServiceRuntime

        runtime = ServiceRuntime(definition, settings or self.settings())
        migrated = (runtime.database_url, str(definition.migrations))
        if migrated in self._migrated or await self.databases.provision(
            runtime.database_url, runtime.service, definition.migrations
        ):
            # A fresh copy of the migrated template, or a restart on a database an earlier
            # start of this test migrated: the start's migrations would find nothing to do
            # (Alembic's imports alone cost some 4 s in a child process).
            runtime.migrate = _already_migrated
        topo = runtime.topology
        self.janitor.exchanges.update(
            {topo.exchange, topo.exchange + ".by-municipality", topo.dead_letter_exchange}
        )
        self.janitor.queues.update(
            {topo.queue, topo.dead_letter_queue}
            | {topo.retry_queue(n) for n in range(1, topo.max_retries + 1)}
        )
        await runtime.start(http=http, consume=consume)
        self._migrated.add(migrated)
        self.running.append(runtime)
        return runtime

    async def stop_all(self) -> None:
        while self.running:
            await self.running.pop().stop()


async def _already_migrated() -> None:
    """A service's migrate step on a database copied from its migrated template."""


@pytest.fixture
async def services(databases, amqp_url, name_prefix, janitor) -> AsyncIterator[ServiceRunner]:
    """Start services in-process: ``runtime = await services.start(definition())``."""
    runner = ServiceRunner(databases, amqp_url, name_prefix, janitor)
    yield runner
    await runner.stop_all()
