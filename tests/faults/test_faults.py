"""Fault injection at a small size: the four services as real processes, a stream of
participants through intake's HTTP API, and while it flows: SIGKILL of a consuming
service, SIGKILL of intake between commit and publish, a consumer's connection closed by
the broker, RabbitMQ restarted, PostgreSQL restarted. Then every database is reconciled
against the commands sent (``tests/faults/harness.py``, ``docs/fault-injection.md``).

The larger run, and the run on a three-node RabbitMQ cluster, is
``benchmarks/fault_injection.py``. ``ZROUTE_FAULTS_PARTICIPANTS`` sets the size here.

The broker and database restarts restart the servers the tests use (the local Debian
services; ``ZROUTE_FAULTS_BROKER_STOP`` / ``_BROKER_START`` / ``_DATABASE_RESTART`` name
other commands). Each outage lasts a few seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults import harness

pytestmark = [pytest.mark.slow, pytest.mark.faults, pytest.mark.timeout(600)]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path / "services"


async def test_every_command_has_its_effect_once_in_every_service_through_faults(
    pg_admin_url, amqp_url, workdir
):
    host, port = harness.urlsplit(amqp_url).hostname, harness.urlsplit(amqp_url).port or 5672
    settings = harness.Settings(
        pg_admin_url=pg_admin_url,
        amqp_url=amqp_url,
        broker_nodes=[(host or "127.0.0.1", port)],
        workdir=workdir,
        participants=int(os.environ.get("ZROUTE_FAULTS_PARTICIPANTS", "20")),
        concurrency=4,
        faults=harness.SUITE_FAULTS,
    )
    outcome = await harness.run(settings)
    report = harness.render(outcome)
    print(report)  # shown with -s, and in the failure output

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
    pg_admin_url, amqp_url, workdir
):
    """Support's relay connection (named ``support-relay``, also the consumer's channel for
    retries and dead letters) is closed by the broker; a message support must dead-letter
    arrives while it reconnects (aio-pika waits 5 s). It must still end in the dead-letter
    queue, and support must go on consuming."""
    host, port = harness.urlsplit(amqp_url).hostname, harness.urlsplit(amqp_url).port or 5672
    settings = harness.Settings(
        pg_admin_url=pg_admin_url,
        amqp_url=amqp_url,
        broker_nodes=[(host or "127.0.0.1", port)],
        workdir=workdir,
        faults=(),
    )
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
        await harness.sh(f"rabbitmqctl close_connection {relay[0]!r} 'publishing connection cut'")
        expected = await harness.publish_poison(settings)
        assert expected["support"]

        async def dead_lettered() -> bool:
            depths = await harness._dead_letter_depths(settings)
            return depths["support"] == len(expected["support"])

        await harness.wait_for(dead_lettered, timeout=20, what="support's dead letters")
    finally:
        await services.stop_all()
        await harness.cleanup(settings)
