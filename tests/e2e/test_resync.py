"""Resynchronisation (issue 13): a subscriber that misses events sees the gap in
``sequence``, reads what it missed from the owning service's event feed
(``GET /events?after=<sequence>``) and the current state through each event's
``dataref``, and ends in the same state as a subscriber that missed nothing.

Planning runs in-process with its HTTP API; the test plays intake on the bus.
"""

from __future__ import annotations

import json

import aio_pika
import httpx
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.conformance.scenarios import (
    _intake_completed,
    _pip_established,
    _registered,
)
from zroute_contract.envelope import CONTENT_TYPE, build_event
from zroute_contract.types import new_participant_ref
from zroute_planning import bootstrap
from zroute_planning.settings import Settings
from zroute_runtime.auth import Role

from tests.helpers import capture, free_port, token, wait_for

INTAKE = "urn:nld:oin:00000001002220647000:systeem:zroute-intake"
PARTICIPANTS = 4


def state(events: list[dict]) -> dict[str, list[tuple[int, str]]]:
    """What a subscriber knows: per participant, the events in sequence order."""
    known: dict[str, list[tuple[int, str]]] = {}
    for event in sorted({e["id"]: e for e in events}.values(), key=lambda e: e["sequence"]):
        known.setdefault(event.get("subject") or "", []).append(
            (int(event["sequence"]), event["type"])
        )
    return known


def gaps(events: list[dict], after: int = 0) -> list[int]:
    """The sequence numbers a subscriber that last saw ``after`` is missing."""
    seen = sorted({int(e["sequence"]) for e in events})
    return sorted(set(range(after + 1, (seen[-1] if seen else after) + 1)) - set(seen))


async def read_feed(http: httpx.AsyncClient, after: int, headers: dict) -> list[dict]:
    """Every published event after ``after``, page by page."""
    events = []
    while True:
        page = await http.get("/events", params={"after": after, "limit": 5}, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        events += body["events"]
        assert body["withheld"] == []  # planning addresses nothing to one partner
        after = body["next_after"]
        if not body["more"]:
            return events


async def test_a_subscriber_that_missed_events_resyncs_to_the_same_state(
    services, amqp_connection, name_prefix
):
    port = free_port()
    settings = services.settings(
        Settings, http_port=port, public_base_url=f"http://127.0.0.1:{port}"
    )
    runtime = await services.start(bootstrap.definition(settings), settings)
    exchange_name = runtime.topology.exchange
    complete = await capture(amqp_connection, exchange_name, "planning.#")
    lossy = await capture(amqp_connection, exchange_name, "planning.#")

    # Intake's part: participants registered, their intakes completed and PIPs established.
    builder = SampleBuilder()
    channel = await amqp_connection.channel()
    exchange = await channel.get_exchange(exchange_name)
    refs = [new_participant_ref() for _ in range(PARTICIPANTS)]
    number = 0
    for ref in refs:
        for payload in (
            _registered(builder, ref, "resync-programme"),
            _intake_completed(builder, ref, "resync-programme"),
            _pip_established(builder, ref, "resync-programme"),
        ):
            number += 1
            event = build_event(
                payload,
                source=INTAKE,
                sequence=number,
                correlation_id=f"resync-{number}",
                subject=ref,
            )
            await exchange.publish(
                aio_pika.Message(event.to_json(), message_id=event.id, content_type=CONTENT_TYPE),
                routing_key=payload.routing_key(),
            )

    reader = {"Authorization": f"Bearer {token([Role.COORDINATOR])}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:

        async def everything_published():
            plans = {
                json.loads(m.body)["subject"]
                for m in complete.messages
                if json.loads(m.body)["type"] == "nl.zroute.planning.plan-activated.v1"
            }
            if plans != set(refs):
                return False
            feed = await read_feed(http, 0, reader)
            return {e["id"] for e in feed} == {json.loads(m.body)["id"] for m in complete.messages}

        await wait_for(
            everything_published, timeout=30, what="every plan published and in the feed"
        )

        everything = [json.loads(m.body) for m in complete.messages]
        assert len(everything) >= 2 * PARTICIPANTS
        # Every event about a record carries a dataref into planning's API.
        assert all(e.get("dataref", "").startswith(f"http://127.0.0.1:{port}/") for e in everything)

        # The lossy subscriber misses every third event, and the very last one.
        received = [json.loads(m.body) for m in lossy.messages]
        assert {e["id"] for e in received} == {e["id"] for e in everything}
        ordered = sorted(received, key=lambda e: e["sequence"])
        kept = [e for i, e in enumerate(ordered[:-1]) if i % 3 != 1]
        missing = gaps(kept)
        assert missing, "the subscriber should see a gap"
        # (The very last event is missed without a visible gap: a subscriber reads on
        # from its last number anyway, as below.)

        # Resync: everything after the last number before the first gap.
        last_good = missing[0] - 1
        fetched = await read_feed(http, last_good, reader)
        resynced = kept + fetched
        assert gaps(resynced) == []
        assert state(resynced) == state(everything)

        # And the current state of each record through dataref: the same for both.
        async def current(events: list[dict]) -> dict[str, dict]:
            latest = {}
            for event in sorted(events, key=lambda e: e["sequence"]):
                latest[event["dataref"]] = event
            found = {}
            for url in sorted(latest):
                answer = await http.get(url, headers=reader)
                assert answer.status_code == 200, (url, answer.text)
                found[url] = answer.json()
            return found

        assert await current(resynced) == await current(everything)

        # The feed by time, and who may read it.
        middle = sorted(everything, key=lambda e: e["sequence"])[len(everything) // 2]
        since = await http.get("/events", params={"since": middle["time"]}, headers=reader)
        assert since.status_code == 200
        assert {e["id"] for e in since.json()["events"]} >= {
            e["id"] for e in everything if e["time"] >= middle["time"]
        }
        for who in (
            token([Role.PARTNER_STAFF], partner_id="language-school"),
            token([Role.COORDINATOR], municipality="GM0363"),
        ):
            refused = await http.get("/events", headers={"Authorization": f"Bearer {who}"})
            assert refused.status_code == 403, refused.text
        assert (await http.get("/events")).status_code == 401
