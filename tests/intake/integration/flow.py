"""Steps of the intake journey over HTTP, shared by the integration tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from tests.intake import builders


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


async def register(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    return ok(await client.post("/participants", json=builders.registration(**changes)), 201)


async def schedule(client: httpx.AsyncClient, ref: str, **changes: Any) -> dict[str, Any]:
    return ok(await client.put(f"/participants/{ref}/intake", json=builders.schedule(**changes)))


async def hold_intake(client: httpx.AsyncClient, runtime, ref: str) -> None:
    """Schedule the intake a week from the service's now and let the week pass."""
    starts_at = runtime.clock.now() + timedelta(days=7)
    await schedule(client, ref, starts_at=starts_at.isoformat())
    await runtime.advance_clock(timedelta(days=8))


async def complete(client, runtime, ref: str, **changes: Any) -> dict[str, Any]:
    """Hold the intake and record its outcome."""
    await hold_intake(client, runtime, ref)
    return ok(
        await client.post(f"/participants/{ref}/intake/outcome", json=builders.outcome(**changes))
    )
