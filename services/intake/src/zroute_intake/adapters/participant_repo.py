"""The participant repository (``uow.participants``): participants in PostgreSQL
(asyncpg), on the unit of work's connection.

The pseudonymous state (appointment, outcomes, contact history, consents) is one JSONB
document of codes and ids; the personal data sits in its own encrypted columns and is
read only through :meth:`ParticipantRepository.personal_data` (which the read side logs).
It remembers every participant it loaded or was given, and the unit of work collects their
events at commit (``zroute_runtime.repository``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from zroute_runtime.repository import TrackingRepository

from zroute_intake.adapters.protection import PersonalDataProtector
from zroute_intake.domain.changes import RecordedChange
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.errors import Conflict, DuplicateBsn, NotFound, StaleVersion
from zroute_intake.domain.moves import Move
from zroute_intake.domain.name_search import name_parts
from zroute_intake.domain.outcome import OutcomeRecord
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.pauses import Pause
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import Appointment, ContactAssignment, Status, Withdrawal

_APPOINTMENT = TypeAdapter(Appointment | None)
_OUTCOMES = TypeAdapter(list[OutcomeRecord])
_CONTACTS = TypeAdapter(list[ContactAssignment])
_CONSENTS = TypeAdapter(list[Consent])
_WITHDRAWAL = TypeAdapter(Withdrawal | None)
_CHANGES = TypeAdapter(list[RecordedChange])
_PLANNED = TypeAdapter(ContactAssignment | None)
_PAUSES = TypeAdapter(list[Pause])
_MOVES = TypeAdapter(list[Move])

_COLUMNS = (
    "ref, programme_id, municipality, status, version, preferred_language, "
    "interpreter_needed, registered_on, erased_at, state"
)


# The duplicate check, the row and its name index in one statement (see ``add``). The
# conflict target is the partial unique index ``intake_participants_bsn``.
_INSERT_NEW = """
WITH new AS (
    INSERT INTO intake_participants
        (ref, programme_id, municipality, status, version, preferred_language,
         interpreter_needed, registered_on, bsn_hash, bsn_encrypted,
         personal_encrypted, state, contact_staff_ref, intake_starts_at,
         created_at, updated_at)
    VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $13)
    ON CONFLICT (municipality, bsn_hash) WHERE bsn_hash IS NOT NULL DO NOTHING
    RETURNING ref
), names AS (
    INSERT INTO intake_name_parts (ref, part_hash)
    SELECT new.ref, part FROM new, unnest($14::bytea[]) AS part
)
SELECT ref FROM new
"""


def _state(p: Participant) -> dict[str, Any]:
    return {
        "appointment": _APPOINTMENT.dump_python(p.appointment, mode="json"),
        "outcomes": _OUTCOMES.dump_python(p.outcomes, mode="json"),
        "contacts": _CONTACTS.dump_python(p.contacts, mode="json"),
        "consents": _CONSENTS.dump_python(p.consents, mode="json"),
        "withdrawal": _WITHDRAWAL.dump_python(p.withdrawal, mode="json"),
        "route_completed_on": p.route_completed_on.isoformat() if p.route_completed_on else None,
        "changes": _CHANGES.dump_python(p.changes, mode="json"),
        "planned_contact": _PLANNED.dump_python(p.planned_contact, mode="json"),
        "pauses": _PAUSES.dump_python(p.pauses, mode="json"),
        "moves": _MOVES.dump_python(p.moves, mode="json"),
    }


def participant_record(p: Participant) -> dict[str, Any]:
    """The participant's pseudonymous record as plain JSON, as this repository stores it:
    what a move's dossier carries to another intake service (the personal data travels
    beside it, sealed with the dossier)."""
    return {
        "ref": p.ref,
        "programme_id": p.programme_id,
        "municipality": p.municipality,
        "status": p.status.value,
        "preferred_language": p.preferred_language,
        "interpreter_needed": p.interpreter_needed,
        "registered_on": p.registered_on.isoformat(),
        "state": _state(p),
    }


def participant_from_record(record: Mapping[str, Any], personal: PersonalData) -> Participant:
    """A participant brought in by a move's dossier (``participant_record``), not yet stored
    here (version 0: ``add`` inserts it)."""
    row = dict(record) | {
        "registered_on": date.fromisoformat(record["registered_on"]),
        "version": 0,
        "erased_at": None,
    }
    participant = participant_from_row(row)
    participant.personal = personal
    return participant


def participant_from_row(row: asyncpg.Record | Mapping[str, Any]) -> Participant:
    state = row["state"]
    completed = state.get("route_completed_on")
    return Participant(
        ref=row["ref"],
        programme_id=row["programme_id"],
        municipality=row["municipality"],
        preferred_language=row["preferred_language"],
        interpreter_needed=row["interpreter_needed"],
        registered_on=row["registered_on"],
        status=Status(row["status"]),
        version=row["version"],
        appointment=_APPOINTMENT.validate_python(state["appointment"]),
        outcomes=_OUTCOMES.validate_python(state["outcomes"]),
        contacts=_CONTACTS.validate_python(state["contacts"]),
        consents=_CONSENTS.validate_python(state["consents"]),
        withdrawal=_WITHDRAWAL.validate_python(state["withdrawal"]),
        route_completed_on=datetime.fromisoformat(completed).date() if completed else None,
        erased_at=row["erased_at"],
        changes=_CHANGES.validate_python(state.get("changes", [])),
        planned_contact=_PLANNED.validate_python(state.get("planned_contact")),
        pauses=_PAUSES.validate_python(state.get("pauses", [])),
        moves=_MOVES.validate_python(state.get("moves", [])),
    )


# Every table holding a participant's rows, children before parents; the names are
# constants, never input.
_CORE_TABLES = (
    ("intake_pip_changes", "participant_ref"),
    ("intake_pip_versions", "participant_ref"),
    ("intake_pips", "participant_ref"),
    ("intake_meetings", "participant_ref"),
    ("intake_duo_records", "participant_ref"),
    ("intake_name_parts", "ref"),
    ("intake_relations", "participant_ref"),
    ("intake_interpreter_answers", "participant_ref"),
    ("intake_report_hours", "participant_ref"),
    ("intake_report_referrals", "participant_ref"),
    ("intake_access_log", "participant_ref"),
    ("zr_audit_trail", "participant_ref"),
    ("intake_participants", "ref"),
)


class ParticipantRepository(TrackingRepository):
    """Loads and saves participants; personal data only encrypted."""

    def __init__(self, conn: asyncpg.Connection, protector: PersonalDataProtector) -> None:
        super().__init__(conn)
        self.protector = protector

    async def ref_for_bsn(self, municipality: str, bsn: str) -> str | None:
        """The participant registered with ``bsn`` in ``municipality``, found by keyed hash."""
        ref: str | None = await self.conn.fetchval(
            "SELECT ref FROM intake_participants WHERE municipality = $1 AND bsn_hash = $2",
            municipality,
            self.protector.bsn_hash(bsn),
        )
        return ref

    async def get(self, ref: str, *, for_update: bool = False) -> Participant | None:
        """The participant, locked against concurrent writers when ``for_update``."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT {_COLUMNS} FROM intake_participants WHERE ref = $1{lock}", ref
        )
        return self._seen_now(participant_from_row(row)) if row else None

    async def reach(self, ref: str, scope: str | None, *, lock: bool = False) -> Participant:
        """The participant as a caller limited to ``scope`` may reach it: NotFound without
        one, Forbidden when it belongs to another municipality."""
        participant = await self.get(ref, for_update=lock)
        if participant is None:
            raise NotFound(f"no participant {ref}; check the participant reference")
        participant.check_reach(scope)
        return participant

    async def for_change(
        self, ref: str, scope: str | None, expected_version: int | None
    ) -> Participant:
        """The participant a command changes: locked against concurrent writers, within
        the caller's reach, and at the version the caller last read (StaleVersion)."""
        participant = await self.reach(ref, scope, lock=True)
        participant.check_version(expected_version)
        return participant

    async def add(self, participant: Participant, now: datetime) -> None:
        """Insert a new participant; DuplicateBsn when the BSN is registered in its
        municipality already.

        One statement does the duplicate check, the row and its name index: the unique
        index on (municipality, bsn_hash) decides, so a concurrent registration of the
        same BSN is refused the same way as an earlier one, and a refusal leaves the
        unit of work usable (``DO NOTHING`` raises no error, so no savepoint is needed).
        This was six round trips (look-up, savepoint, insert, name index in two,
        release), the largest share of a registration's time (docs/benchmarks.md)."""
        personal = participant.personal
        assert personal is not None, "a new participant carries personal data"
        bsn_hash = self.protector.bsn_hash(personal.bsn)
        bsn_blob, personal_blob = self.protector.seal(participant.ref, personal)
        name_hashes = [
            self.protector.name_part_hash(p)
            for p in sorted(name_parts(personal.given_names, personal.family_name))
        ]
        inserted = await self.conn.fetchval(
            _INSERT_NEW,
            participant.ref,
            participant.programme_id,
            participant.municipality,
            participant.status.value,
            participant.preferred_language,
            participant.interpreter_needed,
            participant.registered_on,
            bsn_hash,
            bsn_blob,
            personal_blob,
            _state(participant),
            participant.contact.contact.staff_ref if participant.contact else None,
            now,
            name_hashes,
        )
        if inserted is None:
            existing = await self.ref_for_bsn(participant.municipality, personal.bsn)
            raise DuplicateBsn(existing or "unknown")
        participant.version = 1
        self._seen_now(participant)

    async def _index_name(self, ref: str, personal: PersonalData | None) -> None:
        """The keyed hashes of the name's parts (none once the data is erased)."""
        await self.conn.execute("DELETE FROM intake_name_parts WHERE ref = $1", ref)
        if personal is None:
            return
        hashes = [
            self.protector.name_part_hash(p)
            for p in name_parts(personal.given_names, personal.family_name)
        ]
        await self.conn.executemany(
            "INSERT INTO intake_name_parts (ref, part_hash) VALUES ($1, $2)",
            [(ref, h) for h in hashes],
        )

    async def save(self, participant: Participant, now: datetime) -> None:
        """Write the changes over the version loaded; the version goes up by one. Personal
        data the participant carries (a new one, or a changed address or phone) is
        encrypted anew; a loaded participant carries none and its columns stay."""
        erase = participant.erased_at is not None
        sealed = None
        if participant.personal is not None and not erase:
            sealed = self.protector.seal(participant.ref, participant.personal)[1]
        try:
            status = await self.conn.execute(
                """
                UPDATE intake_participants
                   SET status = $3, version = version + 1, state = $4, contact_staff_ref = $5,
                       intake_starts_at = $6, updated_at = $7, erased_at = $8,
                       bsn_hash = CASE WHEN $9 THEN NULL ELSE bsn_hash END,
                       bsn_encrypted = CASE WHEN $9 THEN NULL ELSE bsn_encrypted END,
                       personal_encrypted = CASE WHEN $9 THEN NULL
                                                 ELSE coalesce($10, personal_encrypted) END,
                       preferred_language = $11, interpreter_needed = $12, municipality = $13
                 WHERE ref = $1 AND version = $2
                """,
                participant.ref,
                participant.version,
                participant.status.value,
                _state(participant),
                participant.contact.contact.staff_ref if participant.contact else None,
                participant.appointment.starts_at if participant.appointment else None,
                now,
                participant.erased_at,
                erase,
                sealed,
                participant.preferred_language,
                participant.interpreter_needed,
                participant.municipality,
            )
        except asyncpg.UniqueViolationError:
            # Only a move changes the municipality: the BSN is registered there already.
            raise Conflict(
                f"the BSN is registered in {participant.municipality} already; "
                "that participant's case continues there"
            ) from None
        if status != "UPDATE 1":
            current = await self.conn.fetchval(
                "SELECT version FROM intake_participants WHERE ref = $1", participant.ref
            )
            raise StaleVersion(participant.version, current or 0)
        if erase:
            await self._index_name(participant.ref, None)
        elif participant.personal is not None:
            await self._index_name(participant.ref, participant.personal)
        participant.version += 1
        self._seen_now(participant)

    async def personal_data(self, ref: str) -> PersonalData | None:
        """Decrypt the personal data (callers log the access); None once erased."""
        row = await self.conn.fetchrow(
            "SELECT bsn_encrypted, personal_encrypted FROM intake_participants WHERE ref = $1",
            ref,
        )
        if row is None or row["bsn_encrypted"] is None:
            return None
        return self.protector.open(ref, row["bsn_encrypted"], row["personal_encrypted"])

    async def delete_core_data(self, ref: str) -> None:
        """Delete every row intake keeps of the participant (B 9.9, after the core data's
        retention): the record, the PIP's versions and changes, meetings, DUO's records,
        relations, interpreter answers, the report's projection, the access log and the
        audit trail. Children before parents (the foreign keys)."""
        for table, column in _CORE_TABLES:
            await self.conn.execute(f"DELETE FROM {table} WHERE {column} = $1", ref)
