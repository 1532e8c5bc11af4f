"""The screens with 10,000 participants in the databases, against a bare Jinja2 page.

    .venv/bin/python benchmarks/screens.py [--participants 10000] [--requests 200]

Three pages, each on its own service (``ServiceRuntime`` with the real definition, its
screens and migrations, the local PostgreSQL and RabbitMQ), with ``--participants`` rows
written straight into the service's tables first:

* intake's caseload (``/ui/caseload``), as a caseworker of the municipality;
* planning's plans (``/ui/plans``), as a coordinator of the municipality;
* planning's week calendar (``/ui/calendar?programme=...&week=...``), as a coordinator:
  the participants in groups of 12 that meet twice a week (the week grid of every group)
  and one individual session each in the week, so the week holds participants + 2 x
  groups dated sessions, of which the page shows the first 25 and the count;
* support's referral board (``/ui/referral-board``), as a coordinator (one referral
  per participant).

Each against a baseline in the same process and on the same database: a bare FastAPI
route that runs one query for the same rows (the same first page of 25 and the total)
and renders them with Jinja2 into a plain table, no login, no layout. The session
cookie of the real pages is signed here with the service's own session key (no login
round trip: the login is not what is measured).

Requests go one at a time from an httpx client on loopback, after a warm-up; printed:
p50 and p95 of the time to the whole answer, and the ratio of each to the baseline's.
The ratios are printed, never asserted. JSON in benchmarks/results/screens.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from _common import AMQP_URL, PG_ADMIN, console, prefix, table, write_results
from zroute_runtime.auth import Principal, Role
from zroute_runtime.logging import configure_logging
from zroute_runtime.service import ServiceRuntime
from zroute_ui.session import SessionStore, new_session

SIGNING_KEY = "test-signing-key-not-for-production-0123456789"
MUNICIPALITY = "GM0363"
PROGRAMME = "programme-bench"
PER_PAGE = 25

BARE = Environment(autoescape=True).from_string(
    '<!doctype html><html lang="nl"><head><title>{{ title }}</title></head><body>'
    "<h1>{{ title }}</h1><p>{{ total }}</p><table><thead><tr>{% for c in columns %}"
    "<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>{% for r in rows %}<tr>"
    "{% for c in columns %}<td>{{ r[c] }}</td>{% endfor %}</tr>{% endfor %}</tbody>"
    "</table></body></html>"
)

# Every seed statement takes ($1 participants, $2 programme, $3 municipality).
SEED_INTAKE = """
INSERT INTO intake_participants (ref, programme_id, municipality, status, version,
    preferred_language, interpreter_needed, registered_on, bsn_hash, bsn_encrypted,
    personal_encrypted, state, created_at, updated_at)
SELECT 'zr-' || md5(i::text), $2, $3, 'registered', 1, 'ar', i % 3 = 0, date '2027-01-04',
       sha256(i::text::bytea), '\\x00'::bytea, '\\x00'::bytea, '{}'::jsonb,
       now() - i * interval '1 minute', now()
FROM generate_series(1, $1::int) i
"""
SEED_PLANNING = (
    """
INSERT INTO planning_plans (plan_id, participant_ref, programme_id, status, level_band,
    availability, modules, needed, arranged, activated_on, term_end, start_on, at_risk)
SELECT md5(i::text)::uuid, 'zr-' || md5(i::text), $2, 'active', 'a1', '[]', '[]', '[]', '[]',
       date '2027-01-04', date '2030-01-04', date '2027-01-18', i % 10 = 0
FROM generate_series(1, $1::int) i
WHERE $3::text IS NOT NULL
""",
    """
INSERT INTO planning_schedules (plan_id, phase, valid_from, sessions)
SELECT md5(i::text)::uuid, 1 + i % 4, date '2027-01-18', '[]' FROM generate_series(1, $1::int) i
WHERE $2::text IS NOT NULL AND $3::text IS NOT NULL
""",
    """
