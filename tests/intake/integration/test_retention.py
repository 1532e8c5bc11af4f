"""Issue 15 item 8 (B 9.9): the personal data is erased the retention period after the
obligation ends, and the obligation also ends by DUO's exemption or release; the core
data (codes, dates, decisions) stays. On the simulated clock, through the durable timer.

Before: erasure was scheduled only at the route's completion or a withdrawal, so a
participant DUO released kept their personal data for ever (the timer never came).
"""

from __future__ import annotations

from datetime import timedelta

from tests.helpers import wait_for
from tests.intake import builders
from tests.intake.conftest import RETENTION_DAYS
from tests.intake.integration.flow import complete, ok
from tests.intake.integration.test_pip import day, established
from tests.intake.integration.test_privacy import erased


async def test_a_release_by_duo_starts_the_retention_and_the_core_data_stays(intake, client):
    ref = ok(await client.post("/participants", json=builders.registration()), 201)[
        "participant_ref"
    ]
    await complete(client, intake, ref)
    await established(client, ref)
    ok(await client.post(f"/participants/{ref}/duo/release", json={
        "kind": "medical_release", "decided_on": str(day(8)), "effective_on": str(day(10))
    }))  # fmt: skip
    due = await intake.pool.fetchval(
        "SELECT due_at FROM zr_timers WHERE kind = 'erase-personal-data' AND key = $1", ref
    )
    assert due is not None and due.date() >= day(10) + timedelta(days=RETENTION_DAYS) - timedelta(
        days=1
    )

    await intake.advance_clock(timedelta(days=RETENTION_DAYS))
    assert not await erased(intake, ref)  # not before its time
    await intake.advance_clock(timedelta(days=4))
    await wait_for(lambda: erased(intake, ref), what="the erasure after DUO's release")

    gone = await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"})
    assert gone.status_code == 410
    pip = ok(await client.get(f"/participants/{ref}/pip"))  # the core data stays
    assert pip["current"]["number"] == 1 and pip["release"]["kind"] == "medical_release"


async def test_the_default_retention_is_five_years_as_b_9_9_says():
    from zroute_intake.settings import Settings

    assert Settings().intake_retention_days == 1826
