"""An integrator outside Python reads our events: the Node.js example subscriber, run for
real with its own broker account, against events our relay publishes."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from zroute_contract.events.intake import IntakeCompleted
from zroute_contract.events.support import ReferralRequested
from zroute_contract.types import new_participant_ref
from zroute_runtime.broker_access import (
    grant_with_rabbitmqctl,
    permissions_for,
    revoke_with_rabbitmqctl,
)
from zroute_runtime.service import ServiceDefinition

from tests.contract.samples import sample_event
from tests.helpers import capture, wait_for
from tests.strict_formats import npm_install

EXAMPLE = Path(__file__).parents[2] / "deploy" / "subscribers" / "node"


@pytest.mark.slow
async def test_the_node_subscriber_reads_its_events_and_not_another_partners(
    services, amqp_url, name_prefix, amqp_connection
):
    npm_install()
    user = f"zrt-node-{uuid.uuid4().hex[:6]}"
    password = uuid.uuid4().hex
    perms = permissions_for(user, partner_id="care-a", prefix=name_prefix)
    grant_with_rabbitmqctl(perms, password)
    try:
        # A service whose outbox relay publishes the events, as in production.
        runtime = await services.start(ServiceDefinition(name="support"), http=False)
        parts = urlsplit(amqp_url)
        url = urlunsplit(
            parts._replace(netloc=f"{user}:{password}@{parts.hostname}:{parts.port or 5672}")
        )
        node = await asyncio.create_subprocess_exec(
            "node",
            "subscribe.js",
            cwd=EXAMPLE,
            env={
                **os.environ,
                "AMQP_URL": url,
                "EXCHANGE": perms.exchange,
                "QUEUE": perms.queue_prefix + "inbox",
                "COUNT": "2",
                "BINDINGS": "intake.intake.completed,support.referral.requested.care-a",
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert b"listening" in await asyncio.wait_for(node.stderr.readline(), 30)

        # Partner B's own queue, so its event is routable (and goes there, not to A).
        partner_b = await capture(
            amqp_connection, perms.exchange, "support.referral.requested.care-b"
        )
        ref = new_participant_ref()
        completed = sample_event(IntakeCompleted).model_copy(update={"participant_ref": ref})
        mine = sample_event(ReferralRequested).model_copy(
            update={"participant_ref": ref, "partner_id": "care-a"}
        )
        theirs = mine.model_copy(update={"partner_id": "care-b"})
        async with runtime.uow() as uow:
            uow.emit(theirs)  # first: it would arrive first if it arrived at all
            uow.emit(completed)
            uow.emit(mine)
            ids = await uow.commit()
        out, err = await asyncio.wait_for(node.communicate(), 60)
        assert node.returncode == 0, err.decode()
        lines = [json.loads(line) for line in out.decode().splitlines()]
        assert [line["id"] for line in lines] == ids[1:]
        assert [line["routing_key"] for line in lines] == [
            "intake.intake.completed",
            "support.referral.requested.care-a",
        ]
        assert all(line["subject"] == ref and not line["duplicate"] for line in lines)
        await wait_for(lambda: partner_b.messages, what="partner B's event in B's queue")
    finally:
        revoke_with_rabbitmqctl(user)
