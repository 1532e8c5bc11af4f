"""Subscriber accounts on the real broker: a partner reads its own addressed events and
the public ones, and the broker itself refuses everything else."""

from __future__ import annotations

import shutil
import uuid
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused
from zroute_runtime.broker_access import (
    grant_with_rabbitmqctl,
    permissions_for,
    revoke_with_rabbitmqctl,
)

from tests.helpers import wait_for


def test_permissions_admit_public_keys_and_only_the_partners_own_addressed_keys():
    import re

    perms = permissions_for("care-a-system", partner_id="care-a")
    topic = re.compile(perms.topic_read)
    assert topic.match("intake.intake.completed")
    assert topic.match("support.referral.requested.care-a")
    assert not topic.match("support.referral.requested.care-b")
    assert not topic.match("support.referral.requested.care-a-evil")
    assert not topic.match("support.referral.requested.*")
    assert not topic.match("#")
    assert perms.topic_write == "^$"


def test_an_integrator_can_be_narrowed_to_some_public_events():
    import re

    perms = permissions_for("dashboard", public_keys=["planning.attendance.recorded"])
    topic = re.compile(perms.topic_read)
    assert topic.match("planning.attendance.recorded")
    assert not topic.match("intake.intake.completed")
    with pytest.raises(ValueError, match="not public"):
        permissions_for("dashboard", public_keys=["support.referral.requested"])


@pytest.fixture
def partner_account(amqp_url, name_prefix):
    if shutil.which("rabbitmqctl") is None:
        pytest.fail(
            "rabbitmqctl is needed to create broker users for this test "
            "(the Debian rabbitmq-server package; bash .ci/run installs it)"
        )
    user = f"zrt-{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    perms = permissions_for(user, partner_id="care-a", prefix=name_prefix)
    grant_with_rabbitmqctl(perms, password)
    parts = urlsplit(amqp_url)
    url = urlunsplit(
        parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port or 5672}")
    )
    yield perms, url
    revoke_with_rabbitmqctl(user)


async def test_the_broker_refuses_another_partners_events_and_wildcards(
    partner_account, amqp_connection, settings, janitor
):
    perms, url = partner_account
    admin = await amqp_connection.channel()
    exchange = await admin.declare_exchange(
        perms.exchange, aio_pika.ExchangeType.TOPIC, durable=True
    )
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(perms.queue_prefix + "inbox", exclusive=True)
        await queue.bind(perms.exchange, "support.referral.requested.care-a")
        await queue.bind(perms.exchange, "intake.intake.completed")
        for refused in ("support.referral.requested.care-b", "support.referral.requested.*", "#"):
            channel = await connection.channel()
            queue = await channel.get_queue(perms.queue_prefix + "inbox")
            with pytest.raises(ChannelAccessRefused):
                await queue.bind(perms.exchange, refused)
        channel = await connection.channel()
        with pytest.raises(ChannelAccessRefused):
            await channel.declare_queue("someone-elses-queue", exclusive=True)
        channel = await connection.channel(publisher_confirms=True)
        with pytest.raises(ChannelAccessRefused):
            ex = await channel.get_exchange(perms.exchange, ensure=False)
            await ex.publish(aio_pika.Message(b"forged"), "intake.intake.completed")

        # What is meant for it arrives; the other partner's event does not.
        channel = await connection.channel()
        queue = await channel.get_queue(perms.queue_prefix + "inbox")
        got = []

        async def on_message(message):
            got.append(message.routing_key)
            await message.ack()

        await queue.consume(on_message)
        await exchange.publish(aio_pika.Message(b"b"), "support.referral.requested.care-b")
        await exchange.publish(aio_pika.Message(b"a"), "support.referral.requested.care-a")
        await wait_for(lambda: got, what="the partner's own addressed event")
        assert got == ["support.referral.requested.care-a"]
    finally:
        await connection.close()


