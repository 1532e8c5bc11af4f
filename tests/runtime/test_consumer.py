"""Consuming for real: dedupe, retries with delay, dead letters with their reason."""

from __future__ import annotations

import json

import aio_pika
import pytest
from zroute_contract.envelope import build_event
from zroute_runtime.consumer import (
    REASON_CODE_HEADER,
    REASON_HEADER,
    REASON_KIND_HEADER,
    REASON_PARAMS_HEADER,
    RETRIES_HEADER,
    WAITS_HEADER,
)

from tests.helpers import wait_for
from tests.runtime.conftest import SOURCE
from tests.runtime.probe import AWAITING, FAILING, UNPROCESSABLE, registered, start_probe
from tests.runtime.test_logging import captured_logs, json_lines

ROUTING_KEY = "intake.participant.registered"


@pytest.fixture
async def probe(settings, databases):
    runtime = await start_probe(settings, databases=databases)
    yield runtime
    await runtime.stop()


async def send(
    connection,
    settings,
    body: bytes,
    *,
    message_id: str | None = None,
    routing_key: str = ROUTING_KEY,
) -> None:
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(settings.exchange_name)
    await exchange.publish(aio_pika.Message(body, message_id=message_id), routing_key=routing_key)
    await channel.close()


def event_body(payload, sequence: int = 1, event_id: str | None = None) -> tuple[str, bytes]:
    envelope = build_event(
        payload,
        source=SOURCE,
        sequence=sequence,
        correlation_id="c-test",
        subject=payload.participant_ref,
        event_id=event_id,
    )
    return envelope.id, envelope.to_json()


async def effects(runtime, ref: str) -> int:
    return await runtime.pool.fetchval("SELECT count(*) FROM probe_effects WHERE subject = $1", ref)


async def dead_letters(connection, settings) -> list[aio_pika.abc.AbstractIncomingMessage]:
    channel = await connection.channel()
    queue = await channel.get_queue(settings.name("probe", "dead-letter"))
    found = []
    while (message := await queue.get(fail=False)) is not None:
        await message.ack()
        found.append(message)
    await channel.close()
    return found


async def wait_for_dead_letters(connection, settings, count: int):
    collected: list = []

    async def enough():
        collected.extend(await dead_letters(connection, settings))
        return len(collected) >= count

    await wait_for(enough, what=f"{count} dead letter(s)")
    return collected


async def test_a_redelivered_event_has_no_second_effect(probe, amqp_connection, settings):
    event = registered()
    event_id, body = event_body(event)
    await send(amqp_connection, settings, body, message_id=event_id)
    await send(amqp_connection, settings, body, message_id=event_id)
    # A later event on the same queue: once it is handled, the duplicate was too.
    sentinel = registered()
    await send(amqp_connection, settings, event_body(sentinel, 2)[1])
    await wait_for(lambda: effects(probe, sentinel.participant_ref), what="the sentinel")
    assert await effects(probe, event.participant_ref) == 1
    inbox = await probe.pool.fetchval(
        "SELECT count(*) FROM zr_inbox WHERE event_id = $1::uuid", event_id
    )
    assert inbox == 1


async def test_each_handled_and_each_duplicate_event_has_its_log_line_and_its_series(
    probe, amqp_connection, settings
):
    """One line per event with its ids (from the event context bound around it), and the
    consumed counter and handling histogram per type and outcome (their series looked up
    once per type, issue 20), also for a duplicate and for a type seen again."""
    with captured_logs() as buffer:
        event, sentinel = registered(), registered()
        event_id, body = event_body(event)
        await send(amqp_connection, settings, body, message_id=event_id)
        await send(amqp_connection, settings, body, message_id=event_id)
        sentinel_id, sentinel_body = event_body(sentinel, 2)
        await send(amqp_connection, settings, sentinel_body)
        await wait_for(lambda: effects(probe, sentinel.participant_ref), what="the sentinel")
        # The line follows the commit and the ack: wait for it too.
        await wait_for(
            lambda: any(
                line.get("event_id") == sentinel_id and line["event"] == "event_handled"
                for line in json_lines(buffer)
            ),
            what="the sentinel's line",
        )
        lines = [
            line
            for line in json_lines(buffer)
            if line["event"] in ("event_handled", "event_duplicate_ignored")
        ]
    event_type = type(event).spec.type
    assert [(line["event"], line["event_id"]) for line in lines] == [
        ("event_handled", event_id),
        ("event_duplicate_ignored", event_id),
        ("event_handled", sentinel_id),
    ]
    assert all(
        line["event_type"] == event_type and line["correlation_id"] == "c-test" for line in lines
    )
    metrics = probe.metrics
    consumed = metrics.events_consumed.labels(service="probe", type=event_type, outcome="handled")
    duplicate = metrics.events_consumed.labels(
        service="probe", type=event_type, outcome="duplicate"
    )
    assert consumed._value.get() == 2 and duplicate._value.get() == 1
    handled_time = metrics.registry.get_sample_value(
        "zroute_event_handle_duration_seconds_count", {"service": "probe", "type": event_type}
    )
    assert handled_time == 3


