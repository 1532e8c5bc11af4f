"""The relay's claim by lease: relays that die holding a lease, relays side by side,
held-back rows that are not leased, failed publishes that back off. Against the real
PostgreSQL and RabbitMQ."""

from __future__ import annotations

import asyncio
import random

from zroute_runtime.relay import OutboxRelay

from tests.helpers import wait_for
from tests.runtime.probe import capture, registered
from tests.runtime.test_outbox import make_relay, unpublished, uow_for


async def _commit(pool, clock, refs: list[str]) -> list[str]:
    """One transaction with one event per ref, in that order; the event ids."""
    async with uow_for(pool, clock) as uow:
        for ref in refs:
            uow.emit(registered(ref))
        return await uow.commit()


def _first_arrivals(bodies: list[dict]) -> dict[str, list[int]]:
    """Per participant, the sequence numbers in order of first arrival (a repeat of an
    event already seen is what the inbox drops)."""
    seen: set[str] = set()
    per_subject: dict[str, list[int]] = {}
    for body in bodies:
        if body["id"] in seen:
            continue
        seen.add(body["id"])
        per_subject.setdefault(body["subject"], []).append(int(body["sequence"]))
    return per_subject


def _stall(relay: OutboxRelay) -> asyncio.Event:
    """Make ``relay`` claim and then hang before it publishes anything, until released."""
    go = asyncio.Event()
    real = relay._publish_row

    async def stalled(row) -> None:
        await go.wait()
        await real(row)

    relay._publish_row = stalled  # type: ignore[method-assign]
    return go


async def _none_waiting(pool) -> bool:
    """No unpublished row is leased or backing off any more (PostgreSQL's clock decides)."""
    return not await _leased(pool)


async def _leased(pool) -> int:
    return await pool.fetchval(
        "SELECT count(*) FROM zr_outbox WHERE published_at IS NULL AND next_attempt_at > now()"
    )


async def test_a_relay_that_dies_holding_a_lease_is_waited_out_then_all_go_in_order(
    pool, clock, amqp_connection, settings
):
    """A relay claims five rows and dies before publishing (its task cancelled: no
    finish). A second relay leaves them and the later rows of their participants alone
    while the lease runs (only an unrelated participant goes), then publishes all of
    them once it has run out: each event once, in order per participant."""
    seen = await capture(amqp_connection, settings.exchange_name)
    refs = [registered().participant_ref for _ in range(3)]
    ids = []
    for _ in range(4):
        ids += await _commit(pool, clock, refs)
    dying = await make_relay(pool, amqp_connection, settings, batch_size=5, lease_s=1.5)
    _stall(dying)
    claim = asyncio.create_task(dying.publish_pending())
    await wait_for(lambda: _leased(pool), what="the dying relay's claim")
    claim.cancel()  # it dies holding the lease
    assert await _leased(pool) == 5
    ids += await _commit(pool, clock, [registered().participant_ref])  # someone else

    other = await make_relay(pool, amqp_connection, settings, batch_size=5, lease_s=1.5)
    assert await other.publish_pending() == 1  # only the unrelated participant's event
    await wait_for(lambda: len(seen.messages) == 1, what="the unrelated event")
    assert seen.messages[0].message_id == ids[-1]
    assert await unpublished(pool) == 12

    await wait_for(lambda: _none_waiting(pool), what="the dead relay's lease to run out")
    published = 0
    while await unpublished(pool):
        published += await other.publish_pending()
    assert published == 12
    await wait_for(lambda: len(seen.messages) >= 13, what="all 13 events")
    await asyncio.sleep(0.2)  # room for a duplicate to show up
    assert sorted(m.message_id for m in seen.messages) == sorted(ids)  # each once
    for subject, sequences in _first_arrivals(seen.bodies()).items():
        assert sequences == sorted(sequences), f"{subject} out of order"


async def test_two_relays_at_once_publish_each_event_once_in_order_per_participant(
    pool, clock, amqp_connection, settings
):
    """Two relays with small claims, their publishes slowed at random so that their
    claims overlap, over participants whose events interleave: every event arrives
    exactly once (the leases keep them apart) and in order per participant."""
    seen = await capture(amqp_connection, settings.exchange_name)
    refs = [registered().participant_ref for _ in range(12)]
    ids = []
    for round_ in range(12):
        ids += await _commit(pool, clock, refs[round_ % 4 :: 3])
    relays = [
        await make_relay(pool, amqp_connection, settings, batch_size=6, window=4) for _ in range(2)
    ]
    rng = random.Random(20)
    for relay in relays:
        real = relay._publish_row

        async def jittered(row, real=real) -> None:
            await asyncio.sleep(rng.random() * 0.005)
            await real(row)

        relay._publish_row = jittered  # type: ignore[method-assign]

    async def drain(relay: OutboxRelay) -> int:
        done = 0
        while await unpublished(pool):
            done += await relay.publish_pending()
            await asyncio.sleep(0)
        return done

    counts = await asyncio.gather(*(drain(r) for r in relays))
    assert sum(counts) == len(ids)
    assert all(counts), counts  # both relays took part
    await wait_for(lambda: len(seen.messages) >= len(ids), what=f"{len(ids)} events")
    await asyncio.sleep(0.2)
    assert sorted(m.message_id for m in seen.messages) == sorted(ids)  # each exactly once
    for subject, sequences in _first_arrivals(seen.bodies()).items():
        assert sequences == sorted(sequences), f"{subject} out of order"


