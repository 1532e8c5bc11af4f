"""The definition's ``on_start`` step (issue 17: support hands out waiting work at every
start, so a setting changed with a restart takes effect): it runs once, in one unit of
work committed before events are consumed, and a failing step does not keep the service
down (it only catches up with what a later event would also trigger)."""

from __future__ import annotations

import dataclasses

import httpx

from tests.runtime.probe import probe_definition


async def test_the_start_step_runs_once_and_commits_what_it_did(services):
    ran: list[str] = []

    async def step(uow) -> None:
        ran.append(str(await uow.conn.fetchval("SELECT current_database()")))
        await uow.conn.execute("CREATE TABLE started_once (id int)")

    definition = dataclasses.replace(probe_definition(), on_start=step)
    runtime = await services.start(definition)
    assert len(ran) == 1
    assert await runtime.pool.fetchval("SELECT to_regclass('started_once') IS NOT NULL")


async def test_a_failing_start_step_does_not_keep_the_service_down(services):
    async def step(uow) -> None:
        raise RuntimeError("the waiting list could not be served")

    runtime = await services.start(dataclasses.replace(probe_definition(), on_start=step))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.http_port}") as http:
        assert (await http.get("/health")).status_code == 200
