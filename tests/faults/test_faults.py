"""Fault injection at a small size: the four services as real processes, a stream of
participants through intake's HTTP API, and while it flows: SIGKILL of a consuming
service, SIGKILL of intake between commit and publish, a consumer's connection closed by
the broker, RabbitMQ restarted, PostgreSQL restarted. Then every database is reconciled
against the commands sent (``tests/faults/harness.py``, ``docs/fault-injection.md``).

The larger run, and the run on a three-node RabbitMQ cluster, is
``benchmarks/fault_injection.py``. ``ZROUTE_FAULTS_PARTICIPANTS`` sets the size here.

The suite runs on a PostgreSQL cluster and a RabbitMQ node of its own
(``tests/faults/servers.py``), started for the module on free ports and removed
afterwards: the broker and database restarts never touch the machine's shared servers,
which other test runs or a demo may be using. Each outage lasts a few seconds.

Stress mode: ``ZROUTE_FAULTS_STRESS=2`` runs two CPU-bound processes beside the run
(``ZROUTE_FAULTS_STRESS_S`` bounds their time; ``tests/faults/stress.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults import harness, stress
from tests.faults.servers import OwnPostgres, OwnRabbit

pytestmark = [pytest.mark.slow, pytest.mark.faults, pytest.mark.timeout(600)]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path / "services"


@dataclass
class OwnServers:
    postgres: OwnPostgres
    rabbit: OwnRabbit

    def settings(self, workdir: Path, **kwargs) -> harness.Settings:
        return harness.Settings(
            pg_admin_url=self.postgres.admin_url,
            amqp_url=self.rabbit.amqp_url,
            broker_nodes=[("127.0.0.1", self.rabbit.amqp_port)],
            workdir=workdir,
            broker_stop=self.rabbit.stop_command,
            broker_start=self.rabbit.start_command,
            database_restart=self.postgres.restart_command,
            rabbitmqctl=self.rabbit.ctl,
            **kwargs,
        )


@pytest.fixture(scope="module")
def own_servers() -> Iterator[OwnServers]:
    postgres, rabbit = OwnPostgres(), OwnRabbit()
    try:
        postgres.start()
        rabbit.start()
        yield OwnServers(postgres, rabbit)
    finally:
        try:
            rabbit.stop()
        finally:
            postgres.stop()


async def test_every_command_has_its_effect_once_in_every_service_through_faults(
    own_servers, workdir
):
    settings = own_servers.settings(
        workdir,
        participants=int(os.environ.get("ZROUTE_FAULTS_PARTICIPANTS", "20")),
        concurrency=4,
        faults=harness.SUITE_FAULTS,
    )
    with stress.from_env() as load:
        harness.log(f"stress: {load}")
        outcome = await harness.run(settings)
        alive = load.alive()
    report = harness.render(outcome)
    print(f"stress: {load}")
    print(report)  # shown with -s, and in the failure output

    assert alive == load.processes, "a stress process ended before the run did"
    assert outcome.report.problems == [], report
    assert outcome.report.lost == 0, report
    assert [f.name for f in outcome.faults] == list(harness.SUITE_FAULTS)
    assert outcome.held_event_ids, "the relay fault found no committed, unpublished event"
    assert not outcome.ledger.failed
    assert all(c.accepted for c in outcome.ledger.commands)
    assert len(outcome.ledger.completed) >= settings.participants
    # The exit status on SIGTERM is reported, not asserted: after a PostgreSQL restart a
    # service sometimes does not stop within 30 s (docs/fault-injection.md, "Findings").


async def test_a_consumer_keeps_going_when_its_publishing_connection_is_reconnecting(
    own_servers, workdir
):
    """Support's relay connection (named ``support-relay``, also the consumer's channel for
    retries and dead letters) is closed by the broker; a message support must dead-letter
    arrives while it reconnects (aio-pika waits 5 s). It must still end in the dead-letter
    queue, and support must go on consuming."""
    settings = own_servers.settings(workdir, faults=())
    services = harness.Services(settings)
    faults = harness.Faults(services, settings)
    try:
        await harness._declare_topology(settings)
        await services.start_all()
        ports = services.proxies["support"].upstream_ports()
        relay = [
            pid
            for pid, peer, props in await faults._connections()
            if peer in ports and "support-relay" in props
        ]
        assert len(relay) == 1
        await harness.sh(
            f"{settings.rabbitmqctl} close_connection {relay[0]!r} 'publishing connection cut'"
        )
        expected = await harness.publish_poison(settings)
        assert expected["support"]

        async def dead_lettered() -> bool:
            depths = await harness._dead_letter_depths(settings)
            return depths["support"] == len(expected["support"])

        await harness.wait_for(dead_lettered, timeout=20, what="support's dead letters")
    finally:
        await services.stop_all()
        await harness.cleanup(settings)
