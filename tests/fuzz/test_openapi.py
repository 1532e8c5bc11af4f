"""Schemathesis against every service's OpenAPI document (issue 8, part 3a).

Each service runs in-process on the real broker and database, is seeded with a little
state so generated requests reach its rules, and is then fuzzed operation by operation
(see ``openapi_fuzz.py``): no 5xx, and a refused request leaves no trace in the
database. After the run, each service's own "nothing half-stored" invariant is checked:
every aggregate a request created has its creation event in the outbox, written in the
same transaction.

A failure lists its requests and answers, the accepted changes before it and the run's
seed; ``ZROUTE_FUZZ_SEED=<seed>`` generates the same requests again.
"""

from __future__ import annotations

import os

import httpx
from zroute_runtime.auth import Role

from tests.fuzz.bus import feed
from tests.fuzz.openapi_fuzz import FuzzReport, fuzz_openapi
from tests.helpers import capture, token

# Per operation and generation mode; the four services take some two minutes together on a
# busy two-core machine. A longer fuzz: ZROUTE_FUZZ_EXAMPLES=<n> (README, the long tiers).
EXAMPLES = int(os.environ.get("ZROUTE_FUZZ_EXAMPLES", "8"))

EVENT_COUNT = "SELECT count(*) FROM zr_outbox WHERE event_type = $1"


def assert_clean(report: FuzzReport, service: str) -> None:
    assert report.operations, f"{service}: no operations found in /openapi.json"
    assert report.requests > 0, f"{service}: nothing was sent"
    assert not report.findings, (
        f"{service}: " + "\n".join(report.findings[:30]) + "\n" + report.explain()
    )
    print(f"{service}: {report.requests} requests over {len(report.operations)} operations, "
          f"statuses {dict(sorted(report.by_status.items()))}, "
          f"known bugs hit {len(report.excused)}, seed {report.seed}")  # fmt: skip


async def creation_events_match(runtime, report: FuzzReport, table: str, event_type: str) -> None:
    rows = await runtime.pool.fetchval(f"SELECT count(*) FROM {table}")
    events = await runtime.pool.fetchval(EVENT_COUNT, event_type)
    assert rows == events, (
        f"{table}: {rows} rows but {events} {event_type} events; all events "
        f"{await event_counts(runtime)}\n{report.explain()}"
    )


async def event_counts(runtime) -> dict[str, int]:
    """The outbox by event type: a deletion's or a merge's event explains missing rows."""
    rows = await runtime.pool.fetch(
        "SELECT event_type, count(*) AS n FROM zr_outbox GROUP BY event_type ORDER BY event_type"
    )
    return {r["event_type"].removeprefix("nl.zroute."): r["n"] for r in rows}


async def test_intake_api(services):
    from zroute_intake.bootstrap import definition
    from zroute_intake.settings import Settings

    from tests.intake import builders
    from tests.intake.integration.flow import complete, register

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}", headers=builders.auth(), timeout=10
    ) as client:
        fresh = (await register(client))["participant_ref"]
        done = (await register(client))["participant_ref"]
        await complete(client, runtime, done)
        response = await client.post(
            f"/participants/{fresh}/consents",
            json=builders.consent(given_on=str(runtime.clock.now().date())),
        )
        assert response.status_code == 201, response.text
        consent_id = response.json()["consents"][0]["consent_id"]

    report = await fuzz_openapi(
        runtime,
        known={"participant_ref": [fresh, done], "consent_id": [consent_id]},
        examples=EXAMPLES,
    )
    assert_clean(report, "intake")
    await creation_events_match(
        runtime, report, "intake_participants", "nl.zroute.intake.participant-registered.v1"
    )


PLACEMENTS = "POST /participants/{participant_ref}/placements"


def duplicate_support_needs(case) -> bool:
    """The known planning bug (test_planning_refuses_duplicate_support_needs)."""
    needs = case.body.get("support_needs") if isinstance(case.body, dict) else None
    return isinstance(needs, list) and len(needs) != len({str(n) for n in needs})