def test_a_partner_limited_to_municipalities_reads_public_events_only_per_municipality():
    import re

    perms = permissions_for("care-a-system", partner_id="care-a", municipalities=["GM0363"])
    main, municipal = re.compile(perms.topic_read), re.compile(perms.municipal_topic_read)
    assert not main.match("intake.intake.completed")  # no longer from the events exchange
    assert main.match("support.referral.requested.care-a")
    assert municipal.match("GM0363.intake.intake.completed")
    assert not municipal.match("GM0599.intake.intake.completed")
    assert not municipal.match("GM0363.support.referral.requested.care-a")
    assert not municipal.match("*.intake.intake.completed")
    with pytest.raises(ValueError, match="CBS codes"):
        permissions_for("x-system", municipalities=["0363"])


@pytest.fixture
def gm0363_partner_account(amqp_url, name_prefix):
    """The broker account of a partner that serves GM0363 only."""
    if shutil.which("rabbitmqctl") is None:
        pytest.fail("rabbitmqctl is needed to create broker users for this test")
    user, password = f"zrt-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    perms = permissions_for(user, partner_id="care-a", prefix=name_prefix,
                            municipalities=["GM0363"])  # fmt: skip
    grant_with_rabbitmqctl(perms, password)
    parts = urlsplit(amqp_url)
    url = urlunsplit(
        parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port or 5672}")
    )
    yield perms, url
    revoke_with_rabbitmqctl(user)


async def test_row13_a_partner_serving_only_gm0363_never_receives_gm0599s_events(
    gm0363_partner_account, pool, clock, amqp_connection, settings, janitor
):
    """Issue 12, row 13: the relay publishes each public event that names a municipality
    also under ``<GM code>.<key>``; the broker itself keeps the GM0363 partner's account
    to GM0363's copies, and refuses it the plain public keys and any wildcard."""
    from zroute_runtime.relay import OutboxRelay
    from zroute_runtime.topology import declare_exchange, open_channel
    from zroute_runtime.unit_of_work import UnitOfWork

    from tests.runtime.conftest import SOURCE
    from tests.runtime.probe import capture, registered

    perms, url = gm0363_partner_account
    janitor.exchanges.add(perms.municipal_exchange)
    admin = await open_channel(amqp_connection)
    await declare_exchange(admin, perms.exchange)
    await declare_exchange(admin, perms.municipal_exchange)
    await capture(amqp_connection, perms.exchange)  # the services' queues on the events exchange
    relay = OutboxRelay(pool, admin, exchange=perms.exchange, service="probe",
                        municipal_exchange=perms.municipal_exchange)  # fmt: skip
    key = "intake.participant.registered"
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(perms.queue_prefix + "gm0363", exclusive=True)
        await queue.bind(perms.municipal_exchange, f"GM0363.{key}")
        for exchange, refused in [
            (perms.exchange, key),
            (perms.municipal_exchange, f"GM0599.{key}"),
            (perms.municipal_exchange, f"*.{key}"),
            (perms.municipal_exchange, "#"),
        ]:
            channel = await connection.channel()
            queue = await channel.get_queue(perms.queue_prefix + "gm0363")
            with pytest.raises(ChannelAccessRefused):
                await queue.bind(exchange, refused)
        channel = await connection.channel()
        queue = await channel.get_queue(perms.queue_prefix + "gm0363")
        got: list[str] = []

        async def on_message(message):
            got.append(message.message_id)
            await message.ack()

        await queue.consume(on_message)
        ede = registered().model_copy(update={"municipality": "GM0599"})
        amsterdam = registered().model_copy(update={"municipality": "GM0363"})
        async with UnitOfWork(pool, source=SOURCE, clock=clock) as uow:
            uow.emit(ede)
            uow.emit(amsterdam)
            ede_id, amsterdam_id = await uow.commit()
        assert await relay.publish_pending() == 2
        await wait_for(lambda: got, what="GM0363's participant-registered")
        assert got == [amsterdam_id]  # GM0599's was published first and never arrived
        assert ede_id not in got
    finally:
        await connection.close()