INSERT INTO planning_participants (participant_ref, programme_id, municipality, registered_on)
SELECT 'zr-' || md5(i::text), $2, $3, date '2027-01-04' FROM generate_series(1, $1::int) i
""",
)
BENCH_WEEK = "2027-01-18"
# Groups of 12 meeting Monday and Wednesday morning, their members, and the week's dated
# sessions: each group's two and one individual session per participant.
SEED_CALENDAR = (
    *SEED_PLANNING,
    """
INSERT INTO planning_groups (group_id, programme_id, partner_id, level_band, slots, sessions,
    teacher, starts_on)
SELECT md5('group' || g)::uuid, $2, 'school-bench', 'a1',
       '[["monday", "morning"], ["wednesday", "morning"]]'::jsonb,
       '[{"weekday": "monday", "day_part": "morning", "starts_at": "09:00:00", "minutes": 150},
         {"weekday": "wednesday", "day_part": "morning", "starts_at": "09:00:00", "minutes": 150}]'
         ::jsonb,
       'teacher-' || g % 40, date '2027-01-18'
FROM generate_series(1, ceil($1::int / 12.0)::int) g WHERE $3::text IS NOT NULL
""",
    """
INSERT INTO planning_group_members (group_id, participant_ref, joined_on)
SELECT md5('group' || (1 + (i - 1) / 12))::uuid, 'zr-' || md5(i::text), date '2027-01-18'
FROM generate_series(1, $1::int) i WHERE $2::text IS NOT NULL AND $3::text IS NOT NULL
""",
    """
INSERT INTO planning_calendar_sessions (session_id, programme_id, group_id, participant_ref,
    session_on, weekday, day_part, starts_at, minutes, teaching_form, kind, staff, room_id,
    status)
SELECT md5('gs' || g || d)::uuid, $2, md5('group' || g)::uuid, NULL,
       date '2027-01-18' + d, (ARRAY['monday', 'wednesday'])[1 + d / 2], 'morning', time '09:00',
       150, 'classroom', 'language', 'teacher-' || g % 40, 'room-' || g % 30, 'planned'
