"""Issue 15 item 8 (B 9.9): the personal data goes five years after the obligation ends,
the core data at most 50 years after it. On the simulated clock, through the durable
timers, with the retention shortened by configuration (30 days, core data 90 days).

Before: the core data (the pseudonymous record, the PIP's versions, meetings, the access
log, the audit trail) was kept for ever; nothing ever deleted it. Before the second pass:
planning, support and notifications were not told of either deletion
(``participant-records-deleted``, personal_data then core_data).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.conftest import RETENTION_DAYS
from tests.intake.integration.flow import complete, ok
from tests.intake.integration.test_pip import established
from tests.intake.integration.test_privacy import erased

CORE_RETENTION_DAYS = 90
# Every table of intake that holds a participant's rows, with its reference column.
TABLES = {
    "intake_participants": "ref",
    "intake_pips": "participant_ref",
    "intake_pip_versions": "participant_ref",
    "intake_pip_changes": "participant_ref",
    "intake_meetings": "participant_ref",
    "intake_name_parts": "ref",
    "intake_access_log": "participant_ref",
    "zr_audit_trail": "participant_ref",
}


@pytest.fixture
async def intake(services):
    """Intake with 30 days for the personal data and 90 for the core data."""
    settings = services.settings(
        Settings,
        intake_retention_days=RETENTION_DAYS,
        intake_core_retention_days=CORE_RETENTION_DAYS,
    )
    return await services.start(definition(settings), settings)


async def rows(intake, ref: str) -> dict[str, int]:
    counts = {}
    for table, column in TABLES.items():
        counts[table] = await intake.pool.fetchval(
            f"SELECT count(*) FROM {table} WHERE {column} = $1",
            ref,
        )
    return counts


RECORDS_DELETED = "nl.zroute.intake.participant-records-deleted.v1"


async def test_the_core_data_is_deleted_when_its_retention_ends_and_not_before(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = ok(await client.post("/participants", json=builders.registration()), 201)[
        "participant_ref"
    ]
    await complete(client, intake, ref)
    await established(client, ref)
    ok(await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"}))
    ok(await client.post(
        f"/participants/{ref}/withdrawal", json={"reason": "moved", "effective_on": builders.day(8)}
    ))  # fmt: skip
    kept = await rows(intake, ref)
    assert all(kept[t] > 0 for t in ("intake_participants", "intake_pips", "intake_access_log"))

    await intake.advance_clock(timedelta(days=RETENTION_DAYS + 2))
    await wait_for(lambda: erased(intake, ref), what="the personal data's erasure")
    pip = ok(await client.get(f"/participants/{ref}/pip"))  # the core data stays
    assert pip["current"]["number"] == 1
    due = await intake.pool.fetchval(
        "SELECT due_at FROM zr_timers WHERE kind = 'delete-core-data' AND key = $1", ref
    )
    assert due is not None, "the erasure schedules the core data's deletion"
    await wait_for(lambda: seen.of_type(RECORDS_DELETED), what="the erasure told")
    [told] = seen.of_type(RECORDS_DELETED)
    assert told["subject"] == ref
    assert told["data"] == {
        "participant_ref": ref,
        "programme_id": told["data"]["programme_id"],
        "deleted": "personal_data",
        "obligation_ended_on": builders.day(8),
    }

    await intake.advance_clock(timedelta(days=CORE_RETENTION_DAYS - RETENTION_DAYS - 10))
    assert (await client.get(f"/participants/{ref}")).status_code == 200, "not before its time"
    assert (await rows(intake, ref))["intake_pip_versions"] == 1

    await intake.advance_clock(timedelta(days=12))
    await wait_for(
        lambda: intake.pool.fetchval(
            "SELECT fired_at IS NOT NULL FROM zr_timers WHERE kind = 'delete-core-data'"
            " AND key = $1",
            ref,
        ),
        what="the core data's deletion",
    )
    assert await rows(intake, ref) == dict.fromkeys(TABLES, 0)
    assert (await client.get(f"/participants/{ref}")).status_code == 404
    assert (await client.get(f"/participants/{ref}/pip")).status_code == 404
    await wait_for(lambda: len(seen.of_type(RECORDS_DELETED)) == 2, what="the deletion told")
    last = seen.of_type(RECORDS_DELETED)[1]["data"]
    assert (last["deleted"], last["obligation_ended_on"]) == ("core_data", builders.day(8))


def test_the_core_data_is_kept_at_most_50_years_as_b_9_9_says():
    assert Settings().intake_core_retention_days == 18262  # 50 years, leap days counted low
    with pytest.raises(ValueError, match="18262"):
        Settings(intake_core_retention_days=18263)
