"""Fault injection: a stream of participants through the four real service processes,
faults injected while it flows, then a reconciliation of every database against the
commands sent.

Shared by the test suite (``tests/faults/test_faults.py``, small) and the script
(``benchmarks/fault_injection.py``, larger, optionally on a three-node RabbitMQ
cluster). See ``docs/fault-injection.md``.

The pieces:

* :class:`AmqpProxy`: each service reaches RabbitMQ through its own TCP forwarder in
  this process. It can hold the bytes of one direction (to kill a relay between commit
  and publish, or between publish and confirm), and it fails over to the next node of a
  cluster when one refuses connections, like a load balancer in front of a cluster.
* :class:`Services`: the four console scripts ``zroute-<svc> serve`` as real processes,
  started, SIGKILLed and restarted on the same HTTP port.
* :class:`Driver`: registers, schedules and completes intakes over intake's HTTP API with
  a caseworker token. A command whose answer was lost to a fault is retried with
  ``If-Match`` (or, for a registration, the same BSN), so it is never applied twice.
* :class:`Faults`: the faults, each healed before the next.
* :func:`reconcile`: every event each producer committed against every consumer's
  inbox and dead-letter queue, plus the domain rows each command must have made.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import shlex
import signal
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
import httpx
from zroute_runtime.privacy import random_valid_bsn

from tests.helpers import free_port, wait_for
from tests.intake import builders as intake_builders

SERVICES = ("intake", "planning", "support", "notifications")
PROGRAMME = "amsterdam-z"
MUNICIPALITY = "GM0363"
CARE_COORDINATOR = "coordinator"
SIGNING_KEY = "fault-injection-signing-key-0123456789-0123456789"
# Long enough that a handler failing through a PostgreSQL restart (a few seconds) is
# still retried, not dead-lettered: 1 + 4 + 15 seconds.
RETRY_DELAYS_MS = (1000, 4000, 15000)
DUPLICATE_LOG = "event_duplicate_ignored"
AWAITING_LOG = "event_awaiting_predecessor"

# Partners and the task division of the programme (the support tests' programme).
PARTNERS: dict[str, tuple[str, ...]] = {
    "coordinator": ("interpreting",),
    "school": ("language_teaching", "knm"),
    "work-a": ("participation_workplaces",),
    "coaches": ("job_coaching",),
    "care-a": ("mental_health_care", "physical_care", "debt_finance"),
    "kids": ("childcare", "transport"),
}
RESPONSIBLE = {
    "intake": "coordinator",
    "language_teaching": "school",
    "knm": "school",
    "map": "work-a",
    "participation_placement": "work-a",
    "job_coaching": "coaches",
    "care_referral_physical": "care-a",
    "care_referral_mental_health": "care-a",
    "care_referral_debt_finance": "care-a",
    "childcare": "kids",
    "transport": "kids",
    "interpreter": "coordinator",
    "progress_consultation": "coordinator",
    "follow_up": "coordinator",
}

ALL_FAULTS = (
    "kill-consumer",
    "kill-relay-before-publish",
    "kill-relay-before-confirm",
    "cut-consumer-connection",
    "restart-broker",
    "restart-database",
    "kill-notifications",
    "kill-support",
    "stop-cluster-node",
)
SUITE_FAULTS = (
    "kill-consumer",
    "kill-relay-before-publish",
    "cut-consumer-connection",
    "restart-broker",
    "restart-database",
)
POISON_KEYS = {
    # A routing key each, and the services whose queues it reaches.
    "intake.participant.registered": ("planning", "support", "notifications"),
    "planning.route.completed": ("intake", "support", "notifications"),
}


def log(message: str) -> None:
    """Progress on stderr (pytest shows it with -s; the script always)."""
    print(f"[faults {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


async def sh(command: str, *, timeout: float = 60) -> str:
    """Run a shell command; raise with its output when it fails."""
    proc = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"`{command}` exited {proc.returncode}: {text.strip()[-800:]}")
    return text


# -- the broker through a forwarder -------------------------------------------------------


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    upstream_port: int
    node: int
    closed: bool = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            for writer in (self.client, self.upstream):
                with contextlib.suppress(Exception):
                    writer.transport.abort()


class AmqpProxy:
    """A TCP forwarder between one service and RabbitMQ.

    ``hold("up")`` keeps the bytes the service sends (its publishes never reach the
    broker); ``hold("down")`` keeps what the broker sends (publishes arrive, their
    confirms do not). ``cut()`` drops every connection and what was held. New
    connections go to the first node in ``nodes`` that accepts one, so a stopped
    cluster node is left out until it is back.
    """

    def __init__(self, name: str, nodes: Sequence[tuple[str, int]]) -> None:
        self.name = name
        self.nodes = list(nodes)
        self.preferred = 0
        self.gates = {"up": asyncio.Event(), "down": asyncio.Event()}
        for gate in self.gates.values():
            gate.set()
        self.links: set[_Link] = set()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    def url(self, template: str) -> str:
        parts = urlsplit(template)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        return urlunsplit(
            parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host)
        )

    def hold(self, direction: str) -> None:
        self.gates[direction].clear()

    def release(self) -> None:
        for gate in self.gates.values():
            gate.set()

    def cut(self) -> None:
        for link in list(self.links):
            link.close()

    def upstream_ports(self) -> set[int]:
        return {link.upstream_port for link in self.links if not link.closed}

    async def close(self) -> None:
        self.release()
        self.cut()
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 5)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        order = self.nodes[self.preferred :] + self.nodes[: self.preferred]
        for host, port in order:
            try:
                up_reader, up_writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), 3
                )
            except (OSError, TimeoutError):
                continue
            break
        else:
            writer.transport.abort()
            return
        link = _Link(
            writer,
            up_writer,
            up_writer.get_extra_info("sockname")[1],
            self.nodes.index((host, port)),
        )
        self.links.add(link)
        try:
            await asyncio.gather(
                self._pump(reader, up_writer, self.gates["up"], link),
                self._pump(up_reader, writer, self.gates["down"], link),
                return_exceptions=True,
            )
        finally:
            link.close()
            self.links.discard(link)

    @staticmethod
    async def _pump(
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        gate: asyncio.Event,
        link: _Link,
    ) -> None:
        try:
            while not link.closed:
                data = await reader.read(65536)
                if not data:
                    break
                await gate.wait()
                if link.closed:
                    break
                writer.write(data)
                await writer.drain()
        finally:
            link.close()


# -- the four services as processes --------------------------------------------------------


@dataclass
class Settings:
    """Where the run happens and how big it is."""

    pg_admin_url: str
    amqp_url: str
    broker_nodes: list[tuple[str, int]]
    workdir: Path
    participants: int = 20
    concurrency: int = 4
    faults: Sequence[str] = SUITE_FAULTS
    poison_per_key: int = 1
    settle_timeout_s: float = 60.0
    prefix: str = field(default_factory=lambda: f"zrf-{uuid.uuid4().hex[:8]}")
    # How the run's own broker and database are restarted (``tests/faults/servers.py``
    # makes the commands): never the machine's shared servers, which other test runs and
    # a demo may be using.
    broker_stop: str | None = None
    broker_start: str | None = None
    database_restart: str | None = None
    rabbitmqctl: str = "rabbitmqctl"
    # For the cluster run: the commands that stop and start one node (set by the script).
    node_stop: str | None = None
    node_start: str | None = None
    node_label: str = "cluster node"

    @property
    def db_template(self) -> str:
        parts = urlsplit(self.pg_admin_url)
        name = f"{self.prefix.replace('-', '_')}_{{service}}"
        return urlunsplit(parts._replace(path=f"/{name}"))

    def db_url(self, service: str) -> str:
        return self.db_template.replace("{service}", service)


@dataclass
class Process:
    name: str
    port: int
    log_path: Path
    proc: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Services:
    """The four ``zroute-<svc> serve`` processes, each through its own AmqpProxy."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.proxies = {s: AmqpProxy(s, settings.broker_nodes) for s in SERVICES}
        self.logs = settings.workdir / settings.prefix
        self.processes = {s: Process(s, free_port(), self.logs / f"{s}.log") for s in SERVICES}

    async def start_all(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for proxy in self.proxies.values():
            await proxy.start()
        for name in SERVICES:
            await self.spawn(name)
        await asyncio.gather(*(self.wait_ready(name) for name in SERVICES))

    def env(self, name: str) -> dict[str, str]:
        s = self.settings
        return {
            **os.environ,
            "ZROUTE_DATABASE_URL": s.db_template,
            "ZROUTE_AMQP_URL": self.proxies[name].url(s.amqp_url),
            "ZROUTE_NAME_PREFIX": s.prefix,
            "ZROUTE_HTTP_PORT": str(self.processes[name].port),
            "ZROUTE_AUTH_SIGNING_KEY": SIGNING_KEY,
            "ZROUTE_RETRY_DELAYS_MS": json.dumps(list(RETRY_DELAYS_MS)),
            "ZROUTE_RELAY_POLL_INTERVAL_S": "0.5",
            "ZROUTE_TIMER_POLL_INTERVAL_S": "0.5",
            "ZROUTE_INTAKE_CARE_COORDINATORS": json.dumps({PROGRAMME: CARE_COORDINATOR}),
            "ZROUTE_SOLVER_WORKERS": "1",
            # No mail server: e-mail attempts fail at once and are retried later by
            # notifications' own timers; the event chain is what is checked here.
            "ZROUTE_SMTP_PORT": "9",
            "ZROUTE_LOG_JSON": "true",
            "ZROUTE_LOG_LEVEL": "INFO",
        }

    async def spawn(self, name: str) -> None:
        process = self.processes[name]
        script = Path(sys.executable).parent / f"zroute-{name}"
        with process.log_path.open("ab") as out:
            process.proc = await asyncio.create_subprocess_exec(
                str(script), "serve", env=self.env(name), stdout=out, stderr=out
            )
        process.starts += 1

    async def wait_ready(self, name: str, timeout: float = 120) -> None:
        process = self.processes[name]
        async with httpx.AsyncClient(base_url=process.base_url, timeout=2) as client:

            async def ready() -> bool:
                assert process.proc is not None
                if process.proc.returncode is not None:
                    tail = process.log_path.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"zroute-{name} exited {process.proc.returncode}:\n{tail}")
                try:
                    return (await client.get("/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await wait_for(ready, timeout=timeout, what=f"zroute-{name} ready", interval=0.2)

    async def kill(self, name: str) -> None:
        """SIGKILL: no shutdown, no flush, no ack."""
        proc = self.processes[name].proc
        assert proc is not None
        proc.send_signal(signal.SIGKILL)
        await proc.wait()

    async def restart(self, name: str) -> None:
        await self.spawn(name)
        await self.wait_ready(name)

    async def stop_all(self) -> dict[str, int | None]:
        codes: dict[str, int | None] = {}
        for process in self.processes.values():
            if process.proc is not None and process.proc.returncode is None:
                process.proc.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            if process.proc is None:
                continue
            try:
                # compose's stop_grace_period: after it, Docker kills too.
                codes[name] = await asyncio.wait_for(process.proc.wait(), 30)
            except TimeoutError:
                process.proc.kill()
                codes[name] = await process.proc.wait()
        for proxy in self.proxies.values():
            await proxy.close()
        return codes

    def duplicates_logged(self) -> dict[str, int]:
        """Deliveries each service recognised by its inbox (from its logs, which outlive
        the processes: the metric starts from zero after every restart)."""
        return self.logged(DUPLICATE_LOG)

    def logged(self, log_event: str) -> dict[str, int]:
        """How often each service logged ``log_event`` over all its processes."""
        counts = {}
        for name, process in self.processes.items():
            text = process.log_path.read_text(errors="replace") if process.log_path.exists() else ""
            counts[name] = text.count(f'"{log_event}"')
        return counts

    async def metric(self, name: str, metric: str, **labels: str) -> float:
        async with httpx.AsyncClient(base_url=self.processes[name].base_url, timeout=5) as c:
            text = (await c.get("/metrics")).text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(metric + "{"):
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total


# -- the stream of commands ------------------------------------------------------------------


def token(roles: Sequence[str], partner_id: str | None = None) -> str:
    from zroute_runtime.auth import issue_token
    from zroute_runtime.settings import ServiceSettings

    settings = ServiceSettings(auth_signing_key=SIGNING_KEY)
    return issue_token(settings, "fault-injection", roles, partner_id, ttl=timedelta(hours=12))


valid_bsn = random_valid_bsn


def registration(bsn: str) -> dict[str, Any]:
    """A valid registration (the intake tests' own) in this run's programme."""
    return intake_builders.registration(programme_id=PROGRAMME, bsn=bsn)


def appointment(starts_at: datetime) -> dict[str, Any]:
    return {
        "starts_at": starts_at.isoformat(),
        "duration_minutes": 60,
        "location_id": "town-hall",
        "attendees": [{"partner_id": "school", "role": "language_partner"}],
        "interpreter": {"language": "ar", "mode": "in_person", "status": "confirmed"},
    }


def outcome() -> dict[str, Any]:
    """A Z-route outcome with no precondition missing: planning activates the plan and
    starts it at once (schedule, waiting list for a group), so each completion has
    effects in planning, support and notifications."""
    return {
        "language_level": "A0",
        "literacy": "not_alphabetised",
        "learnability_band": "low",
        "needs": [
            {"domain": "language_literacy", "severity": "severe"},
            {"domain": "finances", "severity": "moderate"},
        ],
        "childcare": {"needed": False},
        "transport": {"needed": False},
        "availability": [
            {"weekday": "monday", "day_part": "morning"},
            {"weekday": "wednesday", "day_part": "morning"},
            {"weekday": "thursday", "day_part": "afternoon"},
        ],
        "goals": ["language_self_reliance", "social_participation"],
        "route": "z_route",
        "route_reason": "combined",
        "care_signals": [
            {
                "domain": "health_psychological",
                "category": "mental_health_care",
                "severity": "moderate",
                "urgency": "routine",
            }
        ],
    }


@dataclass
class Command:
    kind: str
    ref: str | None
    status: int | None = None
    attempts: int = 0
    accepted: bool = False
    # Answered 409 on a retry because the first attempt had committed (confirmed by a read)
    resolved_by_read: bool = False


@dataclass
class Ledger:
    commands: list[Command] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    scheduled: set[str] = field(default_factory=set)
    completed: set[str] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)

    def table(self) -> list[tuple[str, int, int, int, int]]:
        rows = []
        for kind in ("register", "schedule", "complete"):
            cmds = [c for c in self.commands if c.kind == kind]
            rows.append(
                (
                    kind,
                    len(cmds),
                    sum(c.accepted for c in cmds),
                    sum(c.attempts > 1 for c in cmds),
                    sum(c.resolved_by_read for c in cmds),
                )
            )
        return rows


class CommandFailed(Exception):
    pass


class Driver:
    """Sends the stream over intake's HTTP API as a caseworker."""

    RETRYABLE = {500, 502, 503, 504}

    def __init__(self, services: Services, ledger: Ledger, *, seed: int = 8) -> None:
        self.services = services
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.client = httpx.AsyncClient(
            base_url=services.processes["intake"].base_url,
            headers={"Authorization": f"Bearer {token(['caseworker'])}"},
            timeout=15,
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def _send(
        self,
        command: Command,
        method: str,
        url: str,
        body: Callable[[], dict[str, Any]],
        headers: dict[str, str] | None = None,
        *,
        deadline_s: float = 180,
    ) -> httpx.Response:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        while True:
            command.attempts += 1
            try:
                response = await self.client.request(method, url, json=body(), headers=headers)
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code not in self.RETRYABLE:
                command.status = response.status_code
                return response
            if loop.time() > deadline:
                raise CommandFailed(f"{command.kind} {command.ref}: no answer in {deadline_s}s")
            await asyncio.sleep(0.3)

    async def _read(self, ref: str) -> dict[str, Any]:
        while True:
            try:
                response = await self.client.get(f"/participants/{ref}")
                if response.status_code == 200:
                    return response.json()
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.3)

    async def participant(self) -> None:
        bsn = valid_bsn(self.rng)
        register = Command("register", None)
        self.ledger.commands.append(register)
        response = await self._send(register, "POST", "/participants", lambda: registration(bsn))
        if response.status_code == 201:
            ref, version = response.json()["participant_ref"], response.json()["version"]
        elif (
            response.status_code == 409
            and register.attempts > 1
            and response.headers.get("Location")
        ):
            # The first attempt committed, its answer was lost: the BSN names the record.
            ref = response.headers["Location"].rsplit("/", 1)[1]
            version = (await self._read(ref))["version"]
            register.resolved_by_read = True
        else:
            raise CommandFailed(f"register: {response.status_code} {response.text[:300]}")
        register.ref, register.accepted = ref, True
        self.ledger.refs.append(ref)

        schedule = Command("schedule", ref)
        self.ledger.commands.append(schedule)
        starts: list[datetime] = []

        def schedule_body() -> dict[str, Any]:
            starts.append(datetime.now(UTC) + timedelta(seconds=1.5))
            return appointment(starts[-1])

        response = await self._send(
            schedule,
            "PUT",
            f"/participants/{ref}/intake",
            schedule_body,
            {"If-Match": f'"{version}"'},
        )
        if response.status_code == 200:
            version = response.json()["version"]
        elif response.status_code == 409 and schedule.attempts > 1:
            state = await self._read(ref)
            if state["status"] != "intake_scheduled":
                raise CommandFailed(f"schedule {ref}: 409 and status {state['status']}")
            version = state["version"]
            schedule.resolved_by_read = True
        else:
            raise CommandFailed(f"schedule {ref}: {response.status_code} {response.text[:300]}")
        schedule.accepted = True
        self.ledger.scheduled.add(ref)

        # The intake takes place; then its outcome is recorded.
        wait = (starts[-1] - datetime.now(UTC)).total_seconds() + 0.2
        await asyncio.sleep(max(wait, 0))
        complete = Command("complete", ref)
        self.ledger.commands.append(complete)
        response = await self._send(
            complete,
            "POST",
            f"/participants/{ref}/intake/outcome",
            outcome,
            {"If-Match": f'"{version}"'},
        )
        if response.status_code == 409 and complete.attempts > 1:
            state = await self._read(ref)
            if state["status"] != "intake_completed":
                raise CommandFailed(f"complete {ref}: 409 and status {state['status']}")
            complete.resolved_by_read = True
        elif response.status_code not in (200, 201):
            raise CommandFailed(f"complete {ref}: {response.status_code} {response.text[:300]}")
        complete.accepted = True
        self.ledger.completed.add(ref)
        await self.establish_pip(ref)

    async def establish_pip(self, ref: str) -> None:
        """The PIP is established on the outcome: it, not the intake's completion, makes
        planning activate the plan (issue 15). A retried establishment that meets 409 is
        settled by reading the PIP."""
        establish = Command("establish", ref)
        self.ledger.commands.append(establish)
        draft = await self._send(establish, "PUT", f"/participants/{ref}/pip/draft", pip_content)
        if draft.status_code != 200:
            raise CommandFailed(f"pip draft {ref}: {draft.status_code} {draft.text[:300]}")
        dated = {"dated": str(datetime.now(UTC).date())}
        response = await self._send(
            establish, "POST", f"/participants/{ref}/pip/establishment", lambda: dated
        )
        if response.status_code == 409 and establish.attempts > 2:
            pip = (await self.client.get(f"/participants/{ref}/pip")).json()
            if pip.get("current") is None:
                raise CommandFailed(f"establish {ref}: 409 and no PIP")
            establish.resolved_by_read = True
        elif response.status_code not in (200, 201):
            raise CommandFailed(f"establish {ref}: {response.status_code} {response.text[:300]}")
        establish.accepted = True


def pip_content() -> dict[str, Any]:
    """A Z-route PIP's content in codes and numbers."""
    return {
        "route": "z_route",
        "route_reason": "low_learnability",
        "pvt_hours_per_week": 2,
        "map_hours_per_week": 2,
        "route_hours_per_week": 12,
        "progress_meetings": 4,
    }


async def setup_programme(services: Services) -> None:
    """Partners and the task division in support, as a coordinator; then wait until
    planning and notifications know them (so the stream starts from a settled state)."""
    headers = {"Authorization": f"Bearer {token(['coordinator'])}"}
    async with httpx.AsyncClient(
        base_url=services.processes["support"].base_url, headers=headers, timeout=15
    ) as client:
        for pid, caps in PARTNERS.items():
            response = await client.post(
                "/partners",
                json={
                    "partner_id": pid,
                    "organisation": f"Partner {pid}",
                    "municipalities": [MUNICIPALITY],
                    "capabilities": list(caps),
                    "capacity": {},
                    "contact_points": [{"channel": "email", "address": f"desk@{pid}.example"}],
                },
            )
            assert response.status_code == 201, response.text
        response = await client.post(
            f"/programmes/{PROGRAMME}/agreements",
            json={
                "municipality": MUNICIPALITY,
                "valid_from": str(datetime.now(UTC).date() - timedelta(days=30)),
                "valid_until": None,
                "lead_partner_id": "coordinator",
                "assignments": [{"task": t, "partner_id": p} for t, p in RESPONSIBLE.items()],
            },
        )
        assert response.status_code == 201, response.text
    expected = len(PARTNERS) + 1

    async def settled() -> bool:
        for name in ("planning", "notifications"):
            conn = await asyncpg.connect(services.settings.db_url(name))
            try:
                if await conn.fetchval("SELECT count(*) FROM zr_inbox") < expected:
                    return False
            finally:
                await conn.close()
        return True

    await wait_for(settled, timeout=60, what="planning and notifications know the programme")


async def publish_poison(settings: Settings) -> dict[str, set[str]]:
    """Messages meant to fail: not JSON at all. Returns, per service, the message ids it
    must dead-letter."""
    expected: dict[str, set[str]] = defaultdict(set)
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(f"{settings.prefix}.events")
        for key, consumers in POISON_KEYS.items():
            for n in range(settings.poison_per_key):
                message_id = f"poison-{key}-{n}"
                await exchange.publish(
                    aio_pika.Message(
                        b"this is not a cloud event",
                        message_id=message_id,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    ),
                    routing_key=key,
                    mandatory=True,
                )
                for service in consumers:
                    expected[service].add(message_id)
    finally:
        await connection.close()
    return dict(expected)


# -- faults -----------------------------------------------------------------------------------


@dataclass
class FaultRecord:
    name: str
    at_participant: int
    seconds: float
    detail: str


class Faults:
    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.records: list[FaultRecord] = []
        # Events committed but not published when their relay was killed: checked in
        # the reconciliation like all others, listed here to show they were there.
        self.held_event_ids: list[str] = []

    async def run(self, name: str, at: int) -> None:
        started = time.perf_counter()
        log(f"fault {name} (after {at} participants started)")
        detail = await getattr(self, name.replace("-", "_"))()
        self.records.append(FaultRecord(name, at, time.perf_counter() - started, detail))
        log(f"fault {name} healed in {time.perf_counter() - started:.1f}s: {detail}")

    async def _unpublished(self, service: str) -> list[str]:
        conn = await asyncpg.connect(self.settings.db_url(service))
        try:
            rows = await conn.fetch(
                "SELECT event_id::text FROM zr_outbox WHERE published_at IS NULL ORDER BY sequence"
            )
        finally:
            await conn.close()
        return [r[0] for r in rows]

    async def _kill_restart(self, service: str) -> str:
        await self.services.kill(service)
        await asyncio.sleep(0.5)
        await self.services.restart(service)
        return f"SIGKILL zroute-{service}, restarted"

    async def kill_consumer(self) -> str:
        return await self._kill_restart("planning")

    async def kill_notifications(self) -> str:
        return await self._kill_restart("notifications")

    async def kill_support(self) -> str:
        return await self._kill_restart("support")

    async def _kill_relay(self, direction: str) -> str:
        """Hold intake's traffic to (or from) the broker, let HTTP commands commit, SIGKILL
        intake while its relay waits, then restart it."""
        proxy = self.services.proxies["intake"]
        proxy.hold(direction)
        held = await wait_for(
            lambda: self._unpublished("intake"),
            timeout=60,
            what="a committed, unpublished intake event",
        )
        await asyncio.sleep(0.5)  # let a few more commands commit behind it
        held = await self._unpublished("intake")
        await self.services.kill("intake")
        proxy.cut()  # what it held is gone with the process
        proxy.release()
        self.held_event_ids += held
        await self.services.restart("intake")
        where = "before publishing" if direction == "up" else "after publishing, before the confirm"
        return f"{len(held)} committed events unpublished at SIGKILL of intake ({where})"

    async def kill_relay_before_publish(self) -> str:
        return await self._kill_relay("up")

    async def kill_relay_before_confirm(self) -> str:
        return await self._kill_relay("down")

    async def _connections(self) -> list[tuple[str, int, str]]:
        out = await sh(
            f"{self.settings.rabbitmqctl} --silent list_connections pid peer_port client_properties"
        )
        rows = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].strip().isdigit():
                rows.append((parts[0], int(parts[1]), parts[2]))
        return rows

    async def cut_consumer_connection(self) -> str:
        """Close support's consuming connection on the broker side (``rabbitmqctl
        close_connection``); the relay's connection (named ``support-relay``) stays."""
        service = "support"
        ports = self.services.proxies[service].upstream_ports()
        targets = [
            (name, port)
            for name, port, props in await self._connections()
            if port in ports and f"{service}-relay" not in props
        ]
        if not targets:
            raise RuntimeError(f"no consumer connection of {service} found on the broker")
        for name, _ in targets:
            await sh(
                f"{self.settings.rabbitmqctl} close_connection {shlex.quote(name)} "
                "'fault injection: consumer connection cut'"
            )

        async def reconnected() -> bool:
            ports = self.services.proxies[service].upstream_ports()
            names = [n for n, p, props in await self._connections() if p in ports]
            return len(names) >= 2 and not {n for n, _ in targets} & set(names)

        await wait_for(reconnected, timeout=60, what=f"{service} to reconnect", interval=0.5)
        return f"closed {len(targets)} connection(s) of {service}; it reconnected"

    async def restart_broker(self) -> str:
        assert self.settings.broker_stop and self.settings.broker_start, "no broker of our own"
        await sh(self.settings.broker_stop)
        await asyncio.sleep(1)
        await sh(self.settings.broker_start)
        await self._all_ready()
        return f"`{self.settings.broker_stop}` then `{self.settings.broker_start}`"

    async def restart_database(self) -> str:
        assert self.settings.database_restart, "no database of our own to restart"
        await sh(self.settings.database_restart, timeout=180)
        await self._all_ready()
        return f"`{self.settings.database_restart}`"

    async def stop_cluster_node(self) -> str:
        assert self.settings.node_stop and self.settings.node_start
        await sh(self.settings.node_stop)
        await asyncio.sleep(5)  # the stream flows on the other two nodes meanwhile
        await sh(self.settings.node_start)
        await self._all_ready()
        return f"{self.settings.node_label}: node stopped, 5 s, started again"

    async def _all_ready(self) -> None:
        """Every service ready, with both its connections (relay and consumer) back."""
        await asyncio.gather(*(self.services.wait_ready(name, timeout=120) for name in SERVICES))

        async def connected() -> bool:
            return all(len(p.upstream_ports()) >= 2 for p in self.services.proxies.values())

        await wait_for(connected, timeout=60, what="every service reconnected", interval=0.5)


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    settings: Settings
    ledger: Ledger
    faults: list[FaultRecord]
    held_event_ids: list[str]
    report: Report
    seconds: float
    exit_codes: dict[str, int | None]


