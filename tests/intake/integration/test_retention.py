"""Issue 15 item 8 (B 9.9): the personal data is erased the retention period after the
obligation ends, and the obligation also ends by DUO's exemption or release; the core
data (codes, dates, decisions) stays. On the simulated clock, through the durable timer.

Before: erasure was scheduled only at the route's completion or a withdrawal, so a
participant DUO released kept their personal data for ever (the timer never came).
"""

from __future__ import annotations

from datetime import date, timedelta

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


async def test_a_release_before_the_registration_is_refused_and_nothing_is_erased(intake, client):
    """Found by the intake fuzz (tests/fuzz/test_openapi.py, 5 failures in 12 runs): for a
    participant without a PIP a release took any effective date, so one dated decades
    back (a year mistyped) scheduled the erasure and the core data's deletion in the past;
    the timer runner ran both at once and the whole record was gone. The registration
    bounds it, as it bounds a withdrawal, a move and a pause."""
    ref = ok(await client.post("/participants", json=builders.registration()), 201)[
        "participant_ref"
    ]
    refused = await client.post(f"/participants/{ref}/duo/release", json={
        "kind": "exemption", "decided_on": "1950-01-01", "effective_on": "1950-01-02"
    })  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert "registration" in refused.text, refused.text
    timers = await intake.pool.fetchval("SELECT count(*) FROM zr_timers WHERE key = $1", ref)
    assert timers == 0, f"{timers} timers scheduled for a refused release"
    assert not await erased(intake, ref)
    kept = await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"})
    assert kept.status_code == 200, kept.text

    # The registration day itself is the earliest a release takes effect.
    registered_on = date.fromisoformat(kept.json()["registered_on"])
    ok(await client.post(f"/participants/{ref}/duo/release", json={
        "kind": "exemption", "decided_on": str(registered_on - timedelta(days=3)),
        "effective_on": str(registered_on),
    }))  # fmt: skip


async def test_the_default_retention_is_five_years_as_b_9_9_says():
    from zroute_intake.settings import Settings

    assert Settings().intake_retention_days == 1826
