"""A partner's credentials reach that partner's referrals only: over HTTP, and on the
broker, where its user's topic permissions admit its own addressed keys and public ones."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import aiormq
import pytest
from zroute_runtime.auth import Role

from tests.helpers import wait_for
from tests.support.integration.test_referrals import referred
from tests.support.scenario import Scenario


async def test_partner_staff_cannot_read_or_act_on_another_partners_referrals(scenario):
    await scenario.setup()
    _, requested = await referred(scenario, "care-a")
    rid = requested["data"]["referral_id"]
    care_a, care_b = scenario.partner("care-a"), scenario.partner("care-b")

    assert (await care_a.get(f"/referrals/{rid}")).status_code == 200
    assert (await care_b.get(f"/referrals/{rid}")).status_code in (403, 404)
    assert (await care_b.post(f"/referrals/{rid}/accept")).status_code in (403, 404)
    assert (await care_b.get("/referrals", params={"partner_id": "care-a"})).status_code == 403
    assert (await care_b.get("/referrals")).json() == []
    assert [r["referral_id"] for r in (await care_a.get("/referrals")).json()] == [rid]
    coordinator = (await scenario.client(Role.COORDINATOR).get("/referrals")).json()
    assert [r["referral_id"] for r in coordinator] == [rid]
    assert (
        await scenario.client().get("/referrals", headers={"Authorization": ""})
    ).status_code == 401


async def rabbitmqctl(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl", "-q", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.fixture
async def partner_a_user(support, amqp_url, janitor):
    """A broker user for partner care-a, admitted to its own queue and, for topics, to keys
    ending in ``.care-a`` plus public (three-word) keys."""
    user, password = f"zrt-care-a-{uuid.uuid4().hex[:8]}", secrets.token_hex(16)
    prefix = support.settings.name_prefix
    own_queue = f"{prefix}.partner.care-a"
    exchange = support.topology.exchange
    await rabbitmqctl("add_user", user, password)
    try:
        await rabbitmqctl(
            "set_permissions", "-p", "/", user,
            f"^{own_queue}$", f"^{own_queue}$", f"^({exchange}|{own_queue})$",
        )  # fmt: skip
        public = r"[a-z][a-z-]*\.[a-z][a-z-]*\.[a-z][a-z-]*"
        await rabbitmqctl(
            "set_topic_permissions", "-p", "/", user, exchange,  # a name, not a pattern
            "^$", f"^({public}|{public}\\.care-a)$",
        )  # fmt: skip
        janitor.queues.add(own_queue)
        parts = urlsplit(amqp_url)
        url = urlunsplit(
            parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port or 5672}")
        )
        yield url, own_queue
    finally:
        await rabbitmqctl("delete_user", user)


async def test_a_partners_broker_user_cannot_bind_another_partners_addressed_key(
    scenario: Scenario, partner_a_user
):
    url, own_queue = partner_a_user
    exchange_name = scenario.runtime.topology.exchange
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        exchange = await channel.get_exchange(exchange_name, ensure=False)
        queue = await channel.declare_queue(own_queue, durable=True)
        await queue.bind(exchange, "support.referral.requested.care-a")  # its own: admitted
        await queue.bind(exchange, "support.referral.accepted")  # public: admitted
        for forbidden in ("support.referral.requested.care-b", "support.referral.requested.*", "#"):
            with pytest.raises(aiormq.exceptions.ChannelAccessRefused, match="ACCESS_REFUSED"):
                await queue.bind(exchange, forbidden)
            channel = await connection.channel()  # a refusal closes the channel
            exchange = await channel.get_exchange(exchange_name, ensure=False)
            queue = await channel.declare_queue(own_queue, durable=True, passive=True)
        # what it is admitted to carries its own referrals only
        await scenario.setup()
        await referred(scenario, "care-a")
        ref = await scenario.participant()
        consent = await scenario.consent(ref)
        sent = await scenario.client(Role.CASEWORKER).post(
            "/referrals",
            json={"participant_ref": ref, "category": "mental_health_care",
                  "severity": "light", "consent_id": str(consent), "partner_id": "care-b"},
        )  # fmt: skip
        assert sent.status_code == 201, sent.text
        await wait_for(
            lambda: "support.referral.requested.care-b" in scenario.seen.routing_keys(),
            what="the referral to care-b published",
        )
        received: list[str] = []

        async def own_referral_arrived() -> bool:
            while (message := await queue.get(fail=False)) is not None:
                await message.ack()
                received.append(message.routing_key)
            return "support.referral.requested.care-a" in received

        await wait_for(own_referral_arrived, what="care-a's referral in care-a's queue")
        assert not [key for key in received if key.endswith(".care-b")]
    finally:
        await connection.close()
