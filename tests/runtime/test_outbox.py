"""The transactional outbox and its relay, against the real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import asyncio
import json

import pytest
from zroute_contract.envelope import parse_event
from zroute_runtime.context import MessageContext
from zroute_runtime.relay import OutboxRelay
from zroute_runtime.topology import declare_exchange, open_channel
from zroute_runtime.unit_of_work import UnitOfWork

from tests.helpers import wait_for
from tests.runtime.conftest import SOURCE
from tests.runtime.probe import capture, registered


def uow_for(pool, clock, **kwargs) -> UnitOfWork:
    return UnitOfWork(pool, source=SOURCE, clock=clock, **kwargs)


async def make_relay(pool, amqp_connection, settings, **kwargs) -> OutboxRelay:
    channel = await open_channel(amqp_connection)
    await declare_exchange(channel, settings.exchange_name)
    return OutboxRelay(
        pool, channel, exchange=settings.exchange_name, service="probe", poll_interval=0.1, **kwargs
    )


async def unpublished(pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM zr_outbox WHERE published_at IS NULL")


async def test_events_are_published_after_commit_and_never_after_rollback(
    pool, clock, amqp_connection, settings
):
    seen = await capture(amqp_connection, settings.exchange_name)
    relay = await make_relay(pool, amqp_connection, settings)
    kept, dropped = registered(), registered()

    async with uow_for(pool, clock) as uow:
        uow.emit(dropped)
        await uow.rollback()
    async with uow_for(pool, clock) as uow:
        uow.emit(dropped)
        # leaving the block without commit rolls back as well
    async with uow_for(pool, clock) as uow:
        uow.emit(kept)
        [kept_id] = await uow.commit()

    assert await relay.publish_pending() == 1
    await wait_for(lambda: seen.messages, what="the committed event")
    [message] = seen.messages
    assert message.message_id == kept_id
    assert message.routing_key == "intake.participant.registered"
    envelope, payload = parse_event(message.body)
    assert envelope.subject == kept.participant_ref
    assert payload == kept
    assert envelope.sequence_number == 1  # the rolled-back transactions used no number
    assert await unpublished(pool) == 0


async def test_a_crash_between_commit_and_publish_loses_nothing(
    pool, clock, amqp_connection, settings
):
    seen = await capture(amqp_connection, settings.exchange_name)
    events = [registered() for _ in range(5)]
    async with uow_for(pool, clock) as uow:
        for event in events:
            uow.emit(event)
        ids = await uow.commit()
    # No relay ran: the process "died" after commit. A new relay, as after a restart:
    relay = await make_relay(pool, amqp_connection, settings)
    assert await relay.publish_pending() == 5
    await wait_for(lambda: len(seen.messages) == 5, what="5 events")
    assert [m.message_id for m in seen.messages] == ids


async def test_a_relay_that_dies_after_publishing_but_before_marking_republishes(
    pool, clock, amqp_connection, settings
):
    """The row stays leased, not published: no relay takes it while the lease runs, and
    once it has run out the row is published again (same id: the inbox drops it)."""
    seen = await capture(amqp_connection, settings.exchange_name)
    async with uow_for(pool, clock) as uow:
        uow.emit(registered())
        [event_id] = await uow.commit()
    relay = await make_relay(pool, amqp_connection, settings, lease_s=1.0)

    class Boom(Exception):
        pass

    # Publish for real, then fail before the statement that marks the row.
    real_publish_rows = relay._publish_rows

    async def publish_then_die(rows, result, **kwargs):
        await real_publish_rows(rows, result, **kwargs)
        raise Boom()

    relay._publish_rows = publish_then_die
    with pytest.raises(Boom):
        await relay.publish_pending()
    assert await unpublished(pool) == 1  # not marked: still there, leased
    relay._publish_rows = real_publish_rows
    assert await relay.publish_pending() == 0  # the lease holds it
    await asyncio.sleep(1.1)
    assert await relay.publish_pending() == 1
    await wait_for(lambda: len(seen.messages) == 2, what="the republished event")
    assert {m.message_id for m in seen.messages} == {event_id}  # same id: inbox dedupes
    assert await unpublished(pool) == 0  # marked this time: a third round publishes nothing
    assert await relay.publish_pending() == 0


async def test_a_writer_that_flushes_later_waits_and_gets_the_next_number(pool, clock):
    """The counter row lock orders writers: while one transaction has taken numbers
    but not committed, the next one waits at its flush, so numbers follow commit order
    and a relay can never see number 2 committed while 1 is still in flight."""
    first_ref, second_ref = registered().participant_ref, registered().participant_ref
    first = uow_for(pool, clock)
    await first.__aenter__()
    first.emit(registered(first_ref))
    from zroute_runtime.outbox import write_events

    await write_events(
        first.conn,
        source=SOURCE,
        events=first.collect_new_events(),
        context=first.context,
        now=clock.now(),
    )

    async def second_writer() -> None:
        async with uow_for(pool, clock) as uow:
            uow.emit(registered(second_ref))
            await uow.commit()

    second = asyncio.create_task(second_writer())

    async def second_is_waiting_on_the_lock() -> bool:
        return bool(
            await pool.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND query LIKE '%zr_outbox_sequence%'"
            )
        )

    await wait_for(second_is_waiting_on_the_lock, what="the second writer to wait")
    assert not second.done()
    await first._transaction.commit()
    first.committed = True
    await first.__aexit__(None, None, None)
    await second
    rows = await pool.fetch(
        "SELECT sequence, body::jsonb->>'subject' AS subject FROM zr_outbox ORDER BY sequence"
    )
    assert [(r["sequence"], r["subject"]) for r in rows] == [(1, first_ref), (2, second_ref)]


async def test_concurrent_writers_get_a_gapless_sequence_in_commit_order(pool, clock):
    commit_order: list[int] = []

    async def writer(n: int) -> None:
        async with uow_for(pool, clock) as uow:
            for _ in range(n % 3 + 1):
                uow.emit(registered())
            if n % 4 == 0:
                await uow.rollback()  # some writers give up: they must leave no gap
                return
            await uow.commit()
            commit_order.append(n)

    await asyncio.gather(*(writer(n) for n in range(40)))
    sequences = [r["sequence"] for r in await pool.fetch("SELECT sequence FROM zr_outbox")]
    expected = sum(n % 3 + 1 for n in range(40) if n % 4 != 0)
    assert sorted(sequences) == list(range(1, expected + 1))


async def test_the_relay_does_not_skip_an_event_committed_after_a_later_one_was_published(
    pool, clock, amqp_connection, settings
):
    seen = await capture(amqp_connection, settings.exchange_name)
    relay = await make_relay(pool, amqp_connection, settings)
    slow = uow_for(pool, clock)
    await slow.__aenter__()
    slow.emit(registered())  # collected, not yet written: its number is not taken yet
    async with uow_for(pool, clock) as fast:
        fast.emit(registered())
        await fast.commit()
    assert await relay.publish_pending() == 1
    await slow.commit()
    await slow.__aexit__(None, None, None)
    assert await relay.publish_pending() == 1
    await wait_for(lambda: len(seen.messages) == 2, what="both events")
    assert [json.loads(m.body)["sequence"][-1] for m in seen.messages] == ["1", "2"]


async def test_two_relays_at_once_publish_everything_in_order_per_participant(
    pool, clock, amqp_connection, settings
):
    seen = await capture(amqp_connection, settings.exchange_name)
    refs = [registered().participant_ref for _ in range(20)]
    for round_ in range(15):
        async with uow_for(pool, clock) as uow:
            for ref in refs[round_ % 5 :: 2]:
                uow.emit(registered(ref))
            await uow.commit()
    total = await pool.fetchval("SELECT count(*) FROM zr_outbox")
    relays = [
        await make_relay(pool, amqp_connection, settings, batch_size=7, window=5) for _ in range(2)
    ]
    while await unpublished(pool):
        await asyncio.gather(*(r.publish_pending() for r in relays))
    await wait_for(lambda: len(seen.messages) >= total, what=f"{total} events")
    bodies = seen.bodies()
    assert len({b["id"] for b in bodies}) == total
    per_subject: dict[str, list[int]] = {}
    for body in bodies:
        per_subject.setdefault(body["subject"], []).append(int(body["sequence"]))
    for subject, sequences in per_subject.items():
        assert sequences == sorted(sequences), f"{subject} out of order"


async def test_an_unroutable_event_stays_in_the_outbox_with_the_reason(
    pool, clock, amqp_connection, settings
):
    relay = await make_relay(pool, amqp_connection, settings)  # no queue bound at all
    async with uow_for(pool, clock) as uow:
        uow.emit(registered())
        await uow.commit()
    assert await relay.publish_pending() == 0
    row = await pool.fetchrow("SELECT attempts, last_error, published_at FROM zr_outbox")
    assert row["published_at"] is None
    assert row["attempts"] == 1
    assert "UnroutableError" in row["last_error"]
    assert "intake.participant.registered" in row["last_error"]


async def test_commit_wakes_the_relay_without_waiting_for_the_poll(
    pool, clock, amqp_connection, settings
):
    seen = await capture(amqp_connection, settings.exchange_name)
    channel = await open_channel(amqp_connection)
    relay = OutboxRelay(
        pool, channel, exchange=settings.exchange_name, service="probe", poll_interval=3600
    )  # the poll would never come in time
    relay.start()
    try:
        await relay.publish_pending()  # settle the first loop
        async with uow_for(pool, clock, on_commit=relay.wake, context=MessageContext.new()) as uow:
            uow.emit(registered())
            await uow.commit()
        await wait_for(lambda: seen.messages, timeout=5, what="the woken relay")
    finally:
        await relay.stop()


async def test_an_event_meant_only_for_integrators_is_done_when_none_is_bound(
    pool, clock, amqp_connection, settings
):
    from zroute_contract.events.notifications import NotificationSent

    from tests.contract.samples import sample_event

    relay = await make_relay(pool, amqp_connection, settings)  # no queue bound at all
    async with uow_for(pool, clock) as uow:
        uow.emit(sample_event(NotificationSent))
        await uow.commit()
    assert NotificationSent.spec.consumers == ()
    assert await relay.publish_pending() == 1
    assert await unpublished(pool) == 0


@pytest.mark.parametrize("numbered_in_sql", [True, False], ids=["one-statement", "fallback"])
@pytest.mark.parametrize("by_user", [False, True], ids=["no-user", "user"])
async def test_every_body_carries_the_number_of_its_row(
    pool, clock, monkeypatch, numbered_in_sql, by_user
):
    """The numbers are put into the bodies by the statement that takes them (or, for a
    body in which the stand-in number is not unique, by the two-statement fallback), and
    a user's trail is written by that statement too."""
    from zroute_runtime import audit, outbox
    from zroute_runtime.auth import Principal, Role

    if not numbered_in_sql:
        monkeypatch.setattr(outbox, "_row", lambda *args, **kwargs: None)
    if by_user:
        audit.set_actor(Principal("caseworker-anna", frozenset({Role.CASEWORKER})))
    returned: list[str] = []
    try:
        for batch in (1, 3, 2):
            async with uow_for(pool, clock) as uow:
                for _ in range(batch):
                    uow.emit(registered())
                returned.extend(await uow.commit())
    finally:
        audit.set_actor(None)
    rows = await pool.fetch(
        "SELECT sequence, event_id::text AS event_id, body FROM zr_outbox ORDER BY sequence"
    )
    assert [r["sequence"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r["event_id"] for r in rows] == returned
    for row in rows:
        envelope, payload = parse_event(row["body"].encode())
        assert envelope.sequence_number == row["sequence"]
        assert envelope.id == row["event_id"]
        assert envelope.subject == payload.participant_ref
    trail = await pool.fetch("SELECT participant_ref, actor FROM zr_audit_trail ORDER BY id")
    subjects = [parse_event(r["body"].encode())[0].subject for r in rows]
    if by_user:
        assert [(t["participant_ref"], t["actor"]) for t in trail] == [
            (s, "caseworker-anna") for s in subjects
        ]
    else:
        assert trail == []


async def test_a_commit_numbers_and_writes_its_events_in_one_statement(pool, clock):
    """The counter's row lock is held over one round trip, the COMMIT: the unit of work
    sends one statement for its events, then COMMIT."""
    sent: list[str] = []

    def log(record) -> None:
        sent.append(record.query)

    async with uow_for(pool, clock) as uow:
        uow.conn.add_query_logger(log)
        uow.emit(registered())
        uow.emit(registered())
        await uow.commit()
        uow.conn.remove_query_logger(log)
    # asyncpg's own type look-ups, once per connection, left out
    statements = [q for q in sent if "pg_catalog" not in q and "set_config('jit'" not in q]
    assert len(statements) == 2, statements
    assert "zr_outbox_sequence" in statements[0] and "INSERT INTO zr_outbox " in statements[0]
    assert statements[1].strip().rstrip(";").upper() == "COMMIT"


async def test_readers_never_see_a_gap_while_many_writers_commit(pool, clock):
    """Numbers follow commit order: whatever moment a reader (the relay) looks, the
    committed numbers are 1..n with none missing and none twice, so a relay that has
    read up to n can never later meet a smaller number committed behind it. Writers
    commit one to three events each, some roll back after taking their numbers, and each
    transaction's events are consecutive and carry their row's number."""
    done = asyncio.Event()
    looks: list[list[int]] = []

    async def writer(n: int) -> None:
        for round_ in range(6):
            async with uow_for(pool, clock) as uow:
                for _ in range((n + round_) % 3 + 1):
                    uow.emit(registered())
                if (n + round_) % 5 == 0:
                    # numbers taken, then given up: the rollback must leave no gap
                    from zroute_runtime.outbox import write_events

                    await write_events(
                        uow.conn,
                        source=SOURCE,
                        events=uow.collect_new_events(),
                        context=uow.context,
                        now=clock.now(),
                    )
                    await uow.rollback()
                    continue
                await uow.commit()

    async def reader() -> None:
        while not done.is_set():
            looks.append(
                list(
                    await pool.fetchval(
                        "SELECT coalesce(array_agg(sequence ORDER BY sequence), '{}')"
                        " FROM zr_outbox"
                    )
                )
            )
            await asyncio.sleep(0)

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(n) for n in range(12)))
    done.set()
    await reading
    expected = sum((n + r) % 3 + 1 for n in range(12) for r in range(6) if (n + r) % 5 != 0)
    assert len(looks) > 5
    for look in looks:
        assert look == list(range(1, len(look) + 1)), f"a reader saw a gap: {look}"
    rows = await pool.fetch("SELECT sequence, body FROM zr_outbox ORDER BY sequence")
    assert [r["sequence"] for r in rows] == list(range(1, expected + 1))
    correlations: list[str] = []
    for row in rows:
        envelope, _ = parse_event(row["body"].encode())
        assert envelope.sequence_number == row["sequence"]
        correlations.append(envelope.correlationid)
    # one transaction's events are consecutive: its correlation id appears in one run
    runs = [c for i, c in enumerate(correlations) if i == 0 or correlations[i - 1] != c]
    assert len(runs) == len(set(runs))


