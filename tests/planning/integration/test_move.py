"""A move to another municipality (issue 15 point 5, W 15(4)), against the running
service: once the new municipality imported the dossier (``participant-moved-in``), its
caseworkers and coordinators read the plan, the schedule and the waiting list entry, and
the old municipality's are refused (403) and no longer list the participant.
"""

from __future__ import annotations

import uuid
from datetime import date

from zroute_contract.events.intake import ParticipantMovedIn, ParticipantRegistered
from zroute_runtime.auth import Role

from tests.planning.events import PROGRAMME
from tests.planning.integration.test_attack_rows import bearer, participants

OLD, NEW = "GM0363", "GM0599"


async def test_after_a_move_the_new_municipality_reads_the_plan_and_the_old_one_is_refused(
    planning,
):
    [mover] = await participants(planning, PROGRAMME, OLD, count=1)
    http = planning.http

    async def status(role: Role, municipality: str, path: str) -> int:
        response = await http.get(path, headers=bearer(role, municipality=municipality))
        return response.status_code

    async def waiting(role: Role, municipality: str) -> set[str]:
        response = await http.get("/waiting-list", headers=bearer(role, municipality=municipality))
        assert response.status_code == 200, response.text
        return {w["participant_ref"] for w in response.json()}

    plan = f"/participants/{mover}/plan"
    assert await status(Role.CASEWORKER, OLD, plan) == 200
    assert await status(Role.CASEWORKER, NEW, plan) == 403

    await planning.feed(
        ParticipantMovedIn(
            participant_ref=mover,
            programme_id=PROGRAMME,
            from_municipality=OLD,
            to_municipality=NEW,
            moved_on=date(2027, 3, 1),
            pip_due_on=date(2027, 5, 10),
        )
    )

    for role in (Role.CASEWORKER, Role.COORDINATOR):
        assert await status(role, NEW, plan) == 200, role
        assert await status(role, OLD, plan) == 403, role
        assert await status(role, OLD, f"/participants/{mover}/hours") == 403, role
        assert mover in await waiting(role, NEW), role
        assert mover not in await waiting(role, OLD), role


async def test_a_late_registration_does_not_undo_a_move(planning):
    """A participant's municipality changes only by a move: a ``participant-registered``
    (or ``intake-completed``) that arrives after the move (a retry, a replay from the
    dead-letter queue) leaves the new municipality in place."""
    [mover] = await participants(planning, PROGRAMME, OLD, count=1)
    await planning.feed(
        ParticipantMovedIn(
            participant_ref=mover,
            programme_id=PROGRAMME,
            from_municipality=OLD,
            to_municipality=NEW,
            moved_on=date(2027, 3, 1),
            pip_due_on=date(2027, 5, 10),
        )
    )
    await planning.feed(registered(mover, OLD))

    plan = f"/participants/{mover}/plan"
    assert (
        await planning.http.get(plan, headers=bearer(Role.CASEWORKER, municipality=NEW))
    ).status_code == 200
    assert (
        await planning.http.get(plan, headers=bearer(Role.CASEWORKER, municipality=OLD))
    ).status_code == 403


async def test_a_registration_after_the_move_in_creates_without_overwriting(planning):
    """The move-in may be the first thing planning hears of a participant: the late
    registration then only fills in the day of registration."""
    ref = f"zr-{uuid.uuid4().hex}"
    await planning.feed(
        ParticipantMovedIn(
            participant_ref=ref,
            programme_id=PROGRAMME,
            from_municipality=OLD,
            to_municipality=NEW,
            moved_on=date(2027, 3, 1),
            pip_due_on=date(2027, 5, 10),
        )
    )
    await planning.feed(registered(ref, OLD))
    row = await planning.runtime.pool.fetchrow(
        "SELECT municipality, registered_on FROM planning_participants WHERE participant_ref = $1",
        ref,
    )
    assert (row["municipality"], row["registered_on"]) == (NEW, date(2027, 1, 4))


def registered(ref: str, municipality: str) -> ParticipantRegistered:
    """The participant's registration, sent again (a new event id) after the move."""
    return ParticipantRegistered(
        participant_ref=ref,
        programme_id=PROGRAMME,
        municipality=municipality,
        registered_on=date(2027, 1, 4),
        preferred_language="ar",
        interpreter_needed=False,
    )