FROM generate_series(1, ceil($1::int / 12.0)::int) g, (VALUES (0), (2)) AS days(d)
WHERE $3::text IS NOT NULL
UNION ALL
SELECT md5('is' || i)::uuid, $2, NULL, 'zr-' || md5(i::text), date '2027-01-18' + i % 5,
       (ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday'])[1 + i % 5],
       'afternoon', time '13:30', 120, 'workplace_learning', 'participation', NULL, NULL, 'planned'
FROM generate_series(1, $1::int) i
""",
)
SEED_SUPPORT = (
    """
INSERT INTO support_partners (partner_id, organisation, municipalities, capabilities, updated_at)
SELECT 'care-bench', 'Zorg', ARRAY[$3::text], ARRAY['mental_health_care'], now()
WHERE $1::int > 0 AND $2::text IS NOT NULL
""",
    """
INSERT INTO support_participants (participant_ref, programme_id, municipality, registered_on)
SELECT 'zr-' || md5(i::text), $2, $3, date '2027-01-04' FROM generate_series(1, $1::int) i
""",
    """
INSERT INTO support_referrals (referral_id, participant_ref, programme_id, partner_id, category,
    severity, urgency, consent_id, referrer, answer_due_by, status, created_at, updated_at)
SELECT md5(i::text)::uuid, 'zr-' || md5(i::text), $2, 'care-bench', 'mental_health_care',
       'moderate', (ARRAY['routine', 'urgent', 'asap', 'stat'])[1 + i % 4], md5(i::text)::uuid,
       jsonb_build_object('staff_ref', 'cw-bench', 'role', 'caseworker', 'municipality', $3::text),
       now() + interval '5 days', (ARRAY['requested', 'accepted', 'completed'])[1 + i % 3],
       now() - i * interval '1 minute', now()
FROM generate_series(1, $1::int) i
""",
)

# The baseline's one query per page: the first page of the same rows, with the total.
BASE_INTAKE = """
SELECT ref, status, registered_on, interpreter_needed, intake_starts_at, count(*) OVER () AS total
FROM intake_participants WHERE municipality = $1 ORDER BY created_at DESC, ref LIMIT 25
"""
BASE_PLANNING = """
SELECT p.participant_ref, p.programme_id, coalesce('phase-' || s.phase, p.status) AS stage,
       p.level_band, p.start_on, p.term_end, p.at_risk, count(*) OVER () AS total
FROM planning_plans p LEFT JOIN planning_schedules s USING (plan_id)
JOIN planning_participants pp USING (participant_ref) WHERE pp.municipality = $1
ORDER BY p.at_risk DESC, p.start_on, p.participant_ref LIMIT 25
"""
BASE_CALENDAR = """
SELECT session_on, starts_at, minutes, teaching_form, staff, room_id, status,
       count(*) OVER () AS total
FROM planning_calendar_sessions WHERE programme_id = 'programme-bench'
  AND session_on BETWEEN date '2027-01-18' AND date '2027-01-24'
  AND programme_id IN (SELECT programme_id FROM planning_participants WHERE municipality = $1)
ORDER BY session_on, starts_at, session_id LIMIT 25
"""
BASE_SUPPORT = """
SELECT participant_ref, category, urgency, status, partner_id, answer_due_by,
       count(*) OVER () AS total
FROM support_referrals WHERE participant_ref IN
    (SELECT participant_ref FROM support_participants WHERE municipality = $1)
ORDER BY array_position(ARRAY['stat', 'asap', 'urgent', 'routine'], urgency), answer_due_by
LIMIT 25
"""


@dataclass(frozen=True)
class Screen:
    service: str
    label: str
    path: str
    role: Role
    seed: tuple[str, ...]
    baseline: str


SCREENS = (
    Screen("intake", "intake caseload", "/ui/caseload", Role.CASEWORKER, (SEED_INTAKE,), BASE_INTAKE),
    Screen("planning", "planning plans", "/ui/plans", Role.COORDINATOR, SEED_PLANNING, BASE_PLANNING),
    Screen("planning", "planning calendar", f"/ui/calendar?programme={PROGRAMME}&week={BENCH_WEEK}", Role.COORDINATOR, SEED_CALENDAR, BASE_CALENDAR),
    Screen("support", "support referral board", "/ui/referral-board", Role.COORDINATOR, SEED_SUPPORT, BASE_SUPPORT),
)  # fmt: skip


def definition_of(service: str, settings_values: dict[str, Any]) -> tuple[Any, Any]:
    """The service's definition and settings (imported here: one service at a time)."""
    module = __import__(f"zroute_{service}.bootstrap", fromlist=["definition"])
    settings_module = __import__(f"zroute_{service}.settings", fromlist=["Settings"])
    settings = settings_module.Settings(**settings_values)
    return module.definition(settings), settings


def bare_app(pool: asyncpg.Pool, query: str) -> FastAPI:
    app = FastAPI(title="bare page")

    @app.get("/page")
    async def page() -> HTMLResponse:
        rows = [dict(r) for r in await pool.fetch(query, MUNICIPALITY)]
        total = rows[0]["total"] if rows else 0
        columns = [c for c in rows[0] if c != "total"] if rows else []
        return HTMLResponse(BARE.render(title="page", total=total, columns=columns, rows=rows))

    return app


async def serve(app: FastAPI) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    """Serve ``app`` the way ServiceRuntime serves a service's app."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off"
        )
    )
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task, server.servers[0].sockets[0].getsockname()[1]


async def timed(get: Callable[[], Awaitable[httpx.Response]], requests: int, warmup: int) -> dict:
    """p50/p95 in ms of ``requests`` answers one at a time, after ``warmup`` unmeasured."""
    for _ in range(warmup):
        (await get()).raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = await get()
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    cuts = statistics.quantiles(times, n=100)
    return {"p50_ms": statistics.median(times), "p95_ms": cuts[94], "requests": requests}


async def measure(screen: Screen, participants: int, requests: int, warmup: int) -> dict:
    db_template = f"zrbench_{uuid.uuid4().hex[:8]}_{{service}}"
    values = {
        "database_url": urlunsplit(urlsplit(PG_ADMIN)._replace(path=f"/{db_template}")),
        "amqp_url": AMQP_URL,
        "name_prefix": prefix(),
        "clock": "system",
        "http_host": "127.0.0.1",
        "http_port": 0,
        "auth_signing_key": SIGNING_KEY,
        "log_json": False,
        "ui_session_secret": secrets.token_urlsafe(32),
        "ui_cookie_secure": False,
    }
    definition, settings = definition_of(screen.service, values)
    runtime = ServiceRuntime(definition, settings)
    bare = None
    try:
        with console.status(f"{screen.service}: starting, writing {participants:,} rows"):
            await runtime.start(consume=False, http=True)
            for statement in screen.seed:
                await runtime.pool.execute(statement, participants, PROGRAMME, MUNICIPALITY)
            await runtime.pool.execute("ANALYZE")
            bare_pool = await asyncpg.create_pool(runtime.database_url, min_size=1, max_size=4)
            bare = (bare_pool, *await serve(bare_app(bare_pool, screen.baseline)))
        principal = Principal(
            f"bench-{screen.role.value}", frozenset({screen.role}), municipality=MUNICIPALITY
        )
        store = SessionStore(screen.service, settings)
        cookies = {store.cookie: store._sessions.dumps(new_session(principal).to_data())}
        base_url = f"http://127.0.0.1:{runtime.http_port}"
        async with httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=60) as client:
            first = await client.get(screen.path)
            assert first.status_code == 200 and "<table" in first.text, first.status_code
            with console.status(f"{screen.service}: {requests} requests of {screen.path}"):
                page = await timed(lambda: client.get(screen.path), requests, warmup)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bare[3]}", timeout=60) as plain:
            with console.status(f"{screen.service}: {requests} requests of the bare page"):
                baseline = await timed(lambda: plain.get("/page"), requests, warmup)
        return {"page": page, "baseline": baseline}
    finally:
        if bare is not None:
            bare[1].should_exit = True
            await bare[2]
            await bare[0].close()
        await runtime.stop()
        await _drop(runtime)


async def _drop(runtime: ServiceRuntime) -> None:
    """The service's broker objects and its database."""
    import aio_pika

    connection = await aio_pika.connect_robust(AMQP_URL)
    channel = await connection.channel()
    topo = runtime.topology
    for name in [
        topo.queue,
        topo.dead_letter_queue,
        *(topo.retry_queue(n) for n in range(1, topo.max_retries + 1)),
    ]:
        await channel.queue_delete(name)
    await channel.exchange_delete(topo.exchange)
    await channel.exchange_delete(topo.exchange + ".by-municipality")
    await channel.exchange_delete(topo.dead_letter_exchange)
    await connection.close()
    admin = await asyncpg.connect(PG_ADMIN)
    name = runtime.database_url.rsplit("/", 1)[1]
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def run(participants: int, requests: int, warmup: int, only: str | None = None) -> None:
    load_before = os.getloadavg()  # the machine is shared: say how busy it was
    console.print(f"load average before: {load_before[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    chosen = [s for s in SCREENS if only is None or only in s.label]
    results = {s.label: await measure(s, participants, requests, warmup) for s in chosen}
    rows = []
    for label, r in results.items():
        page, base = r["page"], r["baseline"]
        r["ratio"] = {
            "p50": page["p50_ms"] / base["p50_ms"],
            "p95": page["p95_ms"] / base["p95_ms"],
        }
        rows.append(
            (
                label,
                page["p50_ms"],
                page["p95_ms"],
                base["p50_ms"],
                base["p95_ms"],
                r["ratio"]["p95"],
            )
        )
    # Whole, not wrapped at the terminal's 80 columns ("support referral board" broke in two).
    Console(width=max(console.width, 120)).print(
        table(
            f"Screens with {participants:,} participants, {requests} requests each, one at a time",
            ["page", "p50 ms", "p95 ms", "bare p50 ms", "bare p95 ms", "p95 x bare"],
            rows,
        )
    )
    path = write_results(
        "screens",
        {
            "participants": participants,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "results": results,
        },
    )
    console.print(f"results: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", help="only the pages whose label contains this (calendar)")
    args = parser.parse_args()
    with open(os.devnull, "w") as devnull:
        configure_logging("screens", "INFO", json=True, stream=devnull)
        asyncio.run(run(args.participants, args.requests, args.warmup, args.only))


if __name__ == "__main__":
    main()
