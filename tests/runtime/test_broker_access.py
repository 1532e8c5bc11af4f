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
