"""The intake service started in-process on the real broker and database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings

from tests.intake.builders import auth

RETENTION_DAYS = 30


@pytest.fixture
async def intake(services):
    """A running intake service (simulated clock, 30 days retention)."""
    settings = services.settings(Settings, intake_retention_days=RETENTION_DAYS)
    return await services.start(definition(settings), settings)


@pytest.fixture
async def client(intake) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the service, as a caseworker."""
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", headers=auth(), timeout=10
    ) as http:
        yield http
