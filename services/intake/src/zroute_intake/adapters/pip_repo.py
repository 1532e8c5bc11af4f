"""The PIP repository (``uow.pips``): PIP cases in PostgreSQL (asyncpg), on the unit of
work's connection. It remembers every case it loaded or saved, and the unit of work
collects their events at commit.

The case row holds the draft, objections, deadline facts and DUO's decisions; the
established versions and the change log are rows of their own, only ever inserted. A
loaded case carries no change log: the changes it collects are appended on save.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain import pip_deadline, term
from zroute_intake.domain.errors import StaleVersion
from zroute_intake.domain.pip import AmendmentReason, Objection, Pip, PipContent, PipVersion
from zroute_intake.domain.pip_case import DeadlineStart, PipCase, PipChange

_DRAFT = TypeAdapter(PipContent | None)
_CONTENT = TypeAdapter(PipContent)
_OBJECTIONS = TypeAdapter(list[Objection])
_WAITS = TypeAdapter(list[pip_deadline.InformationWait])
_EXTENSIONS = TypeAdapter(list[term.Extension])
_RELEASE = TypeAdapter(term.Release | None)


def _version_from_row(row: asyncpg.Record) -> PipVersion:
    reason = AmendmentReason(row["reason"]) if row["reason"] else None
    content = _CONTENT.validate_python(row["content"])
    return PipVersion(row["number"], content, row["dated"], row["established_by"], reason)


def _row_values(case: PipCase) -> tuple[Any, ...]:
    start = case.deadline_start
    return (
        _DRAFT.dump_python(case.decision.draft, mode="json"),
        _OBJECTIONS.dump_python(case.decision.objections, mode="json"),
        start.duo_notice_on if start else None,
        start.brp_registered_on if start else None,
        _WAITS.dump_python(case.waits, mode="json"),
        _EXTENSIONS.dump_python(case.extensions, mode="json"),
        _RELEASE.dump_python(case.release, mode="json"),
        case.moved_in_on,
    )


_VERSIONS = TypeAdapter(list[PipVersion])
_CHANGES = TypeAdapter(list[PipChange])


def case_record(case: PipCase, changes: list[PipChange]) -> dict[str, Any]:
    """The PIP case as plain JSON, as this repository stores it, with its change log: what
    a move's dossier carries to another intake service."""
    draft, objections, notice, brp, waits, extensions, release, moved_in = _row_values(case)
    return {
        "draft": draft,
        "objections": objections,
        "duo_notice_on": notice.isoformat() if notice else None,
        "brp_registered_on": brp.isoformat() if brp else None,
        "information_waits": waits,
        "extensions": extensions,
        "release": release,
        "moved_in_on": moved_in.isoformat() if moved_in else None,
        "versions": _VERSIONS.dump_python(case.decision.versions, mode="json"),
        "changes": _CHANGES.dump_python(changes, mode="json"),
    }


def case_from_record(ref: str, programme_id: str, record: Mapping[str, Any]) -> PipCase:
    """A PIP case brought in by a move's dossier (``case_record``), not yet stored here:
    ``save`` inserts it, its versions and its change log."""
    notice, brp, moved_in = (
        date.fromisoformat(record[k]) if record[k] else None
        for k in ("duo_notice_on", "brp_registered_on", "moved_in_on")
    )
    return PipCase(
        participant_ref=ref,
        programme_id=programme_id,
        pip=Pip(
            ref,
            draft=_DRAFT.validate_python(record["draft"]),
            versions=_VERSIONS.validate_python(record["versions"]),
            objections=_OBJECTIONS.validate_python(record["objections"]),
        ),
        deadline_start=DeadlineStart(notice, brp) if notice else None,
        waits=_WAITS.validate_python(record["information_waits"]),
        extensions=_EXTENSIONS.validate_python(record["extensions"]),
        release=_RELEASE.validate_python(record["release"]),
        moved_in_on=moved_in,
        changes=_CHANGES.validate_python(record["changes"]),
    )


class PipRepository(TrackingRepository):
    """Loads and saves PIP cases."""

    async def get(self, ref: str, programme_id: str, *, for_update: bool = False) -> PipCase:
        """The participant's case; a new, empty one when none is stored yet."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT * FROM intake_pips WHERE participant_ref = $1{lock}", ref
        )
        if row is None:
            return self._seen_now(PipCase(participant_ref=ref, programme_id=programme_id))
        versions = await self.conn.fetch(
            "SELECT * FROM intake_pip_versions WHERE participant_ref = $1 ORDER BY number", ref
        )
        notice = row["duo_notice_on"]
        case = PipCase(
            participant_ref=ref,
            programme_id=programme_id,
            version=row["version"],
            pip=Pip(
                ref,
                draft=_DRAFT.validate_python(row["draft"]),
                versions=[_version_from_row(v) for v in versions],
                objections=_OBJECTIONS.validate_python(row["objections"]),
            ),
            deadline_start=DeadlineStart(notice, row["brp_registered_on"]) if notice else None,
            waits=_WAITS.validate_python(row["information_waits"]),
            extensions=_EXTENSIONS.validate_python(row["extensions"]),
            release=_RELEASE.validate_python(row["release"]),
            moved_in_on=row["moved_in_on"],
        )
        return self._seen_now(case)

    async def save(self, case: PipCase, now: datetime) -> None:
        """Write the case over the version loaded, then its new versions and changes."""
        if case.version == 0:
            await self.conn.execute(
                """
                INSERT INTO intake_pips (participant_ref, version, draft, objections,
                    duo_notice_on, brp_registered_on, information_waits, extensions,
                    release, moved_in_on, updated_at)
                VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """,
                case.participant_ref,
                *_row_values(case),
                now,
            )
        else:
            status = await self.conn.execute(
                """
                UPDATE intake_pips
                   SET version = version + 1, draft = $3, objections = $4,
                       duo_notice_on = $5, brp_registered_on = $6, information_waits = $7,
                       extensions = $8, release = $9, moved_in_on = $10, updated_at = $11
                 WHERE participant_ref = $1 AND version = $2
                """,
                case.participant_ref,
                case.version,
                *_row_values(case),
                now,
            )
            if status != "UPDATE 1":
                raise StaleVersion(case.version, case.version + 1)
        case.version += 1
        await self._append(case)
        self._seen_now(case)

    async def _append(self, case: PipCase) -> None:
        await self.conn.executemany(
            """
            INSERT INTO intake_pip_versions
                (participant_ref, number, dated, reason, established_by, content)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """,
            [
                (
                    case.participant_ref,
                    v.number,
                    v.dated,
                    v.reason.value if v.reason else None,
                    v.established_by,
                    _CONTENT.dump_python(v.content, mode="json"),
                )
                for v in case.decision.versions
            ],
        )
        await self.conn.executemany(
            "INSERT INTO intake_pip_changes (participant_ref, action, changed_by, changed_at)"
            " VALUES ($1, $2, $3, $4)",
            [(case.participant_ref, c.action, c.by, c.at) for c in case.changes],
        )
        case.changes.clear()

    async def changes(self, ref: str) -> list[PipChange]:
        """Who changed the case, when, and what, oldest first."""
        rows = await self.conn.fetch(
            "SELECT action, changed_by, changed_at FROM intake_pip_changes"
            " WHERE participant_ref = $1 ORDER BY id",
            ref,
        )
        return [PipChange(r["action"], r["changed_by"], r["changed_at"]) for r in rows]