async def planning(services, amqp_connection):
    """The planning service with four activated plans; returns it and their refs."""
    from zroute_planning.bootstrap import definition
    from zroute_planning.domain.rules import GroupRules, PlanningRules
    from zroute_planning.settings import Settings

    from tests.planning.events import intake_completed

    rules = PlanningRules(groups=GroupRules(solver_seconds=1.0))
    settings = services.settings(Settings, planning_rules=rules, solver_workers=1)
    runtime = await services.start(definition(settings), settings)
    refs = []
    for _ in range(4):
        event = intake_completed()
        await feed(runtime, amqp_connection, event)
        refs.append(event.participant_ref)
    return runtime, refs


async def test_planning_api(services, amqp_connection):
    runtime, refs = await planning(services, amqp_connection)
    report = await fuzz_openapi(
        runtime,
        known={"participant_ref": refs, "programme_id": ["programme-amsterdam"]},
        examples=EXAMPLES,
    )
    assert_clean(report, "planning")
    await creation_events_match(
        runtime, report, "planning_groups", "nl.zroute.planning.group-formed.v1"
    )
    await creation_events_match(
        runtime, report, "planning_plans", "nl.zroute.planning.plan-activated.v1"
    )


async def test_support_api(services, amqp_connection):
    from zroute_support.bootstrap import definition
    from zroute_support.settings import Settings

    from tests.support.scenario import PARTNERS, PROGRAMME, Scenario

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange)
    scenario = Scenario(runtime, seen, amqp_connection)
    try:
        await scenario.setup()
        ref = await scenario.participant()
    finally:
        await scenario.close()

    report = await fuzz_openapi(
        runtime,
        known={
            "partner_id": list(PARTNERS)[:3],
            "programme_id": [PROGRAMME],
            "version": ["1"],
            "participant_ref": [ref],
        },
        examples=EXAMPLES,
    )
    assert_clean(report, "support")
    await creation_events_match(
        runtime, report, "support_partners", "nl.zroute.support.partner-registered.v1"
    )
    await creation_events_match(
        runtime, report, "support_referrals", "nl.zroute.support.referral-requested.v1"
    )


async def test_notifications_api(services, amqp_connection):
    from tests.notifications.world import start

    runtime = await start(services, smtp_port=1)  # nothing is delivered during the fuzz
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}",
        headers={"Authorization": f"Bearer {token([Role.COORDINATOR])}"},
    ) as client:
        response = await client.put(
            "/directory/staff/cw-anna", json={"email": "anna@gemeente.example", "language": "nl"}
        )
        assert response.status_code in (200, 201), response.text

    report = await fuzz_openapi(
        runtime,
        known={"kind": ["staff", "partner"], "ref": ["cw-anna"], "programme_id": ["amsterdam-z"]},
        examples=EXAMPLES,
    )
    assert_clean(report, "notifications")
    # every message that reached an end has its event, committed with the outcome
    ended = await runtime.pool.fetchval(
        "SELECT count(*) FROM nt_notifications WHERE status IN ('sent', 'failed')"
    )
    events = await runtime.pool.fetchval(
        "SELECT count(*) FROM zr_outbox WHERE event_type LIKE 'nl.zroute.notifications.%'"
    )
    assert ended == events, f"{ended} messages ended but {events} notification events"


async def test_planning_refuses_duplicate_support_needs(services, amqp_connection):
    """Found by the fuzz above. The request model of ``POST .../placements`` takes a list
    with repeats; the event's ``support_needs`` is a ``UniqueTuple`` and raises a
    pydantic ValidationError in ``service_layer/placements.py`` (a 500, nothing stored).
    The request model should refuse repeats (422) or drop them before the event."""
    runtime, refs = await planning(services, amqp_connection)
    body = {
        "activity": "job_orientation",
        "needed_by": "2027-06-01",
        "hours_per_week": 16,
        "support_needs": ["language_support", "language_support"],
    }
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}",
        headers={"Authorization": f"Bearer {token([Role.COORDINATOR])}"},
    ) as client:
        response = await client.post(f"/participants/{refs[0]}/placements", json=body)
    assert response.status_code < 500, response.text
