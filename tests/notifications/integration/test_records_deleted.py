"""Intake deleted a participant's records (B 9.9, ``participant-records-deleted``):
notifications follows. With the personal data the letters, the personal page's links and
the participant's messages go, and the wording of the messages sent about them; with the
core data every row about the participant goes, the events kept for the digests too.
Before: notifications kept every letter and message for ever.
"""

from __future__ import annotations

from zroute_contract.events import intake
from zroute_contract.events.codes import DeletedRecords
from zroute_notifications.adapters.retention_repo import DELETED

from tests.contract.samples import sample_event
from tests.helpers import wait_for
from tests.notifications import world
from tests.notifications.participants import participant, put_contact, schedule


async def rows_of(pool, ref: str) -> dict[str, int]:
    counts = {}
    for table, where in DELETED:
        clause = where if " " in where else f"{where} = $1"
        counts[table] = await pool.fetchval(f"SELECT count(*) FROM {table} WHERE {clause}", ref)
    return counts


def deleted(ref: str, what: DeletedRecords) -> intake.ParticipantRecordsDeleted:
    return sample_event(
        intake.ParticipantRecordsDeleted,
        participant_ref=ref,
        programme_id=world.PROGRAMME,
        deleted=what,
    )


async def test_the_personal_data_takes_letters_and_messages_and_the_core_data_every_row(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await put_contact(runtime)
    ref = await participant(feed, runtime, "ar")
    stays = await participant(feed, runtime, "uk")
    await feed.publish(schedule(ref))
    await feed.publish(schedule(stays))
    await feed.all_handled(runtime)
    pool = runtime.pool
    before = await rows_of(pool, ref)
    for table in ("nt_letters", "nt_page_links", "nt_participant_messages", "nt_events",
                  "nt_participants", "nt_notifications"):  # fmt: skip
        assert before[table] > 0, table
    other = await rows_of(pool, stays)

    await feed.publish(deleted(ref, DeletedRecords.PERSONAL_DATA))
    await feed.all_handled(runtime)
    after = await rows_of(pool, ref)
    for table in ("nt_letters", "nt_page_links", "nt_participant_messages"):
        assert after[table] == 0, table
    assert after["nt_participants"] == 1 and after["nt_events"] > 0, "the codes stay"
    worded = await pool.fetchval(
        "SELECT count(*) FROM nt_notifications WHERE participant_ref = $1"
        " AND (body_text <> '' OR subject <> '')",
        ref,
    )
    assert worded == 0, "the wording of the messages about the participant goes"

    event_id = await feed.publish(deleted(ref, DeletedRecords.CORE_DATA))
    await wait_for(  # the kept events go too, so the inbox tells it was handled
        lambda: pool.fetchval("SELECT 1 FROM zr_inbox WHERE event_id = $1::uuid", event_id),
        what="the core data's deletion handled",
    )
    assert await rows_of(pool, ref) == dict.fromkeys(before, 0)
    assert await rows_of(pool, stays) == other, "nobody else's rows"