async def _fill(pool, clock, refs: list[str], rounds: int) -> int:
    for _ in range(rounds):
        async with uow_for(pool, clock) as uow:
            for ref in refs:
                uow.emit(registered(ref))
            await uow.commit()
    return await pool.fetchval("SELECT count(*) FROM zr_outbox")


def _per_subject(bodies: list[dict]) -> dict[str, list[int]]:
    per_subject: dict[str, list[int]] = {}
    for body in bodies:
        per_subject.setdefault(body["subject"], []).append(int(body["sequence"]))
    return per_subject


async def test_a_failed_publish_holds_back_its_participants_later_rows_in_every_batch(
    pool, clock, amqp_connection, settings
):
    """A row whose publish fails holds back the later rows of its participant, in its
    batch and in the batches after it; the others go on, and the held rows follow in
    order once it is published."""
    seen = await capture(amqp_connection, settings.exchange_name)
    refs = [registered().participant_ref for _ in range(4)]
    total = await _fill(pool, clock, refs, rounds=6)
    # Batches of 8: each holds two of the stuck participant's rows, and its held-back rows
    # never fill a whole claim (they are claimed again until the first is published).
    relay = await make_relay(pool, amqp_connection, settings, batch_size=8, window=20)
    first_of_stuck = await pool.fetchval(
        "SELECT event_id::text FROM zr_outbox WHERE ordering_key = $1 ORDER BY sequence LIMIT 1",
        refs[0],
    )
    real_publish_row = relay._publish_row

    async def failing_publish_row(row):
        if row["event_id"] == first_of_stuck:
            raise ConnectionError("broker said no")
        await real_publish_row(row)

    relay._publish_row = failing_publish_row
    published = 0
    while done := await relay.publish_pending():
        published += done
    assert published == total - 6
    assert await pool.fetchval(
        "SELECT array_agg(DISTINCT ordering_key) FROM zr_outbox WHERE published_at IS NULL"
    ) == [refs[0]]
    await wait_for(lambda: len(seen.messages) >= total - 6, what="the other participants")
    assert refs[0] not in {b["subject"] for b in seen.bodies()}
    relay._publish_row = real_publish_row
    await pool.execute("UPDATE zr_outbox SET next_attempt_at = NULL")  # its backoff is over
    assert await relay.publish_pending() == 6
    await wait_for(lambda: len(seen.messages) >= total, what="the held-back participant")
    assert _per_subject(seen.bodies())[refs[0]] == sorted(_per_subject(seen.bodies())[refs[0]])
    assert len(_per_subject(seen.bodies())[refs[0]]) == 6
