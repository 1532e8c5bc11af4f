"""Deliveries ready at the same time are handled in one transaction (consumer.py, step 5),
and a batch in which anything goes wrong comes out as if each event had been alone.

How a batch is made certain here, without timing: two events whose handlers block
(``BLOCKING``) take both of the consumer's transactions; the events sent after them pile
up, ready, until the two are released; then they go in one batch. Which transaction
wrote a row is its ``xmin``: rows of one transaction share it.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from zroute_runtime.consumer import CONCURRENT_BATCHES, REASON_KIND_HEADER

from tests.helpers import wait_for
from tests.runtime.probe import BLOCKING, FAILING, UNPROCESSABLE, registered, start_probe
from tests.runtime.test_consumer import event_body, send, wait_for_dead_letters

PILED = 10


@pytest.fixture
async def probe(settings, databases):
    runtime = await start_probe(
        settings.model_copy(update={"prefetch": 16, "consume_batch_size": 16}),
        databases=databases,
    )
    yield runtime
    await runtime.stop()


@contextlib.asynccontextmanager
async def piled_up(probe, amqp_connection, settings, bodies: list[bytes]):
    """Block both transactions, send ``bodies``, wait until all are ready in hand; on
    leaving, the two blockers are released and the piled-up events go (the body of the
    ``async with`` runs while they wait). Yields the blockers."""
    assert CONCURRENT_BATCHES == 2
    blockers = [registered(), registered()]
    gates = {b.participant_ref: (asyncio.Event(), asyncio.Event()) for b in blockers}
    BLOCKING.update(gates)
    try:
        for sequence, blocker in enumerate(blockers, start=1):
            await send(amqp_connection, settings, event_body(blocker, sequence)[1])
        for entered, _ in gates.values():
            await wait_for(entered.is_set, what="a blocking handler to start")
        for body in bodies:
            await send(amqp_connection, settings, body)
        await wait_for(
            lambda: len(probe.consumer._ready) == len(bodies),
            what=f"{len(bodies)} ready in hand",
        )
        yield blockers
    finally:
        for ref, (_, gate) in gates.items():
            gate.set()
            BLOCKING.pop(ref, None)


async def effect_rows(probe, refs: list[str]) -> list[tuple[str, str]]:
    """(subject, the writing transaction) of every effect of ``refs``."""
    rows = await probe.pool.fetch(
        "SELECT subject, xmin::text AS xact FROM probe_effects WHERE subject = ANY($1)", refs
    )
    return [(r["subject"], r["xact"]) for r in rows]


def batches(probe, result: str) -> tuple[float, float]:
    """(batches, events in them) of ``result`` (together or split), from the metrics."""
    labels = {"service": "probe", "result": result}
    sample = probe.metrics.registry.get_sample_value
    return (
        sample("zroute_consume_batch_events_count", labels) or 0,
        sample("zroute_consume_batch_events_sum", labels) or 0,
    )


async def all_handled(probe, refs: list[str]) -> list[tuple[str, str]]:
    async def done():
        rows = await effect_rows(probe, refs)
        return rows if {subject for subject, _ in rows} == set(refs) else None

    return await wait_for(done, what=f"the effects of {len(refs)} events")


async def test_events_ready_together_are_handled_in_one_transaction(
    probe, amqp_connection, settings
):
    events = [registered() for _ in range(PILED)]
    bodies = [event_body(e, 10 + i)[1] for i, e in enumerate(events)]
    async with piled_up(probe, amqp_connection, settings, bodies) as blockers:
        pass
    refs = [e.participant_ref for e in events]
    rows = await all_handled(probe, refs)
    assert sorted(subject for subject, _ in rows) == sorted(refs)  # each once
    assert len({xact for _, xact in rows}) == 1  # one transaction for all ten
    assert batches(probe, "together") == (1, PILED) and batches(probe, "split") == (0, 0)
    blocked = await all_handled(probe, [b.participant_ref for b in blockers])
    assert len({xact for _, xact in blocked}) == 2  # each blocker alone
    assert {xact for _, xact in blocked}.isdisjoint({xact for _, xact in rows})
    # Every event of the batch is acked: nothing comes back, nothing stays in hand.
    assert probe.consumer._ready == []
    inbox = await probe.pool.fetchval("SELECT count(*) FROM zr_inbox WHERE consumer = 'probe'")
    assert inbox == PILED + 2


async def test_a_failing_event_rolls_its_batch_back_and_each_is_handled_alone(
    probe, amqp_connection, settings
):
    events = [registered() for _ in range(PILED)]
    failing = events[4].participant_ref
    # Fails in the batch and once more alone: then its retry handles it.
    FAILING[failing] = 2
    bodies = [event_body(e, 10 + i)[1] for i, e in enumerate(events)]
    async with piled_up(probe, amqp_connection, settings, bodies):
        pass
    refs = [e.participant_ref for e in events]
    rows = await all_handled(probe, refs)
    assert sorted(subject for subject, _ in rows) == sorted(refs)  # each exactly once
    # The batch was rolled back: every event was then handled in a transaction of its own.
    assert len({xact for _, xact in rows}) == PILED
    assert FAILING[failing] == 0  # failed twice: in the batch, then alone; then retried
    assert batches(probe, "split") == (1, PILED)
    inbox = await probe.pool.fetchval("SELECT count(*) FROM zr_inbox WHERE consumer = 'probe'")
    assert inbox == PILED + 2


async def test_a_duplicate_in_a_batch_has_no_second_effect(probe, amqp_connection, settings):
    events = [registered() for _ in range(PILED)]
    bodies = [event_body(e, 10 + i)[1] for i, e in enumerate(events)]
    # Handled once already; its second delivery (a redelivery after a lost ack, say) is
    # ready together with the others. (Two copies cannot be ready at once: they share
    # a participant, so the second waits in the lane behind the first.)
    await send(amqp_connection, settings, bodies[3])
    await all_handled(probe, [events[3].participant_ref])
    async with piled_up(probe, amqp_connection, settings, bodies):
        pass
    refs = [e.participant_ref for e in events]
    rows = await all_handled(probe, refs)
    assert sorted(subject for subject, _ in rows) == sorted(refs)  # the duplicate once
    # The batch was rolled back; alone, each found out whether it was new.
    assert len({xact for _, xact in rows}) == PILED
    inbox = await probe.pool.fetchval("SELECT count(*) FROM zr_inbox WHERE consumer = 'probe'")
    assert inbox == PILED + 2
    # Nothing left in hand: the duplicate was acked as one.
    await wait_for(lambda: probe.consumer._ready == [], what="nothing ready in hand")


async def test_an_unprocessable_event_in_a_batch_is_dead_lettered_and_the_rest_handled(
    probe, amqp_connection, settings
):
    events = [registered() for _ in range(PILED)]
    refused = events[7].participant_ref
    UNPROCESSABLE.add(refused)
    try:
        bodies = [event_body(e, 10 + i)[1] for i, e in enumerate(events)]
        async with piled_up(probe, amqp_connection, settings, bodies):
            pass
        handled = [e.participant_ref for e in events if e.participant_ref != refused]
        rows = await all_handled(probe, handled)
        assert sorted(subject for subject, _ in rows) == sorted(handled)
        letters = await wait_for_dead_letters(amqp_connection, settings, 1)
        assert [m.headers[REASON_KIND_HEADER] for m in letters] == ["unprocessable"]
        assert await effect_rows(probe, [refused]) == []
    finally:
        UNPROCESSABLE.discard(refused)
