"""Fixtures of the conformance tests."""

from __future__ import annotations

import pytest

from tests.conformance.wrong_planning import WrongPlanning


@pytest.fixture
async def wrong_planning(amqp_connection, name_prefix, janitor):
    """A wrong replacement of planning consuming under the test's prefix."""
    service = WrongPlanning(amqp_connection, name_prefix)
    await service.start(janitor)
    return service
