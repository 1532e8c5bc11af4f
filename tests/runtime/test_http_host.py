"""The HTTP endpoints every service gets from the runtime, on a running service."""

from __future__ import annotations

import httpx
import pytest
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.runtime.probe import probe_definition


@pytest.fixture
async def client(services):
    runtime = await services.start(probe_definition())
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.http_port}") as client:
        yield client


def bearer(*roles: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(list(roles))}"}


async def test_the_asyncapi_document_and_schemas_are_served_to_authenticated_callers(client):
    assert (await client.get("/contract/asyncapi.json")).status_code == 401
    doc = await client.get("/contract/asyncapi.json", headers=bearer(Role.COORDINATOR))
    assert doc.status_code == 200
    assert doc.json()["asyncapi"] == "3.0.0"
    ref = doc.json()["components"]["messages"]["IntakeCompleted"]["payload"]["allOf"][1]
    schema_name = ref["properties"]["data"]["$ref"].removeprefix("./schemas/")
    schema = await client.get(f"/contract/schemas/{schema_name}", headers=bearer(Role.COORDINATOR))
    assert schema.status_code == 200
    assert schema.json()["$id"].endswith(schema_name)
    for bad in ("nope.json", "..%2F..%2Fpyproject.toml", "cloudevent.txt"):
        response = await client.get(f"/contract/schemas/{bad}", headers=bearer(Role.COORDINATOR))
        assert response.status_code == 404, bad


async def test_only_an_operator_moves_the_simulated_clock_and_it_only_moves_forward(client):
    assert (await client.get("/admin/clock", headers=bearer(Role.CASEWORKER))).status_code == 403
    before = (await client.get("/admin/clock", headers=bearer(Role.OPERATOR))).json()
    assert before["simulated"] is True
    moved = await client.post(
        "/admin/clock/advance", json={"seconds": 86400}, headers=bearer(Role.OPERATOR)
    )
    assert moved.status_code == 200
    assert moved.json()["now"] > before["now"]
    backwards = await client.post(
        "/admin/clock/advance", json={"seconds": -5}, headers=bearer(Role.OPERATOR)
    )
    assert backwards.status_code == 422


async def test_the_server_closes_an_idle_connection_after_the_configured_keep_alive(services):
    """ZROUTE_HTTP_KEEP_ALIVE_S reaches the server: with 0.3 s, an idle keep-alive
    connection is closed by the server (end of stream); the default (75 s) outlives the
    5 s after which httpx drops its own idle connections, so the two never race."""
    import asyncio

    from zroute_runtime.settings import ServiceSettings

    assert (
        ServiceSettings.model_fields["http_keep_alive_s"].default > httpx.Limits().keepalive_expiry
    )
    runtime = await services.start(probe_definition(), services.settings(http_keep_alive_s=0.3))
    reader, writer = await asyncio.open_connection("127.0.0.1", runtime.http_port)
    try:
        writer.write(b"GET /health HTTP/1.1\r\nHost: probe\r\nConnection: keep-alive\r\n\r\n")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 10)
        assert status.startswith(b"HTTP/1.1 200")
        # Read the rest of the answer, then wait for the server to close the idle
        # connection: well before uvicorn's own default of 5 s, so it is the setting at work.
        rest = await asyncio.wait_for(reader.read(), 3)  # returns at end of stream only
        assert b"\r\n\r\n" in rest and reader.at_eof()
    finally:
        writer.close()