@pytest.mark.parametrize(
    ("body", "kind", "reason_part"),
    [
        (b"{not json", "invalid", "body is not JSON"),
        (b'["a", "list"]', "invalid", "not a JSON object"),
        (json.dumps({"specversion": "1.0", "id": "x"}).encode(), "invalid", "envelope invalid"),
    ],
)
async def test_a_message_that_fails_validation_is_dead_lettered_at_once_with_its_reason(
    probe, amqp_connection, settings, body, kind, reason_part
):
    await send(amqp_connection, settings, body)
    [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
    assert dead.body == body  # kept as it came, so it can be inspected and replayed
    assert dead.headers[REASON_KIND_HEADER] == kind
    assert reason_part in dead.headers[REASON_HEADER]
    assert RETRIES_HEADER not in dead.headers
    # and the consumer keeps running
    after = registered()
    await send(amqp_connection, settings, event_body(after)[1])
    await wait_for(lambda: effects(probe, after.participant_ref), what="the next event")


async def test_invalid_data_is_dead_lettered_naming_the_field_but_not_the_value(
    probe, amqp_connection, settings
):
    _, body = event_body(registered())
    raw = json.loads(body)
    raw["data"]["participant_ref"] = "123456782"  # a BSN-shaped value where a ref belongs
    await send(amqp_connection, settings, json.dumps(raw).encode())
    [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
    reason = dead.headers[REASON_HEADER]
    assert "data.participant_ref" in reason
    assert "123456782" not in reason


async def test_an_event_type_the_service_does_not_handle_is_dead_lettered(
    probe, amqp_connection, settings
):
    from tests.contract.samples import all_samples

    other = next(
        s
        for s in all_samples()
        if s.spec.type != registered().spec.type and not s.spec.addressed_by
    )
    envelope = build_event(
        other,
        source=SOURCE,
        sequence=1,
        correlation_id="c",
        subject=getattr(other, "participant_ref", None),
    )
    # published with the key the probe is bound to: wrongly routed
    await send(amqp_connection, settings, envelope.to_json())
    [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
    assert dead.headers[REASON_KIND_HEADER] == "unexpected-type"
    assert other.spec.type in dead.headers[REASON_HEADER]
    # the code and its parameters, for a screen to word in the reader's language
    assert dead.headers[REASON_CODE_HEADER] == "no_handler"
    assert json.loads(dead.headers[REASON_PARAMS_HEADER]) == {"event_type": other.spec.type}


async def test_a_failing_handler_is_retried_with_delay_then_dead_lettered(
    probe, amqp_connection, settings
):
    event = registered()
    FAILING[event.participant_ref] = 99
    event_id, body = event_body(event)
    await send(amqp_connection, settings, body, message_id=event_id)
    [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
    assert dead.headers[REASON_KIND_HEADER] == "retries-exhausted"
    assert "after 3 attempts" in dead.headers[REASON_HEADER]
    assert "RuntimeError: probe handler told to fail" in dead.headers[REASON_HEADER]
    assert dead.headers[REASON_CODE_HEADER] == "handler_failed"
    assert json.loads(dead.headers[REASON_PARAMS_HEADER]) == {"attempts": 3}
    assert dead.headers[RETRIES_HEADER] == 2
    assert dead.headers["x-zroute-routing-key"] == ROUTING_KEY
    assert FAILING[event.participant_ref] == 99 - 3  # one first try and two retries
    assert await effects(probe, event.participant_ref) == 0  # every attempt rolled back
    assert await probe.pool.fetchval("SELECT count(*) FROM zr_inbox") == 0


async def test_a_handler_that_fails_once_succeeds_on_retry_with_one_effect(
    probe, amqp_connection, settings
):
    event = registered()
    FAILING[event.participant_ref] = 1
    await send(amqp_connection, settings, event_body(event)[1])
    await wait_for(lambda: effects(probe, event.participant_ref), what="the retried effect")
    assert await effects(probe, event.participant_ref) == 1
    assert await dead_letters(amqp_connection, settings) == []


async def test_an_unprocessable_event_is_dead_lettered_without_retries(
    probe, amqp_connection, settings
):
    event = registered()
    UNPROCESSABLE.add(event.participant_ref)
    await send(amqp_connection, settings, event_body(event)[1])
    [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
    assert dead.headers[REASON_KIND_HEADER] == "unprocessable"
    assert dead.headers[REASON_HEADER] == f"unknown participant {event.participant_ref}"


def awaiting_count(runtime) -> float:
    return sum(
        sample.value
        for metric in runtime.metrics.events_consumed.collect()
        for sample in metric.samples
        if sample.labels.get("outcome") == "awaiting_predecessor" and sample.name.endswith("_total")
    )


async def test_an_event_awaiting_its_predecessor_takes_effect_once_it_lands_with_retries_intact(
    probe, amqp_connection, settings
):
    event = registered()
    AWAITING.add(event.participant_ref)
    # Two failures besides the wait: only possible when waiting used up no retries.
    FAILING[event.participant_ref] = len(settings.retry_delays_ms)
    await send(amqp_connection, settings, event_body(event)[1])
    await wait_for(lambda: awaiting_count(probe) >= 4, what="four waits")
    AWAITING.discard(event.participant_ref)  # the predecessor has landed
    await wait_for(lambda: effects(probe, event.participant_ref), what="the effect after the wait")
    assert await effects(probe, event.participant_ref) == 1
    assert await dead_letters(amqp_connection, settings) == []


async def test_an_event_whose_predecessor_never_comes_is_dead_lettered_after_the_wait(
    amqp_connection, settings
):
    runtime = await start_probe(settings.model_copy(update={"predecessor_wait_s": 0.6}))
    try:
        event = registered()
        AWAITING.add(event.participant_ref)
        await send(amqp_connection, settings, event_body(event)[1])
        [dead] = await wait_for_dead_letters(amqp_connection, settings, 1)
        assert await effects(runtime, event.participant_ref) == 0
    finally:
        await runtime.stop()
    assert dead.headers[REASON_KIND_HEADER] == "predecessor-missing"
    reason = dead.headers[REASON_HEADER]
    assert reason.startswith(f"no predecessor yet for {event.participant_ref}: its predecessor")
    assert "limit 0.6 s" in reason
    assert int(dead.headers[WAITS_HEADER]) >= 2
    assert RETRIES_HEADER not in dead.headers


async def test_stopping_the_service_finishes_the_message_in_hand(amqp_connection, settings):
    import asyncio

    from tests.runtime.probe import BLOCKING

    runtime = await start_probe(settings)
    event = registered()
    entered, release = asyncio.Event(), asyncio.Event()
    BLOCKING[event.participant_ref] = (entered, release)
    await send(amqp_connection, settings, event_body(event)[1])
    await asyncio.wait_for(entered.wait(), 15)  # the handler is mid-way
    stopping = asyncio.create_task(runtime.stop())
    await wait_for(lambda: runtime.stopping, what="shutdown to begin")
    later = registered()  # arrives while shutting down: must be left for the next instance
    later_body = event_body(later)[1]
    await send(amqp_connection, settings, later_body)
    assert not stopping.done()  # shutdown waits for the handler in hand
    release.set()
    await asyncio.wait_for(stopping, 30)
    # The effect committed and the message was acked: nothing left to redeliver.
    conn = await asyncpg_connect(runtime)
    try:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM probe_effects WHERE subject = $1", event.participant_ref
            )
            == 1
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM probe_effects WHERE subject = $1", later.participant_ref
            )
            == 0
        )
    finally:
        await conn.close()
    # Only the later one is left, intact. If it had been pushed to the stopping consumer, the
    # quorum queue takes it back when that connection closes, a moment after close-ok.
    channel = await amqp_connection.channel()

    async def only_the_later_one_waits() -> bool:
        queue = await channel.declare_queue(settings.name("probe"), passive=True)
        return queue.declaration_result.message_count == 1

    await wait_for(only_the_later_one_waits, what="the later message back in the queue")
    message = await (await channel.get_queue(settings.name("probe"))).get(no_ack=True)
    assert message.body == later_body


async def asyncpg_connect(runtime):
    import asyncpg

    return await asyncpg.connect(runtime.database_url)


async def test_a_dead_letter_replayed_after_the_fix_has_its_effect_once(
    probe, amqp_connection, settings
):
    from zroute_runtime.deadletters import list_dead_letters, replay

    event = registered()
    FAILING[event.participant_ref] = 99
    event_id, body = event_body(event)
    await send(amqp_connection, settings, body, message_id=event_id)

    async def listed():
        return await list_dead_letters(amqp_connection, settings, "probe")

    [letter] = await wait_for(listed, what="the dead letter to be listed")
    assert letter.message_id == event_id
    assert letter.reason_kind == "retries-exhausted"
    assert letter.routing_key == ROUTING_KEY
    assert await listed() == [letter]  # listing leaves it in place

    FAILING[event.participant_ref] = 0  # the fix
    assert await replay(amqp_connection, settings, "probe") == [event_id]
    await wait_for(lambda: effects(probe, event.participant_ref), what="the replayed effect")
    assert await listed() == []
    # Replaying it again (say, by mistake) has no second effect.
    await send(amqp_connection, settings, body, message_id=event_id)
    sentinel = registered()
    await send(amqp_connection, settings, event_body(sentinel, 2)[1])
    await wait_for(lambda: effects(probe, sentinel.participant_ref), what="the sentinel")
    assert await effects(probe, event.participant_ref) == 1
