"""Intake deleted a participant's records (B 9.9, ``participant-records-deleted``): planning
follows. With the personal data the free text staff typed goes (a correction's note); with
the core data the plan and everything about the participant go, and the attendance lines
stay for their hours under a reference nobody knows. Before: planning did not consume the
event (there was none) and kept every row for ever.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from zroute_contract.events.codes import DeletedRecords
from zroute_contract.events.intake import ParticipantRecordsDeleted
from zroute_planning.adapters.retention_repo import ANONYMISED, DELETED

from tests.planning.integration.conftest import PROGRAMME
from tests.planning.integration.test_attendance_corrections import _recorded

ENDED = date(2027, 6, 30)


def deleted(ref: str, what: DeletedRecords) -> ParticipantRecordsDeleted:
    return ParticipantRecordsDeleted(
        participant_ref=ref, programme_id=PROGRAMME, deleted=what, obligation_ended_on=ENDED
    )


async def rows_of(pool, ref: str) -> dict[str, int]:
    """The participant's rows in every table that has a participant column."""
    tables = await pool.fetch(
        "SELECT table_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND column_name = 'participant_ref'"
    )
    counts = {}
    for row in tables:
        table = row["table_name"]
        counts[table] = await pool.fetchval(
            f"SELECT count(*) FROM {table} WHERE participant_ref = $1", ref
        )
    return counts


async def test_the_personal_data_takes_the_free_text_and_the_core_data_everything_but_hours(
    planning,
):
    ref, session_id = await _recorded(planning)
    corrected = await planning.http.put(
        f"/participants/{ref}/attendance/{session_id}",
        json={"status": "present", "minutes": 120, "reason": "data_entry_error",
              "note": "left early for the doctor"},
    )  # fmt: skip
    assert corrected.status_code == 200, corrected.text
    pool = planning.runtime.pool
    before = await rows_of(pool, ref)
    assert before["planning_plans"] == 1 and before["planning_attendance"] == 1

    await planning.feed(deleted(ref, DeletedRecords.PERSONAL_DATA))
    note = await pool.fetchval(
        "SELECT note FROM planning_attendance_corrections WHERE participant_ref = $1", ref
    )
    assert note is None, "the free text goes with the personal data"
    assert await rows_of(pool, ref) == before, "the pseudonymous plan stays"
    assert (await planning.http.get(f"/participants/{ref}/plan")).status_code == 200

    await planning.feed(deleted(ref, DeletedRecords.CORE_DATA))
    assert await rows_of(pool, ref) == dict.fromkeys(before, 0)
    assert (await planning.http.get(f"/participants/{ref}/plan")).status_code == 404
    kept = await pool.fetchrow(
        "SELECT participant_ref, minutes FROM planning_attendance WHERE session_id = $1",
        UUID(session_id),
    )
    assert kept["minutes"] == 120, "the hours delivered stay"
    assert kept["participant_ref"] != ref and kept["participant_ref"].startswith("zr-")
    again = await pool.fetchval(
        "SELECT count(*) FROM planning_attendance_corrections WHERE participant_ref = $1",
        kept["participant_ref"],
    )
    assert again == 1, "the correction stays with its line, under the same new reference"

    await planning.feed(deleted(ref, DeletedRecords.CORE_DATA))  # a redelivery: nothing left


async def test_every_table_with_a_participant_column_is_deleted_or_made_anonymous(planning):
    """A table added later must be named in the retention repository."""
    tables = {
        row["table_name"]
        for row in await planning.runtime.pool.fetch(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'participant_ref'"
        )
    }
    assert tables == {table for table, _ in DELETED if table != "planning_schedules"} | set(
        ANONYMISED
    )
