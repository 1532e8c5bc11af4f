"""Fixtures of the support tests: the service running in-process on the real broker and
database, an event capture, and a programme with partners and an agreement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from zroute_support.bootstrap import definition
from zroute_support.settings import Settings

from tests.helpers import capture
from tests.support.scenario import Scenario


@pytest.fixture
async def support(services):
    settings = services.settings(
        Settings,
        referral_answer_within=timedelta(days=3),
        referral_escalation_repeat=timedelta(days=2),
        referral_max_escalations=2,
    )
    return await services.start(definition(settings), settings)


@pytest.fixture
async def seen(support, amqp_connection):
    return await capture(amqp_connection, support.topology.exchange)


@pytest.fixture
async def scenario(support, seen, amqp_connection):
    scenario = Scenario(support, seen, amqp_connection)
    yield scenario
    await scenario.close()
