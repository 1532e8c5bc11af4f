"""Intake deleted a participant's records (B 9.9, ``participant-records-deleted``): support
follows. With the personal data the referrals' free text goes (the thread's messages, the
note and supporting information), the codes stay; with the core data every row of the
participant goes (referrals, placements and their check-ins and history, preconditions,
waiting entries, consents, care signals). Before: support did not consume the event (there
was none) and kept every row for ever.
"""

from __future__ import annotations

from datetime import date

from zroute_contract.events.codes import DeletedRecords
from zroute_contract.events.intake import ParticipantRecordsDeleted
from zroute_runtime.auth import Role
from zroute_support.adapters.retention_repo import DELETED

from tests.support.integration.test_municipality_scope import (  # noqa: F401 (fixtures)
    AMSTERDAM,
    PROGRAMMES,
    UTRECHT,
    ok,
    towns,
)


def deleted(ref: str, what: DeletedRecords) -> ParticipantRecordsDeleted:
    return ParticipantRecordsDeleted(
        participant_ref=ref,
        programme_id=PROGRAMMES[AMSTERDAM],
        deleted=what,
        obligation_ended_on=date(2027, 6, 30),
    )


async def rows_of(pool, ref: str) -> dict[str, int]:
    counts = {}
    for table, where in DELETED:
        clause = where if " " in where else f"{where} = $1"
        counts[table] = await pool.fetchval(f"SELECT count(*) FROM {table} WHERE {clause}", ref)
    return counts


async def test_the_personal_data_takes_the_free_text_and_the_core_data_every_row(
    scenario,
    towns,  # noqa: F811 (the fixture imported above)
):
    gone, stays = towns[AMSTERDAM], towns[UTRECHT]
    pool = scenario.runtime.pool
    coordinator = scenario.client(Role.COORDINATOR)
    said = await coordinator.post(
        f"/referrals/{gone.referral_id}/messages", json={"body": "call her sister first"}
    )
    assert said.status_code == 201, said.text
    await pool.execute(  # what the referral form records as context (test_referral_care.py)
        "INSERT INTO support_referral_context (referral_id, note, reason_code, supporting_info,"
        " recorded_by, recorded_at) VALUES ($1::uuid, 'lost her home', 'crisis',"
        " '{intake_report}', 'staff-test', now())",
        gone.referral_id,
    )
    before = await rows_of(pool, gone.participant_ref)
    for table in ("support_referrals", "support_placements", "support_preconditions",
                  "support_waiting_list", "support_consents", "support_participants",
                  "support_referral_messages", "support_referral_context"):  # fmt: skip
        assert before[table] > 0, table
    other = await rows_of(pool, stays.participant_ref)

    await scenario.feed(deleted(gone.participant_ref, DeletedRecords.PERSONAL_DATA))
    after = await rows_of(pool, gone.participant_ref)
    assert after["support_referral_messages"] == 0, "the thread's free text goes"
    context = await pool.fetchrow(
        "SELECT note, reason_code, supporting_info FROM support_referral_context"
        " WHERE referral_id = $1::uuid",
        gone.referral_id,
    )
    assert dict(context) == {"note": None, "reason_code": "crisis", "supporting_info": []}
    assert {t: n for t, n in after.items() if t != "support_referral_messages"} == {
        t: n for t, n in before.items() if t != "support_referral_messages"
    }, "the codes stay"
    ok(await coordinator.get(f"/referrals/{gone.referral_id}"))

    await scenario.feed(deleted(gone.participant_ref, DeletedRecords.CORE_DATA))
    assert await rows_of(pool, gone.participant_ref) == dict.fromkeys(before, 0)
    assert (await coordinator.get(f"/referrals/{gone.referral_id}")).status_code == 404
    assert await rows_of(pool, stays.participant_ref) == other, "nobody else's rows"
    await scenario.feed(deleted(gone.participant_ref, DeletedRecords.CORE_DATA))  # redelivery


async def test_every_table_with_a_participant_column_is_deleted(scenario):
    """A table added later must be named in the retention repository."""
    tables = {
        row["table_name"]
        for row in await scenario.runtime.pool.fetch(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'participant_ref'"
        )
    }
    assert tables <= {table for table, _ in DELETED}
