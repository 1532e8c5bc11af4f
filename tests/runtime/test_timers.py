"""Durable timers against the real database: once with two instances, and after a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from zroute_runtime import timers
from zroute_runtime.clock import SimulatedClock
from zroute_runtime.timers import TimerRunner
from zroute_runtime.unit_of_work import UnitOfWork

from tests.runtime.conftest import SOURCE
from tests.runtime.probe import timer_recorder


def runner(pool, clock, instance: str, handler=None) -> TimerRunner:
    return TimerRunner(
        pool,
        clock=clock,
        handlers={"probe-reminder": handler or timer_recorder(instance)},
        uow_factory=lambda ctx: UnitOfWork(pool, source=SOURCE, clock=clock, context=ctx),
        service="probe",
        poll_interval=0.05,
    )


async def schedule(pool, clock, key: str, after: timedelta) -> None:
    async with pool.acquire() as conn:
        await timers.schedule(conn, kind="probe-reminder", key=key, due_at=clock.now() + after)


async def fired(pool) -> list[tuple[str, str]]:
    rows = await pool.fetch("SELECT timer_key, fired_by FROM probe_timer_effects ORDER BY id")
    return [(r["timer_key"], r["fired_by"]) for r in rows]


async def test_a_timer_does_not_fire_before_it_is_due(pool, clock: SimulatedClock):
    await schedule(pool, clock, "later", timedelta(days=14))
    assert await runner(pool, clock, "a").fire_due() == 0
    clock.advance(timedelta(days=13, hours=23))
    assert await runner(pool, clock, "a").fire_due() == 0
    clock.advance(timedelta(hours=1))
    assert await runner(pool, clock, "a").fire_due() == 1
    assert await fired(pool) == [("later", "a")]


async def test_each_timer_fires_once_with_two_instances_running(pool, clock: SimulatedClock):
    for n in range(30):
        await schedule(pool, clock, f"t{n}", timedelta(minutes=n))
    clock.advance(timedelta(hours=1))
    a, b = runner(pool, clock, "a"), runner(pool, clock, "b")
    counts = await asyncio.gather(a.fire_due(), b.fire_due(), a.fire_due(), b.fire_due())
    assert sum(counts) == 30
    keys = [key for key, _ in await fired(pool)]
    assert sorted(keys) == sorted(f"t{n}" for n in range(30))
    assert {who for _, who in await fired(pool)} <= {"a", "b"}


async def test_a_timer_survives_a_restart_and_fires_after_it(pool, clock: SimulatedClock):
    await schedule(pool, clock, "across-restart", timedelta(days=1))
    first = runner(pool, clock, "before")
    first.start()
    await first.stop()  # the process goes away before the timer is due
    clock.advance(timedelta(days=2))
    second = runner(pool, clock, "after")
    assert await second.fire_due() == 1
    assert await second.fire_due() == 0
    assert await fired(pool) == [("across-restart", "after")]


async def test_rescheduling_moves_the_deadline_and_cancel_stops_it(pool, clock: SimulatedClock):
    await schedule(pool, clock, "moved", timedelta(hours=1))
    await schedule(pool, clock, "moved", timedelta(days=3))
    await schedule(pool, clock, "cancelled", timedelta(hours=1))
    async with pool.acquire() as conn:
        assert await timers.cancel(conn, kind="probe-reminder", key="cancelled")
    clock.advance(timedelta(hours=2))
    assert await runner(pool, clock, "a").fire_due() == 0
    clock.advance(timedelta(days=3))
    assert await runner(pool, clock, "a").fire_due() == 1
    assert await fired(pool) == [("moved", "a")]


async def test_a_timer_payload_comes_back_as_the_mapping_it_was_given(pool, clock):
    async with pool.acquire() as conn:
        await timers.schedule(
            conn,
            kind="probe-reminder",
            key="p",
            due_at=clock.now(),
            payload={"referral_id": "r-1", "level": 2},
        )
        assert await conn.fetchval("SELECT jsonb_typeof(payload) FROM zr_timers") == "object"
    seen = []

    async def on_timer(timer, uow):
        seen.append(timer.payload)

    run = TimerRunner(
        pool,
        clock=clock,
        handlers={"probe-reminder": on_timer},
        uow_factory=lambda ctx: UnitOfWork(pool, source=SOURCE, clock=clock, context=ctx),
        service="probe",
    )
    assert await run.fire_due() == 1
    assert seen == [{"referral_id": "r-1", "level": 2}]


async def test_a_handler_may_reschedule_its_own_timer_for_a_next_reminder(pool, clock):
    fired_at = []

    async def remind_weekly(timer, uow):
        fired_at.append(clock.now())
        if len(fired_at) < 3:
            await timers.schedule(
                uow.conn, kind=timer.kind, key=timer.key, due_at=timer.due_at + timedelta(days=7)
            )

    run = TimerRunner(
        pool,
        clock=clock,
        handlers={"probe-reminder": remind_weekly},
        uow_factory=lambda ctx: UnitOfWork(pool, source=SOURCE, clock=clock, context=ctx),
        service="probe",
    )
    await schedule(pool, clock, "weekly", timedelta(days=1))
    for _ in range(5):
        clock.advance(timedelta(days=7))
        await run.fire_due()
    assert len(fired_at) == 3


async def test_advancing_the_clock_returns_only_when_every_due_timer_is_committed(
    pool, clock: SimulatedClock
):
    """The background loop and an explicit advance share one round: a timer the loop is
    firing when the clock is moved is finished and committed before ``advance`` returns
    (SKIP LOCKED alone would let ``advance`` pass it by and return early)."""
    entered, release = asyncio.Event(), asyncio.Event()
    record = timer_recorder("loop")

    async def slow_then_record(timer, uow) -> None:
        if timer.key == "in-flight":
            entered.set()
            await release.wait()
        await record(timer, uow)

    running = runner(pool, clock, "loop", slow_then_record)
    await schedule(pool, clock, "in-flight", timedelta(0))
    await schedule(pool, clock, "next-day", timedelta(days=1))
    running.start()
    try:
        await asyncio.wait_for(entered.wait(), 15)  # the loop holds "in-flight"
        advancing = asyncio.create_task(running.advance(lambda: clock.advance(timedelta(days=1))))
        done, _ = await asyncio.wait({advancing}, timeout=0.5)
        assert not done, "advance returned while a due timer was still being fired"
        assert clock.now() < (await pool.fetchval("SELECT max(due_at) FROM zr_timers"))
        release.set()
        await asyncio.wait_for(advancing, 15)
        assert sorted(key for key, _ in await fired(pool)) == ["in-flight", "next-day"]
    finally:
        release.set()
        await running.stop()
