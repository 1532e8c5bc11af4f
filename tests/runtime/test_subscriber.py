"""The subscriber's lanes: participants are handled concurrently, each participant's
events one at a time and in the order they were delivered."""

from __future__ import annotations

import asyncio

from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.types import new_participant_ref
from zroute_runtime.messagebus import HandlerContext
from zroute_runtime.service import ServiceDefinition, ServiceRuntime
from zroute_runtime.subscriber import ordering_key

from tests.helpers import wait_for
from tests.runtime.probe import MIGRATIONS, registered
from tests.runtime.test_consumer import event_body, send


async def test_another_participant_is_handled_while_one_is_in_hand_and_each_keeps_its_order(
    amqp_connection, settings
):
    held = registered()
    other = registered()
    started: list[tuple[str, str]] = []  # (participant, event id), as handlers begin
    release = asyncio.Event()

    async def handler(event: ParticipantRegistered, ctx: HandlerContext) -> None:
        started.append((event.participant_ref, ctx.envelope.id))
        await ctx.uow.conn.execute(
            "INSERT INTO probe_effects (event_id, subject) VALUES ($1::uuid, $2)",
            ctx.envelope.id,
            event.participant_ref,
        )
        if event.participant_ref == held.participant_ref:
            await release.wait()

    runtime = ServiceRuntime(
        ServiceDefinition(
            name="probe", handlers={ParticipantRegistered: [handler]}, migrations=MIGRATIONS
        ),
        settings,
    )
    await runtime.start(http=False)
    try:
        assert runtime.settings.prefetch > 1
        first_id, first = event_body(held, 1)
        second_id, second = event_body(held, 2)
        other_id, other_body = event_body(other, 1)
        for body in (first, second, other_body):
            await send(amqp_connection, settings, body)

        # The first event of `held` is in hand; `other` is not kept waiting behind it...
        await wait_for(lambda: (other.participant_ref, other_id) in started, what="other handled")
        # ...but the second event of `held` is: its lane is busy.
        assert (held.participant_ref, second_id) not in started
        release.set()

        async def both_done() -> bool:
            count = await runtime.pool.fetchval(
                "SELECT count(*) FROM probe_effects WHERE subject = $1", held.participant_ref
            )
            return count == 2

        await wait_for(both_done, what="both events of the held participant")
        handled = await runtime.pool.fetch(
            "SELECT event_id::text FROM probe_effects WHERE subject = $1 ORDER BY id",
            held.participant_ref,
        )
        assert [r["event_id"] for r in handled] == [first_id, second_id]
        assert [e for p, e in started if p == held.participant_ref] == [first_id, second_id]
    finally:
        release.set()
        await runtime.stop()


def test_the_lane_is_the_cloudevent_subject_and_anything_else_shares_one():
    ref = new_participant_ref()
    _, body = event_body(registered(ref))
    assert ordering_key(body) == ref
    assert ordering_key(b"not json") == ""
    assert ordering_key(b"[1, 2]") == ""
    assert ordering_key(b'{"subject": 7}') == ""
