"""The system under demonstration: the four services as separate processes.

Each service runs its own console script (``zroute-<service> serve``), exactly as
``docker-compose.yml`` runs it, against the local RabbitMQ and PostgreSQL, with its own
database, a simulated clock and a demo signing key. Every run starts from a clean
slate: the demo's databases are recreated and its broker objects deleted first.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
import httpx
from zroute_contract.events.base import SERVICES
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.settings import ServiceSettings

# Two demos on one machine (two checkouts, or a demo beside a test run) stay apart by
# ZROUTE_DEMO_NAME (databases, broker objects) and ZROUTE_DEMO_PORT_BASE (the four ports).
_PORT_BASE = int(os.environ.get("ZROUTE_DEMO_PORT_BASE", "8001"))
PORTS = {
    service: _PORT_BASE + offset
    for offset, service in enumerate(("intake", "planning", "support", "notifications"))
}
_DEMO_NAME = os.environ.get("ZROUTE_DEMO_NAME", "zroute-demo")
DEMO_SIGNING_KEY = "demo-signing-key-for-local-runs-only-0123456789"


FIRST_LOOK_S = 0.005
LAST_LOOK_S = 0.05
CONFIRM_S = 0.03
"""Settling's pace: the first look again after 5 ms, doubling to 50 ms while busy; a quiet
look is confirmed 30 ms later."""
CLOCK_STEP_S = 300
"""How long one service may take over a clock step (it fires what fell due meanwhile)."""
SINKS = frozenset({"notifications"})
"""Services no other service consumes events from, and whose state the scenario reads only
at the end (the summary): its steps need not wait for them (letters, e-mails, webhooks)."""
_OUTBOX = "zroute_outbox_unpublished"
_MOVEMENT = (
    "zroute_events_published_total",
    "zroute_timers_fired_total",
    "zroute_events_consumed_total",
)


@dataclass
class DemoConfig:
    """Where the demo runs; every value can come from the environment (``ZROUTE_*``)."""

    database_url: str = os.environ.get(
        "ZROUTE_DATABASE_URL",
        f"postgresql://postgres@127.0.0.1:5432/{_DEMO_NAME.replace('-', '_')}_{{service}}",
    )
    amqp_url: str = os.environ.get("ZROUTE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    name_prefix: str = _DEMO_NAME
    clock_start: str = "2027-01-04T08:00:00+01:00"
    workdir: Path = field(default_factory=lambda: Path(".demo"))
    retry_delays_ms: tuple[int, ...] = (200, 1000, 5000)
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=lambda: dict(PORTS))

    def settings(self) -> ServiceSettings:
        return ServiceSettings(
            database_url=self.database_url,
            amqp_url=self.amqp_url,
            name_prefix=self.name_prefix,
            auth_signing_key=DEMO_SIGNING_KEY,
        )


@dataclass
class ServiceProcess:
    name: str
    port: int
    process: asyncio.subprocess.Process
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _cpu_of(pid: int) -> float | None:
    """A running process's CPU seconds so far (user + system, Linux ``/proc``), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    # Fields 14 and 15 of stat (utime, stime), counted after the command's closing paren.
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