async def test_a_held_back_row_is_not_leased_and_goes_as_soon_as_its_predecessor(
    pool, clock, amqp_connection, settings
):
    """While one relay publishes a participant's first event, a second relay holds the
    next one back without leasing it: it goes at the second relay's next round after
    the first is published, not a lease later."""
    seen = await capture(amqp_connection, settings.exchange_name)
    ref = registered().participant_ref
    first, second = (await _commit(pool, clock, [ref])) + (await _commit(pool, clock, [ref]))
    slow = await make_relay(pool, amqp_connection, settings, batch_size=1)  # 30 s lease
    go = _stall(slow)
    publishing = asyncio.create_task(slow._run_batch())  # one batch: the first event
    await wait_for(lambda: _leased(pool), what="the first relay's claim")

    other = await make_relay(pool, amqp_connection, settings)  # 30 s lease as well
    assert await other.publish_pending() == 0  # held back behind the first
    assert (
        await pool.fetchval(
            "SELECT next_attempt_at FROM zr_outbox WHERE event_id = $1::uuid", second
        )
        is None
    )  # not leased
    go.set()
    await publishing
    assert await other.publish_pending() == 1  # at once
    await wait_for(lambda: len(seen.messages) == 2, what="both events")
    assert [m.message_id for m in seen.messages] == [first, second]


async def test_a_failed_publish_backs_off_and_the_participants_later_rows_wait(
    pool, clock, amqp_connection, settings
):
    """The failed row gets its attempt, reason and backoff; its participant's later rows
    in the batch are released (not leased, no attempt) and stay unpublished by any
    relay until the failed one is published, then follow in order. Other participants
    go on."""
    seen = await capture(amqp_connection, settings.exchange_name)
    stuck, free = registered().participant_ref, registered().participant_ref
    ids = []
    for _ in range(3):
        ids += await _commit(pool, clock, [stuck, free])
    relay = await make_relay(pool, amqp_connection, settings)
    real = relay._publish_row

    async def failing(row) -> None:
        if row["event_id"] == ids[0]:
            raise ConnectionError("broker said no")
        await real(row)

    relay._publish_row = failing  # type: ignore[method-assign]
    assert await relay.publish_pending() == 3  # the free participant's three
    rows = await pool.fetch(
        "SELECT event_id::text AS id, attempts, last_error, published_at IS NULL AS open,"
        " next_attempt_at > now() + interval '0.5 s' AS backing_off,"
        " next_attempt_at IS NULL AS due FROM zr_outbox WHERE ordering_key = $1"
        " ORDER BY sequence",
        stuck,
    )
    assert [r["id"] for r in rows] == ids[0::2]
    failed, *later = rows
    assert failed["open"] and failed["attempts"] == 1 and failed["backing_off"]
    assert "ConnectionError: broker said no" in failed["last_error"]
    for row in later:
        assert row["open"] and row["attempts"] == 0 and row["due"] and not row["last_error"]

    relay._publish_row = real  # type: ignore[method-assign]
    another = await make_relay(pool, amqp_connection, settings)
    assert await relay.publish_pending() == 0  # the backoff runs: all three wait
    assert await another.publish_pending() == 0
    await wait_for(lambda: _none_waiting(pool), what="the first backoff (one second)")
    assert await another.publish_pending() == 3
    await wait_for(lambda: len(seen.messages) == 6, what="all six events")
    per_subject = _first_arrivals(seen.bodies())
    assert per_subject[stuck] == sorted(per_subject[stuck]) and len(per_subject[stuck]) == 3


async def test_a_relay_whose_lease_ran_out_leaves_the_new_holders_rows_alone(
    pool, clock, amqp_connection, settings
):
    """A relay that fails after its lease ran out and another relay took the rows over
    neither backs them off nor releases them: the new holder's lease stays."""
    ref = registered().participant_ref
    await _commit(pool, clock, [ref, ref])
    late = await make_relay(pool, amqp_connection, settings, lease_s=0.5)
    go = _stall(late)

    async def fail_first(row) -> None:
        await go.wait()
        raise ConnectionError("too late anyway")

    late._publish_row = fail_first  # type: ignore[method-assign]
    publishing = asyncio.create_task(late.publish_pending())
    await wait_for(lambda: _leased(pool), what="the late relay's claim")
    await wait_for(lambda: _none_waiting(pool), what="the late relay's lease to run out")
    holder = await make_relay(pool, amqp_connection, settings)  # 30 s lease
    _stall(holder)
    taking_over = asyncio.create_task(holder.publish_pending())
    await wait_for(
        lambda: pool.fetchval(
            "SELECT count(*) FROM zr_outbox WHERE next_attempt_at > now() + interval '10 s'"
        ),
        what="the new holder's claim",
    )
    go.set()
    assert await publishing == 0
    rows = await pool.fetch(
        "SELECT attempts, next_attempt_at > now() + interval '10 s' AS held FROM zr_outbox"
    )
    assert [(r["attempts"], r["held"]) for r in rows] == [(0, True), (0, True)]
    taking_over.cancel()


async def test_the_relay_pool_commits_asynchronously_and_the_service_pool_does_not(pool, settings):
    """Only the relay's own connection skips the wait for the WAL flush (what it writes
    can be lost without harm); the units of work's commits stay durable."""
    from zroute_runtime.relay import create_relay_pool

    relay_pool = await create_relay_pool(settings.database_url_for("probe"))
    try:
        assert await relay_pool.fetchval("SHOW synchronous_commit") == "off"
        assert relay_pool.get_max_size() == 1
    finally:
        await relay_pool.close()
    assert await pool.fetchval("SHOW synchronous_commit") == "on"
