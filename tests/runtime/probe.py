"""A minimal service and broker helpers used to test the runtime for real.

The probe service handles ``participant-registered``: it records one effect row per
event and re-emits nothing, so a test can count effects. A participant reference in
``FAILING`` makes the handler raise (to exercise retries), one in ``UNPROCESSABLE``
makes it refuse the event for good, one in ``AWAITING`` makes it wait for a predecessor
(``AwaitingPredecessor``) until the reference is taken out again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.types import new_participant_ref
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext, Unprocessable
from zroute_runtime.service import ServiceDefinition, ServiceRuntime
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from tests.contract.samples import sample_event
from tests.helpers import Capture, capture  # noqa: F401  (re-exported for the runtime tests)

MIGRATIONS = Path(__file__).parent / "probe_migrations"
FAILING: dict[str, int] = {}  # participant ref -> how many more times to fail
UNPROCESSABLE: set[str] = set()
AWAITING: set[str] = set()
# participant ref -> (entered, release): the handler signals it has started, then waits
BLOCKING: dict[str, tuple[asyncio.Event, asyncio.Event]] = {}


async def record_effect(event: ParticipantRegistered, ctx: HandlerContext) -> None:
    if event.participant_ref in UNPROCESSABLE:
        raise Unprocessable(f"unknown participant {event.participant_ref}")
    if event.participant_ref in AWAITING:
        raise AwaitingPredecessor(f"no predecessor yet for {event.participant_ref}")
    await ctx.uow.conn.execute(
        "INSERT INTO probe_effects (event_id, subject) VALUES ($1::uuid, $2)",
        ctx.envelope.id,
        event.participant_ref,
    )
    if event.participant_ref in BLOCKING:
        entered, release = BLOCKING[event.participant_ref]
        entered.set()
        await release.wait()
    if FAILING.get(event.participant_ref, 0) > 0:
        FAILING[event.participant_ref] -= 1
        raise RuntimeError("probe handler told to fail")


def timer_recorder(instance: str):
    async def on_timer(timer: DueTimer, uow: UnitOfWork) -> None:
        await uow.conn.execute(
            "INSERT INTO probe_timer_effects (timer_key, fired_by) VALUES ($1, $2)",
            timer.key,
            instance,
        )

    return on_timer


def probe_definition(instance: str = "a", *, consume: bool = True) -> ServiceDefinition:
    return ServiceDefinition(
        name="probe",
        handlers={ParticipantRegistered: [record_effect]} if consume else {},
        timer_handlers={"probe-reminder": timer_recorder(instance)},
        migrations=MIGRATIONS,
    )


def probe_settings(
    *, database_url: str, amqp_url: str, name_prefix: str, **overrides: Any
) -> ServiceSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "amqp_url": amqp_url,
        "name_prefix": name_prefix,
        "retry_delays_ms": [50, 100],
        "relay_poll_interval_s": 0.2,
        "timer_poll_interval_s": 0.2,
        "clock": "simulated",
        "clock_start": "2027-01-04T09:00:00+01:00",
        "http_port": 0,
        "auth_signing_key": "probe-signing-key-0123456789-0123456789",
        "log_json": False,
    }
    values.update(overrides)
    return ServiceSettings(**values)


def registered(ref: str | None = None) -> ParticipantRegistered:
    """A valid participant-registered event for ``ref`` (a fresh one by default)."""
    base = sample_event(ParticipantRegistered)
    return base.model_copy(update={"participant_ref": ref or new_participant_ref()})


async def start_probe(
    settings: ServiceSettings, instance: str = "a", *, databases: Any = None, **kwargs: Any
) -> ServiceRuntime:
    """Start a probe; with the run's ``databases`` (tests/conftest.py) its database is a
    copy of the probe's migrated template, and the start does not migrate it again."""
    runtime = ServiceRuntime(probe_definition(instance), settings)
    if databases is not None and await databases.provision(
        runtime.database_url, runtime.service, MIGRATIONS
    ):
        runtime.migrate = _already_migrated  # type: ignore[method-assign]
    await runtime.start(**({"http": False} | kwargs))
    return runtime


async def _already_migrated() -> None:
    """The probe's migrate step on a copy of its migrated template."""


Predicate = Callable[[], Any]