class System:
    """Starts, inspects and stops the four service processes."""

    def __init__(self, config: DemoConfig) -> None:
        self.config = config
        self.cpu_s: dict[str, float | None] = {}
        """Each service's CPU seconds when it was asked to stop (``run.json``)."""
        self.settings = config.settings()
        self.processes: dict[str, ServiceProcess] = {}
        # Kept open across the run: settling looks at every service and queue after each
        # step of the scenario, and a new connection each time was most of its cost.
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._amqp: aio_pika.abc.AbstractConnection | None = None
        self._channels: dict[str, aio_pika.abc.AbstractChannel] = {}
        self._amqp_lock = asyncio.Lock()
        # Where the wall time goes, printed at the end: waiting for quiet, clock steps.
        self.spent: dict[str, float] = {"settling": 0.0, "clock steps": 0.0}

    def token(self, *roles: Role, partner_id: str | None = None, subject: str = "demo") -> str:
        return issue_token(self.settings, subject, roles, partner_id=partner_id)

    def client(
        self, service: str, *roles: Role, partner_id: str | None = None
    ) -> httpx.AsyncClient:
        """An HTTP client for ``service`` carrying a token with ``roles``."""
        headers = {}
        if roles:
            headers["Authorization"] = f"Bearer {self.token(*roles, partner_id=partner_id)}"
        return httpx.AsyncClient(
            base_url=self.processes[service].base_url, headers=headers, timeout=30
        )

    # -- clean slate ------------------------------------------------------------------
    async def check_infrastructure(self) -> None:
        """Fail early, saying what to start, when RabbitMQ or PostgreSQL is not there."""
        admin = self._admin_url()
        try:
            conn = await asyncpg.connect(admin, timeout=5)
            await conn.close()
        except (OSError, asyncpg.PostgresError) as exc:
            raise SystemExit(
                f"PostgreSQL is not reachable ({exc}). Start it, e.g. `pg_ctlcluster "
                "--skip-systemctl-redirect 15 main start`, or set ZROUTE_DATABASE_URL."
            ) from None
        try:
            connection = await aio_pika.connect(self.config.amqp_url, timeout=5)
            await connection.close()
        except Exception as exc:
            raise SystemExit(
                f"RabbitMQ is not reachable ({exc}). Start it, e.g. `rabbitmq-server -detached`, "
                "or set ZROUTE_AMQP_URL."
            ) from None

    def _admin_url(self) -> str:
        parts = urlsplit(self.settings.database_url_for("x"))
        return urlunsplit(parts._replace(path="/postgres"))

    async def reset(self) -> None:
        """Stop what an earlier, interrupted run left running, then drop the demo's
        databases and broker objects."""
        await self._stop_leftovers()
        conn = await asyncpg.connect(self._admin_url())
        try:
            for service in SERVICES:
                name = urlsplit(self.settings.database_url_for(service)).path.lstrip("/")
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
        connection = await aio_pika.connect(self.config.amqp_url)
        try:
            for name in self._queue_names():
                channel = await connection.channel()
                with contextlib.suppress(Exception):  # absent: nothing to clean
                    await channel.queue_delete(name)
        finally:
            await connection.close()

    @property
    def _pid_file(self) -> Path:
        return self.config.workdir / "pids"

    async def _stop_leftovers(self) -> None:
        if not self._pid_file.exists():
            return
        for line in self._pid_file.read_text().split():
            pid = int(line)
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(100):  # up to 10 s for a graceful stop
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                await asyncio.sleep(0.1)
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._pid_file.unlink()

    def _queue_names(self) -> list[str]:
        names = []
        for service in SERVICES:
            names += [self.settings.name(service), self.settings.name(service, "dead-letter")]
            delays = self.config.retry_delays_ms
            names += [self.settings.name(service, "retry", str(d)) for d in delays]
        return names

    # -- processes --------------------------------------------------------------------
    async def start(self, on_ready=None) -> None:
        self.config.workdir.mkdir(exist_ok=True)
        for service in SERVICES:
            await self._spawn(service)
        self._pid_file.write_text(" ".join(str(p.process.pid) for p in self.processes.values()))
        for service in SERVICES:
            await self._wait_ready(service)
            if on_ready:
                on_ready(service)

    async def _spawn(self, service: str) -> None:
        port = self.config.ports[service]
        log_path = self.config.workdir / f"{service}.log"
        env = {
            **os.environ,
            "ZROUTE_DATABASE_URL": self.config.database_url,
            "ZROUTE_AMQP_URL": self.config.amqp_url,
            "ZROUTE_NAME_PREFIX": self.config.name_prefix,
            "ZROUTE_HTTP_PORT": str(port),
            "ZROUTE_CLOCK": "simulated",
            "ZROUTE_CLOCK_START": self.config.clock_start,
            "ZROUTE_AUTH_SIGNING_KEY": DEMO_SIGNING_KEY,
            "ZROUTE_RETRY_DELAYS_MS": str(list(self.config.retry_delays_ms)),
            "ZROUTE_RELAY_POLL_INTERVAL_S": "0.2",
            "ZROUTE_TIMER_POLL_INTERVAL_S": "0.2",
            "ZROUTE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            # The demo's webhook receivers listen on plain http on loopback.
            "ZROUTE_WEBHOOK_ALLOW_HTTP": "true",
            "ZROUTE_WEBHOOK_ALLOWED_TARGETS": '["127.0.0.1"]',
            **self.config.extra_env.get(service, {}),
        }
        script = Path(sys.executable).parent / f"zroute-{service}"
        log = log_path.open("wb")
        process = await asyncio.create_subprocess_exec(
            str(script), "serve", env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        self.processes[service] = ServiceProcess(service, port, process, log_path)

    async def _wait_ready(self, service: str, within_s: float = 90) -> None:
        proc = self.processes[service]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within_s
        async with httpx.AsyncClient(base_url=proc.base_url, timeout=2) as client:
            while True:
                if proc.process.returncode is not None:
                    raise SystemExit(
                        f"zroute-{service} exited with {proc.process.returncode}; "
                        f"its log: {proc.log_path}\n" + proc.log_path.read_text()[-3000:]
                    )
                try:
                    if (await client.get("/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if loop.time() > deadline:
                    raise SystemExit(
                        f"zroute-{service} not ready after {within_s}s: {proc.log_path}"
                    )
                await asyncio.sleep(0.2)

    async def stop(self) -> dict[str, int]:
        """SIGTERM every service and wait; returns the exit codes."""
        await self.close_clients()
        self.cpu_s = {name: _cpu_of(proc.process.pid) for name, proc in self.processes.items()}
        for proc in self.processes.values():
            if proc.process.returncode is None:
                proc.process.send_signal(signal.SIGTERM)
        codes = {}
        for name, proc in self.processes.items():
            codes[name] = await asyncio.wait_for(proc.process.wait(), 60)
        self._pid_file.unlink(missing_ok=True)
        return codes

    # -- inspection -------------------------------------------------------------------
    async def queue_depths(self) -> dict[str, tuple[int, int]]:
        """Per service: (messages waiting in its queue, messages in its dead-letter queue)."""
        depths = {}
        connection = await aio_pika.connect(self.config.amqp_url)
        try:
            for service in SERVICES:
                counts = []
                names = (self.settings.name(service), self.settings.name(service, "dead-letter"))
                for name in names:
                    channel = await connection.channel()
                    try:
                        queue = await channel.declare_queue(name, passive=True)
                        counts.append(queue.declaration_result.message_count)
                    except Exception:
                        counts.append(0)
                    finally:
                        if not channel.is_closed:
                            await channel.close()
                depths[service] = (counts[0], counts[1])
        finally:
            await connection.close()
        return depths

    async def settle(self, within_s: float = 300, *, leave_sinks: bool = False) -> None:
        """Wait until the system is quiet: every outbox published and every queue
        (with its retry queues) empty, and nothing handled, published or fired between
        two looks. ``leave_sinks``: not waiting for the ``SINKS``, whose work (letters,
        e-mails) then goes on beside the scenario's next steps; the clock never moves
        before they are quiet too (``advance_clocks``)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + within_s
        services = [s for s in self.processes if not (leave_sinks and s in SINKS)]
        try:
            await self._until_quiet(services, loop, deadline, within_s)
        finally:
            self.spent["settling"] += loop.time() - started

    async def _until_quiet(
        self,
        services: list[str],
        loop: asyncio.AbstractEventLoop,
        deadline: float,
        within_s: float,
    ) -> None:
        """Look until two looks in a row, ``CONFIRM_S`` apart, find nothing waiting and
        nothing handled, published or fired in between (a handler still running holds its
        message unacknowledged, which a queue's count does not show: its commit moves the
        counters). Between busy looks the wait grows from ``FIRST_LOOK_S`` to
        ``LAST_LOOK_S``: each look costs every service a request, and looking fifty times
        a second took CPU from the work being waited for."""
        previous: tuple[float, ...] | None = None
        pause = FIRST_LOOK_S
        while True:
            activity = await self._quiet(services)
            if activity is not None and activity == previous:
                return
            if loop.time() > deadline:
                raise SystemExit(f"the system did not settle within {within_s}s")
            previous = activity
            if activity is None:
                await asyncio.sleep(pause)
                pause = min(pause * 2, LAST_LOOK_S)
            else:
                await asyncio.sleep(CONFIRM_S)

    def _operator(self, service: str) -> httpx.AsyncClient:
        """A kept-alive client of ``service`` with an operator's token (metrics, clock)."""
        if service not in self._clients:
            self._clients[service] = self.client(service, Role.OPERATOR)
        return self._clients[service]

    async def _queue_channel(self, service: str) -> aio_pika.abc.AbstractChannel:
        """One channel per service, so the services' queues are looked at in parallel
        (a channel answers one declaration at a time)."""
        async with self._amqp_lock:  # looked at in parallel: one connection, not one each
            if self._amqp is None or self._amqp.is_closed:
                self._amqp = await aio_pika.connect(self.config.amqp_url)
                self._channels.clear()
        channel = self._channels.get(service)
        if channel is None or channel.is_closed:
            channel = self._channels[service] = await self._amqp.channel()
        return channel

    async def close_clients(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        # Channels first, each awaited: closing only the connection leaves their close
        # callbacks pending when the event loop ends ("Task was destroyed but it is pending").
        for channel in self._channels.values():
            if not channel.is_closed:
                await channel.close()
        self._channels.clear()
        if self._amqp is not None:
            await self._amqp.close()
            self._amqp = None

    async def wind_down(self, still_s: float = 0.6) -> None:
        """Settle, then wait until nothing moves for ``still_s``: no event published and
        no timer fired anywhere (deliveries and digests run on timers, which ``settle``
        does not see). Used once, before the summary is read."""
        previous = None
        while True:
            await self.settle()
            counts = await asyncio.gather(
                *(self._counted(s, *_MOVEMENT[:2]) for s in self.processes)
            )
            if counts == previous:
                return
            previous = counts
            await asyncio.sleep(still_s)

    async def _counted(self, service: str, *names: str) -> float:
        """The sum of the series ``names`` of ``service``'s metrics."""
        return sum((await self._series(service, *names)).values())

    async def _series(self, service: str, *names: str) -> dict[str, float]:
        """Each of the series ``names`` of ``service``'s metrics, summed over its labels;
        only those are asked for (``name[]``), so the service renders a few lines, not its
        whole registry."""
        response = await self._operator(service).get(
            "/metrics", params=[("name[]", name) for name in names]
        )
        response.raise_for_status()
        sums = dict.fromkeys(names, 0.0)
        for line in response.text.splitlines():
            name, brace, _ = line.partition("{")
            if brace and name in sums:
                sums[name] += float(line.rsplit(" ", 1)[1])
        return sums

    async def _quiet(self, services: list[str]) -> tuple[float, ...] | None:
        """None while an outbox or a queue of ``services`` holds something; else their
        counts of events published, timers fired and events consumed (what moves when work
        is done). One request per service gives both its outbox and its counts: a look
        costs every service a request, and the looks were most of the demo's own CPU."""
        looks = await asyncio.gather(*(self._series(s, _OUTBOX, *_MOVEMENT) for s in services))
        if any(look[_OUTBOX] for look in looks):
            return None
        if not all(await asyncio.gather(*(self._queues_empty(s) for s in services))):
            return None
        return tuple(sum(look[name] for name in _MOVEMENT) for look in looks)

    async def _queues_empty(self, service: str) -> bool:
        """``service``'s queue and its retry queues hold no message."""
        channel = await self._queue_channel(service)
        names = [self.settings.name(service)]
        names += [self.settings.name(service, "retry", str(d)) for d in self.config.retry_delays_ms]
        for name in names:
            queue = await channel.declare_queue(name, passive=True)
            if queue.declaration_result.message_count:
                return False
        return True

    async def advance_clocks(self, seconds: float) -> None:
        """Move every service's simulated clock forward together (and fire due timers),
        once the whole system is quiet: a sink left working (``settle(leave_sinks=True)``)
        handles every event on the clock it would have had, so its timing does not change."""
        await self.settle()

        async def advance(service: str) -> None:
            # The step fires the timers that fell due inside the request (a week's digests
            # and deliveries): on a loaded machine that outlasts the clients' 30 s.
            response = await self._operator(service).post(
                "/admin/clock/advance", json={"seconds": seconds}, timeout=CLOCK_STEP_S
            )
            response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(advance(s) for s in self.processes))
        self.spent["clock steps"] += time.perf_counter() - started