async def run(
    settings: Settings,
    *,
    progress: Callable[[str], None] = log,
    keep: bool = False,
    inspect: Callable[[Settings], Awaitable[None]] | None = None,
) -> Outcome:
    """Start the services, flow the stream with the faults, settle, reconcile, clean up."""
    started = time.perf_counter()
    services = Services(settings)
    ledger = Ledger()
    faults = Faults(services, settings)
    exit_codes: dict[str, int | None] = {}
    try:
        await _declare_topology(settings)
        await services.start_all()
        progress(f"services up ({settings.prefix}); logs in {services.logs}")
        await setup_programme(services)
        driver = Driver(services, ledger)
        poison: dict[str, set[str]] = {}
        try:
            await _flow(settings, driver, faults, ledger, poison, progress)
        finally:
            await driver.close()
        progress("stream done; waiting for outboxes, queues and inboxes to settle")
        pending = await settle(settings)
        report = await reconcile(settings, services, ledger, poison)
        if pending:
            report.problems.insert(
                0, f"did not settle in {settings.settle_timeout_s:.0f}s: {pending}"
            )
        exit_codes = await services.stop_all()
        if inspect is not None:
            await inspect(settings)
    finally:
        if any(p.proc and p.proc.returncode is None for p in services.processes.values()):
            exit_codes = await services.stop_all()
        if not keep:
            await cleanup(settings)
    return Outcome(
        settings,
        ledger,
        faults.records,
        faults.held_event_ids,
        report,
        time.perf_counter() - started,
        exit_codes,
    )


