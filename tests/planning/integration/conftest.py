"""The planning service in-process against the real broker and database, and helpers to
feed it the events it consumes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aio_pika
import httpx
import pytest
from zroute_contract.envelope import build_event
from zroute_planning.bootstrap import definition
from zroute_planning.domain.rules import GroupRules, PlanningRules
from zroute_planning.settings import Settings
from zroute_runtime.auth import Role

from tests.helpers import Capture, capture, token, wait_for
from tests.planning.events import (  # noqa: F401  (re-exported for the tests)
    AVAILABILITY,
    INTAKE,
    PROGRAMME,
    SUPPORT,
    TODAY,
    arranged,
    intake_completed,
    lapsed,
    next_sequence,
    pip_established,
)


@dataclass
class Planning:
    runtime: Any
    seen: Capture
    http: httpx.AsyncClient
    connection: aio_pika.abc.AbstractRobustConnection

    async def publish(self, payload, *, source: str = INTAKE) -> str:
        envelope = build_event(
            payload,
            source=source,
            sequence=next_sequence(),
            correlation_id="c-planning-test",
            subject=getattr(payload, "participant_ref", None),
        )
        channel = await self.connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(self.runtime.topology.exchange)
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), message_id=envelope.id),
            routing_key=payload.spec.routing_key,
        )
        await channel.close()
        return envelope.id

    async def handled(self, event_id: str) -> None:
        async def done():
            return await self.runtime.pool.fetchval(
                "SELECT 1 FROM zr_inbox WHERE event_id = $1::uuid", event_id
            )

        await wait_for(done, what=f"event {event_id} handled")

    async def feed(self, payload, *, source: str = INTAKE) -> None:
        await self.handled(await self.publish(payload, source=source))

    async def activate(self, intake) -> None:
        """Complete the intake, then establish its PIP: the PIP activates a Z-route plan."""
        await self.feed(intake)
        pip = pip_established(intake.participant_ref, route=intake.route)
        await self.feed(pip.model_copy(update={"programme_id": intake.programme_id}))

    def events(self, name: str, ref: str | None = None) -> list[dict]:
        found = self.seen.of_type(f"nl.zroute.planning.{name}.v1")
        return [e for e in found if ref is None or e.get("subject") == ref]

    async def barrier(self) -> None:
        """Return once every event planning committed so far has been captured.

        The relay publishes in commit order, so once the plan-activated of a new
        participant fed now is seen, everything committed before it was seen too. A test
        that asserts an event's absence waits here first."""
        probe = intake_completed()
        await self.activate(probe)
        await self.expect("plan-activated", probe.participant_ref)

    async def expect(self, name: str, ref: str | None = None, count: int = 1) -> list[dict]:
        return await wait_for(
            lambda: (found := self.events(name, ref)) and len(found) >= count and found,
            what=f"{count} {name} for {ref}",
        )


TEST_RULES = PlanningRules(groups=GroupRules(solver_seconds=1.0))


@pytest.fixture
async def planning(services, amqp_connection) -> Planning:
    settings = services.settings(Settings, planning_rules=TEST_RULES, solver_workers=1)
    runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange, "planning.#")
    client = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}",
        headers={"Authorization": f"Bearer {token([Role.COORDINATOR])}"},
    )
    yield Planning(runtime, seen, client, amqp_connection)
    await client.aclose()
