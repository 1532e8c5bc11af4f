"""Personal data: encrypted at rest, read only with a purpose and logged, erased after the
retention period that starts when the route ends, leaving the pseudonymous history."""

from __future__ import annotations

from datetime import timedelta

import aio_pika
from zroute_contract.envelope import build_event
from zroute_contract.events.planning import RouteCompleted
from zroute_runtime.consumer import REASON_HEADER, REASON_KIND_HEADER

from tests.contract.samples import sample_event
from tests.helpers import wait_for
from tests.intake import builders
from tests.intake.conftest import RETENTION_DAYS
from tests.intake.integration.flow import complete, ok

PLANNING = "urn:nld:oin:00000001002220647000:systeem:zroute-planning"


def identifiers(body: dict) -> list[str]:
    address = body["address"]
    return [
        body["bsn"], body["given_names"], body["family_name"], body["phone"],
        address["street"], address["postal_code"], address["city"],
    ]  # fmt: skip


async def registered(client) -> tuple[str, dict]:
    body = builders.registration()
    return ok(await client.post("/participants", json=body), 201)["participant_ref"], body


async def test_personal_data_is_returned_only_with_a_purpose_and_every_read_is_logged(client):
    ref, body = await registered(client)
    plain = ok(await client.get(f"/participants/{ref}"))
    assert plain["personal_data"] is None
    assert ok(await client.get(f"/participants/{ref}/access-log")) == []

    by_query = ok(await client.get(f"/participants/{ref}", params={"purpose": "pip_drafting"}))
    assert by_query["personal_data"]["bsn"] == body["bsn"]
    assert by_query["personal_data"]["city"] == body["address"]["city"]
    by_header = ok(
        await client.get(
            f"/participants/{ref}", headers={"X-Access-Purpose": "contact_participant"}
        )
    )
    assert by_header["personal_data"]["family_name"] == body["family_name"]

    log = ok(await client.get(f"/participants/{ref}/access-log"))
    assert [entry["purpose"] for entry in log] == ["contact_participant", "pip_drafting"]
    assert {entry["actor"] for entry in log} == {"caseworker-anna"}
    assert all(entry["accessed_at"] and "bsn" in entry["fields"] for entry in log)
    unknown = await client.get(f"/participants/{ref}", params={"purpose": "curiosity"})
    assert unknown.status_code == 422
    assert len(ok(await client.get(f"/participants/{ref}/access-log"))) == 2


async def test_personal_data_is_encrypted_at_rest_and_found_again_by_keyed_hash(intake, client):
    ref, body = await registered(client)
    row = await intake.pool.fetchval(
        "SELECT row_to_json(p)::text FROM intake_participants p WHERE ref = $1", ref
    )
    raw = await intake.pool.fetchrow(
        "SELECT bsn_hash, bsn_encrypted, personal_encrypted FROM intake_participants"
        " WHERE ref = $1",
        ref,
    )
    stored = row.encode() + b"".join(raw.values())
    for value in identifiers(body):
        assert value.encode() not in stored
    assert len(raw["bsn_hash"]) == 32
    duplicate = await client.post("/participants", json=builders.registration(bsn=body["bsn"]))
    assert duplicate.status_code == 409 and ref in duplicate.json()["error"]


async def test_withdrawal_erases_personal_data_once_the_retention_period_has_passed(intake, client):
    ref, body = await registered(client)
    await complete(client, intake, ref)
    ok(await client.post(
        f"/participants/{ref}/withdrawal", json={"reason": "moved", "effective_on": builders.day(8)}
    ))  # fmt: skip

    await intake.advance_clock(timedelta(days=RETENTION_DAYS - 1))
    still = ok(await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"}))
    assert still["personal_data"]["bsn"] == body["bsn"]

    await intake.advance_clock(timedelta(days=2))
    await wait_for(lambda: erased(intake, ref), what="the erasure")
    await assert_erased_with_history_kept(intake, client, ref, body, status="withdrawn")


async def test_route_completion_starts_the_retention_period(intake, client, amqp_connection):
    ref, body = await registered(client)
    await complete(client, intake, ref)
    completed_on = intake.clock.now().date()
    await publish_route_completed(amqp_connection, intake, ref, completed_on)

    async def route_completed():
        status = await intake.pool.fetchval(
            "SELECT status FROM intake_participants WHERE ref = $1", ref
        )
        return status == "route_completed"

    await wait_for(route_completed, what="the route completion to be recorded")
    await intake.advance_clock(timedelta(days=RETENTION_DAYS + 1))
    await wait_for(lambda: erased(intake, ref), what="the erasure")
    await assert_erased_with_history_kept(intake, client, ref, body, status="route_completed")


async def test_a_route_completion_for_an_unknown_participant_is_dead_lettered(
    intake, amqp_connection
):
    unknown = "zr-" + "f" * 32
    await publish_route_completed(amqp_connection, intake, unknown, intake.clock.now().date())
    channel = await amqp_connection.channel()
    queue = await channel.get_queue(intake.topology.dead_letter_queue)
    message = await wait_for(lambda: queue.get(fail=False), what="the dead letter")
    await message.ack()
    await channel.close()
    assert message.headers[REASON_HEADER] == f"unknown participant {unknown}"
    assert message.headers[REASON_KIND_HEADER] == "unprocessable"


async def publish_route_completed(amqp_connection, intake, ref: str, completed_on) -> None:
    """Planning's event, as planning would publish it."""
    event = sample_event(RouteCompleted, participant_ref=ref, completed_on=completed_on)
    envelope = build_event(event, source=PLANNING, sequence=1, correlation_id="c-r", subject=ref)
    channel = await amqp_connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(intake.topology.exchange)
    await exchange.publish(
        aio_pika.Message(envelope.to_json(), message_id=envelope.id),
        routing_key=event.routing_key(),
    )
    await channel.close()


async def erased(intake, ref: str) -> bool:
    return await intake.pool.fetchval(
        "SELECT erased_at IS NOT NULL FROM intake_participants WHERE ref = $1", ref
    )


async def assert_erased_with_history_kept(intake, client, ref, body, *, status) -> None:
    row = await intake.pool.fetchrow(
        "SELECT bsn_hash, bsn_encrypted, personal_encrypted FROM intake_participants"
        " WHERE ref = $1",
        ref,
    )
    assert list(row.values()) == [None, None, None]
    gone = await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"})
    assert gone.status_code == 410
    record = ok(await client.get(f"/participants/{ref}"))
    assert record["status"] == status and record["personal_data_erased"] is True
    assert record["intake"]["outcome"]["outcome"]["route"] == "z_route"
    assert record["contact_person"]["contact"]["staff_ref"] == "caseworker-anna"
    events = await intake.pool.fetchval(
        "SELECT count(*) FROM zr_outbox WHERE body LIKE '%' || $1 || '%'", ref
    )
    assert events >= 4  # the pseudonymous history stays
