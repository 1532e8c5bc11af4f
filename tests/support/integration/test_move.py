"""A move to another municipality (issue 15 point 5, W 15(4)): once the new municipality
imported the dossier (``participant-moved-in``), its caseworkers and coordinators see the
participant's referrals, placements, preconditions and waiting entries, and the old
municipality's get 403 and no longer list them. Real database and broker, the HTTP API.
"""

from __future__ import annotations

from datetime import date

from zroute_contract.events.intake import ParticipantMovedIn, ParticipantRegistered
from zroute_runtime.auth import Role

from tests.support.integration.test_municipality_scope import (  # noqa: F401 (fixtures)
    AMSTERDAM,
    LISTS,
    PROGRAMMES,
    UTRECHT,
    clients,
    listed,
    ok,
    refused_for_municipality,
    towns,
)


def moved_in(ref: str) -> ParticipantMovedIn:
    """Amsterdam's participant, imported by Utrecht."""
    return ParticipantMovedIn(
        participant_ref=ref,
        programme_id=PROGRAMMES[AMSTERDAM],
        from_municipality=AMSTERDAM,
        to_municipality=UTRECHT,
        moved_on=date(2027, 3, 1),
        pip_due_on=date(2027, 5, 10),
    )


async def test_after_a_move_the_new_municipality_reads_and_the_old_one_is_refused(
    scenario,
    clients,  # noqa: F811 (the fixture imported above)
    towns,  # noqa: F811 (the fixture imported above)
):
    mover, stayer = towns[AMSTERDAM], towns[UTRECHT]
    before = clients(Role.CASEWORKER, municipality=UTRECHT)
    refused_for_municipality(await before.get(f"/referrals/{mover.referral_id}"))

    await scenario.feed(moved_in(mover.participant_ref))

    for role in (Role.CASEWORKER, Role.COORDINATOR):
        new, old = clients(role, municipality=UTRECHT), clients(role, municipality=AMSTERDAM)
        ok(await new.get(f"/referrals/{mover.referral_id}"))
        ok(await new.get(f"/placements/{mover.placement_request_id}"))
        refused_for_municipality(await old.get(f"/referrals/{mover.referral_id}"))
        refused_for_municipality(await old.get(f"/placements/{mover.placement_request_id}"))
        both = {mover.participant_ref, stayer.participant_ref}
        assert await listed(new) == {path: both for path in LISTS}, role
        assert await listed(old) == {path: set() for path in LISTS}, role
    waiting = ok(await clients(Role.COORDINATOR, municipality=UTRECHT).get("/waiting-list"))
    assert mover.waiting_entry_id in {w["id"] for w in waiting}


async def test_a_move_without_records_moves_the_participant_itself(scenario):
    """The participant's municipality is what every list is limited by, records or not."""
    ref = await scenario.participant(programme_id=PROGRAMMES[AMSTERDAM], municipality=AMSTERDAM)
    await scenario.feed(moved_in(ref))
    pool = scenario.runtime.pool
    found = await pool.fetchval(
        "SELECT municipality FROM support_participants WHERE participant_ref = $1", ref
    )
    assert found == UTRECHT


async def test_a_late_registration_does_not_undo_a_move(scenario):
    """A participant's municipality changes only by a move: a ``participant-registered``
    sent again after the move (a replay from the dead-letter queue, a new event id)
    leaves the participant with the new municipality."""
    ref = await scenario.participant(programme_id=PROGRAMMES[AMSTERDAM], municipality=AMSTERDAM)
    await scenario.feed(moved_in(ref))
    await scenario.feed(
        ParticipantRegistered(
            participant_ref=ref,
            programme_id=PROGRAMMES[AMSTERDAM],
            municipality=AMSTERDAM,
            registered_on=date(2027, 1, 4),
            preferred_language="ti",
            interpreter_needed=True,
        )
    )
    found = await scenario.runtime.pool.fetchval(
        "SELECT municipality FROM support_participants WHERE participant_ref = $1", ref
    )
    assert found == UTRECHT
