"""Fixtures for the runtime tests: a migrated database, a broker exchange, a relay."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from zroute_runtime import migrate
from zroute_runtime.clock import SimulatedClock
from zroute_runtime.db import create_pool, ensure_database
from zroute_runtime.settings import ServiceSettings

from tests.runtime.probe import MIGRATIONS, probe_settings

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-probe"


@pytest.fixture
def settings(databases, amqp_url, name_prefix, janitor) -> ServiceSettings:
    s = probe_settings(
        database_url=databases.url_template(), amqp_url=amqp_url, name_prefix=name_prefix
    )
    janitor.exchanges.update(
        {s.exchange_name, s.exchange_name + ".by-municipality", s.name("dead-letter")}
    )
    janitor.queues.update(
        {s.name("probe"), s.name("probe", "dead-letter")}
        | {s.name("probe", "retry", str(d)) for d in s.retry_delays_ms}
    )
    return s


@pytest.fixture
async def pool(settings: ServiceSettings, databases) -> AsyncIterator[asyncpg.Pool]:
    url = settings.database_url_for("probe")
    # A copy of the probe's migrated template (tests/conftest.py); otherwise migrated here.
    if not await databases.provision(url, "probe", MIGRATIONS):
        await ensure_database(url)
        await migrate.upgrade_async(url, MIGRATIONS)
    pool = await create_pool(url, max_size=12)
    yield pool
    await pool.close()


@pytest.fixture
def clock() -> SimulatedClock:
    from datetime import datetime

    return SimulatedClock(datetime.fromisoformat("2027-01-04T09:00:00+01:00"))
