"""A registration's database round trips (issue 20): every guarantee, few statements.

The profile of ``POST /participants`` under load showed most of its time in the round
trips of its transaction (docs/benchmarks.md, issue 20). These tests count the
statements a registration sends, and check that what the fewer statements write is
still all there: the row, the name index, the two events, the user's trail, and the
duplicate refusal.
"""

from __future__ import annotations

from typing import Any

import pytest
from zroute_intake.domain import commands
from zroute_intake.domain.errors import DuplicateBsn
from zroute_intake.entrypoints.http.schemas import RegistrationIn
from zroute_intake.service_layer.handlers import participants as handlers
from zroute_runtime.audit import set_actor
from zroute_runtime.auth import Principal, Role
from zroute_runtime.unit_of_work import UnitOfWork

from tests.intake import builders

CASEWORKER = Principal("caseworker-anna", frozenset({Role.CASEWORKER}), municipality="GM0363")


def _command(body: dict[str, Any]) -> commands.RegisterParticipant:
    registration = RegistrationIn.model_validate(body)
    return commands.RegisterParticipant(
        programme_id=registration.programme_id,
        municipality=registration.municipality,
        personal=registration.personal(),
        preferred_language=registration.preferred_language,
        interpreter_needed=registration.interpreter_needed,
        contact=registration.contact_person.to_ref(),
        scope=CASEWORKER.municipality,
    )


async def _register_counting(intake, body: dict[str, Any]) -> tuple[str, list[str]]:
    """Register as the caseworker in one unit of work; the participant and every
    statement sent after BEGIN, COMMIT included (asyncpg's own type look-ups left out)."""
    sent: list[str] = []

    def log(record: Any) -> None:
        # asyncpg looks up a type the first time a connection meets it (here bytea[]):
        # once per connection, not per registration
        if "pg_catalog.pg_type" not in record.query and "set_config('jit'" not in record.query:
            sent.append(record.query)

    set_actor(CASEWORKER)
    try:
        uow: UnitOfWork
        async with intake.uow() as uow:
            uow.conn.add_query_logger(log)
            try:
                participant = await handlers.register_participant(
                    _command(body), uow, intake.definition.deps
                )
                await uow.commit()
            finally:  # the connection goes back to the pool
                uow.conn.remove_query_logger(log)
    finally:
        set_actor(None)
    return participant.ref, sent


async def test_a_registration_is_two_statements_and_its_commit(intake):
    ref, sent = await _register_counting(intake, builders.registration())
    # The participant with its duplicate check and name index; the outbox counter with
    # the two events and the user's trail; COMMIT. It was ten (a look-up, a savepoint and
    # its release, the row, the name index in two, the counter, the events, the trail),
    # then four (the counter with the trail and the events apart).
    assert len(sent) == 3, "\n---\n".join(sent)
    assert sent[-1].strip().rstrip(";").upper() == "COMMIT"
    pool = intake.pool
    assert await pool.fetchval("SELECT count(*) FROM intake_name_parts WHERE ref = $1", ref) == 2
    events = await pool.fetch("SELECT event_type FROM zr_outbox ORDER BY sequence")
    assert [e["event_type"].split(".")[3] for e in events] == [
        "participant-registered",
        "contact-person-assigned",
    ]
    trail = await pool.fetch(
        "SELECT participant_ref, action, actor, actor_roles, service FROM zr_audit_trail"
        " ORDER BY id"
    )
    assert [tuple(r.values()) for r in trail] == [
        (ref, "participant-registered", "caseworker-anna", ["caseworker"], "intake"),
        (ref, "contact-person-assigned", "caseworker-anna", ["caseworker"], "intake"),
    ]


async def test_a_second_registration_of_a_bsn_is_refused_and_writes_nothing(intake):
    body = builders.registration()
    first, _ = await _register_counting(intake, body)
    with pytest.raises(DuplicateBsn) as refused:
        await _register_counting(intake, body | {"given_names": "Other"})
    assert refused.value.existing_ref == first
    pool = intake.pool
    assert await pool.fetchval("SELECT count(*) FROM intake_participants") == 1
    assert await pool.fetchval("SELECT count(*) FROM intake_name_parts") == 2
    assert await pool.fetchval("SELECT count(*) FROM zr_outbox") == 2
    assert await pool.fetchval("SELECT count(*) FROM zr_audit_trail") == 2


async def test_after_a_refusal_the_unit_of_work_goes_on(intake):
    """The duplicate check raises no database error, so the transaction is still usable
    (the savepoint it replaced was there for that)."""
    body = builders.registration()
    first, _ = await _register_counting(intake, body)
    other = builders.registration()
    async with intake.uow() as uow:
        with pytest.raises(DuplicateBsn):
            await handlers.register_participant(_command(body), uow, intake.definition.deps)
        second = await handlers.register_participant(_command(other), uow, intake.definition.deps)
        await uow.commit()
    refs = await intake.pool.fetch("SELECT ref FROM intake_participants ORDER BY created_at")
    assert {r["ref"] for r in refs} == {first, second.ref}