async def _flow(
    settings: Settings,
    driver: Driver,
    faults: Faults,
    ledger: Ledger,
    poison: dict[str, set[str]],
    progress: Callable[[str], None],
) -> None:
    """Workers keep participants coming; the faults run one after another meanwhile,
    spread over the stream; the stream ends once both are done."""
    started = 0
    done = asyncio.Event()
    errors: list[BaseException] = []
    planned = list(settings.faults)
    spacing = max(1, settings.participants // (len(planned) + 1))

    async def worker() -> None:
        nonlocal started
        while not done.is_set() and not errors:
            started += 1
            n = started
            try:
                await driver.participant()
            except Exception as exc:  # a command the stream could not get accepted
                ledger.failed.append(f"{type(exc).__name__}: {exc}")
                errors.append(exc)
                return
            if n % 10 == 0:
                progress(f"{len(ledger.completed)} participants through intake")

    async def injector() -> None:
        try:
            # Poison goes in while all is well: a dead-letter publish that meets a
            # publishing connection still reconnecting stalls the consumer (see
            # docs/fault-injection.md, "Findings").
            poison.update(await publish_poison(settings))
            for index, name in enumerate(planned):
                await wait_for(
                    lambda i=index: started >= spacing * (i + 1) or errors,
                    timeout=600,
                    what="the stream",
                )
                await faults.run(name, started)
            await wait_for(
                lambda: started >= settings.participants or errors, timeout=600, what="stream"
            )
        finally:
            done.set()

    await asyncio.gather(injector(), *(worker() for _ in range(settings.concurrency)))
    if errors:
        raise errors[0]


async def _declare_topology(settings: Settings) -> None:
    """Every consumer's queue before any service starts (``zroute-topology``)."""
    from zroute_runtime.settings import ServiceSettings
    from zroute_runtime.topology import declare_catalogue

    service_settings = ServiceSettings(
        amqp_url=settings.amqp_url,
        name_prefix=settings.prefix,
        retry_delays_ms=list(RETRY_DELAYS_MS),
    )
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        await declare_catalogue(await connection.channel(), service_settings)
    finally:
        await connection.close()


async def cleanup(settings: Settings) -> None:
    """Drop the run's databases and broker objects."""
    with contextlib.suppress(Exception):
        conn = await asyncpg.connect(settings.pg_admin_url)
        try:
            for service in SERVICES:
                name = urlsplit(settings.db_url(service)).path.lstrip("/")
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
    with contextlib.suppress(Exception):
        connection = await aio_pika.connect(settings.amqp_url)
        try:
            names = []
            for service in SERVICES:
                base = f"{settings.prefix}.{service}"
                names += [base, f"{base}.dead-letter"]
                names += [f"{base}.retry.{d}" for d in RETRY_DELAYS_MS]
            for name in names:
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.queue_delete(name)
            for name in ("events", "dead-letter"):
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.exchange_delete(f"{settings.prefix}.{name}")
        finally:
            await connection.close()


# -- reconciliation ---------------------------------------------------------------------------


def _topic_match(pattern: str, key: str) -> bool:
    regex = (
        "^"
        + r"\.".join(
            {"*": r"[^.]+", "#": r".*"}.get(word, re.escape(word)) for word in pattern.split(".")
        )
        + "$"
    )
    return re.match(regex, key) is not None


def consumers_of(routing_key: str) -> list[str]:
    """The services whose queues the catalogue binds to ``routing_key``."""
    from zroute_runtime.topology import catalogue_bindings

    return [
        service
        for service in SERVICES
        if any(_topic_match(p, routing_key) for p in catalogue_bindings(service))
    ]


async def _fetch(settings: Settings, service: str, query: str, *args: Any) -> list[Any]:
    conn = await asyncpg.connect(settings.db_url(service))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def _queue_depths(settings: Settings) -> dict[str, int]:
    """Messages in each main and retry queue, those ready and those a consumer holds
    unacknowledged: with prefetch above 1 a service holds several in hand, and a queue
    with none ready is not drained until they are handled (a passive declare counts only
    the ready ones)."""
    names = [
        name
        for service in SERVICES
        for base in [f"{settings.prefix}.{service}"]
        for name in [base, *(f"{base}.retry.{d}" for d in RETRY_DELAYS_MS)]
    ]
    out = await sh(f"{settings.rabbitmqctl} --silent list_queues name messages")
    listed = {}
    for line in out.splitlines():
        name, _, count = line.partition("\t")
        if count.strip().isdigit():
            listed[name] = int(count)
    missing = [name for name in names if name not in listed]
    assert not missing, f"queues not listed by rabbitmqctl: {missing}"
    return {name: listed[name] for name in names}


async def settle(settings: Settings) -> str | None:
    """Wait until every outbox is empty and every queue (main and retry) is drained, three
    times in a row (a handler may emit more events as it drains). ``settle_timeout_s``
    bounds the time without progress (the backlog reaching a new low), not the whole
    wait: on a busy machine a slow consumer still draining is not a loss. Ten times that
    bounds the whole wait. Returns what was still pending when the time ran out, or None."""
    loop = asyncio.get_running_loop()
    started = last_progress = loop.time()
    lowest: int | None = None
    calm = 0
    while True:
        state: dict[str, int] = {}
        for service in SERVICES:
            rows = await _fetch(
                settings, service, "SELECT count(*) FROM zr_outbox WHERE published_at IS NULL"
            )
            state[f"{service} outbox"] = rows[0][0]
        state.update(await _queue_depths(settings))
        pending = sum(state.values())
        calm = calm + 1 if not pending else 0
        if calm >= 3:
            return None
        now = loop.time()
        if lowest is None or pending < lowest:
            lowest, last_progress = pending, now
        stalled = now - last_progress > settings.settle_timeout_s
        if stalled or now - started > 10 * settings.settle_timeout_s:
            return ", ".join(f"{k}: {v}" for k, v in state.items() if v)
        await asyncio.sleep(1)  # polling the state above, not waiting blindly


@dataclass
class ServiceReport:
    service: str
    expected: int = 0  # events the catalogue routes to it, from every producer's outbox
    effected: int = 0  # ... whose inbox row exists: handled, exactly once
    duplicates: int = 0  # deliveries the inbox recognised and had no effect
    waits: int = 0  # deliveries handed back to wait for their predecessor (issue 11)
    dead_lettered: int = 0  # everything in its dead-letter queue
    poison_expected: int = 0
    unexpected_dead_letters: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    extra_inbox: int = 0  # inbox rows of no committed event (must be 0)
    produced: int = 0
    unpublished: int = 0


@dataclass
class Report:
    services: dict[str, ServiceReport]
    domain: list[tuple[str, str, int, int]]  # service, what, expected, found
    problems: list[str]

    @property
    def lost(self) -> int:
        return sum(len(s.lost) for s in self.services.values())

    def rows(self) -> list[tuple[Any, ...]]:
        rows = []
        for s in self.services.values():
            rows.append(
                (
                    s.service,
                    s.produced,
                    s.unpublished,
                    s.expected,
                    s.effected,
                    s.duplicates,
                    s.waits,
                    _dead(s.dead_lettered, s.poison_expected),
                    len(s.lost),
                )
            )
        total = list(self.services.values())
        rows.append(
            (
                "total",
                sum(s.produced for s in total),
                sum(s.unpublished for s in total),
                sum(s.expected for s in total),
                sum(s.effected for s in total),
                sum(s.duplicates for s in total),
                sum(s.waits for s in total),
                _dead(sum(s.dead_lettered for s in total), sum(s.poison_expected for s in total)),
                self.lost,
            )
        )
        return rows


def _dead(count: int, poison: int) -> str:
    """Dead letters, the poison among them, and extra copies of a poison message (a
    consumer killed after dead-lettering it but before its ack: at least once there too)."""
    extra = f", {count - poison} extra copies of it" if count > poison else ""
    return f"{count} ({poison} poison{extra})"


REPORT_COLUMNS = (
    "service",
    "events produced",
    "unpublished",
    "events sent to it",
    "effected once",
    "duplicates suppressed",
    "waited for predecessor",
    "dead-lettered",
    "lost",
)


async def _dead_letter_depths(settings: Settings) -> dict[str, int]:
    connection = await aio_pika.connect(settings.amqp_url)
    depths = {}
    try:
        for service in SERVICES:
            channel = await connection.channel()
            queue = await channel.declare_queue(
                f"{settings.prefix}.{service}.dead-letter", passive=True
            )
            depths[service] = queue.declaration_result.message_count or 0
    finally:
        await connection.close()
    return depths


async def _drain_dead_letters(settings: Settings) -> dict[str, list[tuple[str, str]]]:
    """Take every dead letter: (message id, reason kind) per service."""
    found: dict[str, list[tuple[str, str]]] = {}
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel()
        for service in SERVICES:
            queue = await channel.declare_queue(
                f"{settings.prefix}.{service}.dead-letter", passive=True
            )
            items = []
            while (message := await queue.get(no_ack=True, fail=False)) is not None:
                kind = (message.headers or {}).get("x-zroute-reason-kind", "broker")
                if isinstance(kind, bytes):
                    kind = kind.decode()
                items.append((message.message_id or "", str(kind)))
            found[service] = items
    finally:
        await connection.close()
    return found


async def reconcile(
    settings: Settings, services: Services, ledger: Ledger, poison: dict[str, set[str]]
) -> Report:
    reports = {s: ServiceReport(s) for s in SERVICES}
    problems: list[str] = []
    expected_at: dict[str, set[str]] = defaultdict(set)
    committed: set[str] = set()
    events_by_type: dict[str, Counter[str]] = {}
    for service in SERVICES:
        rows = await _fetch(
            settings,
            service,
            "SELECT event_id::text, event_type, routing_key, ordering_key,"
            " published_at IS NULL AS pending FROM zr_outbox",
        )
        reports[service].produced = len(rows)
        reports[service].unpublished = sum(r["pending"] for r in rows)
        events_by_type[service] = Counter((r["event_type"], r["ordering_key"]) for r in rows)
        for row in rows:
            committed.add(row["event_id"])
            for consumer in consumers_of(row["routing_key"]):
                expected_at[consumer].add(row["event_id"])
    dead = await _drain_dead_letters(settings)
    duplicates = services.duplicates_logged()
    waits = services.logged(AWAITING_LOG)
    for service in SERVICES:
        report = reports[service]
        inbox = {
            r[0]
            for r in await _fetch(
                settings,
                service,
                "SELECT event_id::text FROM zr_inbox WHERE consumer = $1",
                service,
            )
        }
        expected = expected_at[service]
        dead_ids = {mid for mid, _ in dead[service]}
        report.expected = len(expected)
        report.effected = len(expected & inbox)
        report.extra_inbox = len(inbox - committed)
        report.duplicates = duplicates[service]
        report.waits = waits[service]
        report.dead_lettered = len(dead[service])
        meant = poison.get(service, set())
        report.poison_expected = len(meant)
        report.unexpected_dead_letters = sorted(
            f"{mid} ({kind})" for mid, kind in dead[service] if mid not in meant
        )
        missing_poison = meant - dead_ids
        report.lost = sorted(expected - inbox)
        if report.unpublished:
            problems.append(f"{service}: {report.unpublished} outbox rows unpublished")
        if report.extra_inbox:
            problems.append(f"{service}: {report.extra_inbox} inbox rows of no committed event")
        if report.unexpected_dead_letters:
            problems.append(
                f"{service}: dead letters not meant to fail: {report.unexpected_dead_letters}"
            )
        if missing_poison:
            problems.append(f"{service}: poison not dead-lettered: {sorted(missing_poison)}")
        if report.lost:
            problems.append(f"{service}: {len(report.lost)} events lost: {report.lost[:5]}")

    domain, more = await _domain_checks(settings, ledger, events_by_type)
    problems += more
    return Report(reports, domain, problems)


# Per participant, the events each command must cause exactly once, by producer.
EXACTLY_ONCE: dict[str, tuple[tuple[str, str], ...]] = {
    "intake": (
        ("nl.zroute.intake.participant-registered.v1", "register"),
        ("nl.zroute.intake.contact-person-assigned.v1", "register"),
        ("nl.zroute.intake.intake-scheduled.v1", "schedule"),
        ("nl.zroute.intake.intake-completed.v1", "complete"),
        ("nl.zroute.intake.care-signals-recorded.v1", "complete"),
    ),
    "planning": (("nl.zroute.planning.plan-activated.v1", "complete"),),
}


async def _domain_checks(
    settings: Settings, ledger: Ledger, events_by_type: dict[str, Counter[str]]
) -> tuple[list[tuple[str, str, int, int]], list[str]]:
    """The rows the commands must have made, one per participant, in every service."""
    refs = set(ledger.refs)
    completed = ledger.completed
    checks: list[tuple[str, str, int, int]] = []
    problems: list[str] = []

    def check(service: str, what: str, expected: int, found: int) -> None:
        checks.append((service, what, expected, found))
        if expected != found:
            problems.append(f"{service}: {what}: expected {expected}, found {found}")

    intake = await _fetch(settings, "intake", "SELECT ref, status FROM intake_participants")
    check("intake", "participants registered", len(refs), len({r["ref"] for r in intake} & refs))
    check("intake", "participants not sent (must be 0)", 0, len({r["ref"] for r in intake} - refs))
    check(
        "intake",
        "intakes completed",
        len(completed),
        sum(r["status"] == "intake_completed" and r["ref"] in completed for r in intake),
    )
    for producer, types in EXACTLY_ONCE.items():
        counts = events_by_type[producer]
        for event_type, command in types:
            people = {"register": refs, "schedule": ledger.scheduled}.get(command, completed)
            once = sum(counts.get((event_type, ref), 0) == 1 for ref in people)
            short = event_type.split(".")[-2]
            check(producer, f"{short}: once per participant", len(people), once)
    plans = await _fetch(settings, "planning", "SELECT participant_ref FROM planning_plans")
    check("planning", "plans (one per completed intake)", len(completed), len(plans))
    check(
        "planning",
        "plans of completed participants",
        len(completed),
        len({r[0] for r in plans} & completed),
    )
    support = await _fetch(
        settings, "support", "SELECT participant_ref, contact FROM support_participants"
    )
    check("support", "participant records", len(refs), len({r[0] for r in support} & refs))
    check(
        "support",
        "contact person recorded",
        len(refs),
        sum(r["contact"] is not None and r[0] in refs for r in support),
    )
    signals = await _fetch(
        settings, "support", "SELECT DISTINCT participant_ref FROM support_care_signals"
    )
    check("support", "care signals recorded", len(completed), len({r[0] for r in signals}))
    nt_participants = await _fetch(
        settings, "notifications", "SELECT participant_ref FROM nt_participants"
    )
    check(
        "notifications",
        "participants in the read model",
        len(refs),
        len({r[0] for r in nt_participants} & refs),
    )
    contacts = await _fetch(settings, "notifications", "SELECT participant_ref FROM nt_contacts")
    check("notifications", "contact persons", len(refs), len({r[0] for r in contacts} & refs))
    # Notifications: every event fans out to the same targets (role, channel, timing) as
    # every other event of its type: a message of its own, or an item of a digest. A lost
    # or doubled effect would show as an event with fewer or more.
    fanout = await _fetch(
        settings,
        "notifications",
        """
        WITH targets AS (
            SELECT n.event_ids[1] AS event_id, n.role, n.channel, n.timing
            FROM nt_notifications n
            WHERE n.recipient_kind <> 'operator' AND cardinality(n.event_ids) = 1
            UNION
            SELECT d.event_id, d.role, d.channel, d.timing FROM nt_digest_items d
        )
        SELECT e.event_type, e.event_id, count(t.event_id) AS targets
        FROM nt_events e LEFT JOIN targets t ON t.event_id = e.event_id
        WHERE e.subject IS NOT NULL
        GROUP BY e.event_type, e.event_id
        """,
    )
    per_type: dict[str, Counter[int]] = defaultdict(Counter)
    for row in fanout:
        per_type[row["event_type"]][row["targets"]] += 1
    uneven = {t.split(".")[-2]: dict(c) for t, c in per_type.items() if len(c) > 1}
    check("notifications", "event types with uneven fan-out (must be 0)", 0, len(uneven))
    if uneven:
        problems.append(f"notifications: uneven fan-out per event type: {uneven}")
    messages = await _fetch(settings, "notifications", "SELECT count(*) FROM nt_notifications")
    checks.append(
        ("notifications", "messages made (one per event, recipient, channel)", -1, messages[0][0])
    )
    unresolved = await _fetch(
        settings,
        "notifications",
        "SELECT count(*) FROM nt_notifications WHERE recipient_kind = 'unresolved'",
    )
    checks.append(
        (
            "notifications",
            "of which: recipient unknown when handled (see Findings)",
            -1,
            unresolved[0][0],
        )
    )
    return checks, problems


# -- report --------------------------------------------------------------------------------


def tables(outcome: Outcome) -> list[Any]:
    """The report as rich tables (the script prints them; the test logs them)."""
    from rich.table import Table

    def make(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
        table = Table(title=title, title_justify="left")
        for i, column in enumerate(columns):
            table.add_column(column, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*[str(v) for v in row])
        return table

    s = outcome.settings
    return [
        make(
            f"Commands sent to intake ({len(outcome.ledger.refs)} participants, "
            f"concurrency {s.concurrency}, {outcome.seconds:.0f} s)",
            (
                "command",
                "sent",
                "accepted",
                "retried after a fault",
                "answer lost, found committed",
            ),
            outcome.ledger.table(),
        ),
        make(
            "Faults injected",
            ("fault", "after participant", "seconds to heal", "what"),
            [(f.name, f.at_participant, f"{f.seconds:.1f}", f.detail) for f in outcome.faults],
        ),
        make("Events, per consuming service", REPORT_COLUMNS, outcome.report.rows()),
        make(
            "Exit status on SIGTERM at the end (0: stopped cleanly; -9: still running after "
            "30 s, killed)",
            SERVICES,
            [[outcome.exit_codes.get(s, "") for s in SERVICES]],
        ),
        make(
            "Effects in the databases",
            ("service", "check", "expected", "found"),
            [(a, b, "" if c < 0 else c, d) for a, b, c, d in outcome.report.domain],
        ),
    ]


def render(outcome: Outcome, width: int = 140) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    for table in tables(outcome):
        console.print(table)
    return console.export_text()
