"""The meeting repository (``uow.meetings``): a participant's progress meetings and final
meeting in PostgreSQL (asyncpg), on the unit of work's connection.

The record is one JSON document encrypted with the personal data's key: the notes and
agreements may name people and health details. Who changed it is appended to the PIP's
change log (``intake_pip_changes``). It remembers every series it loaded or saved, and the
unit of work collects their events at commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from zroute_runtime.repository import TrackingRepository

from zroute_intake.adapters.protection import PersonalDataProtector
from zroute_intake.domain.errors import StaleVersion
from zroute_intake.domain.meetings import Meeting, MeetingRecord, MeetingSeries

_MEETINGS = TypeAdapter(list[Meeting])
_FINAL = TypeAdapter(MeetingRecord | None)
_FIELD = "meetings"


def series_record(series: MeetingSeries) -> dict[str, Any]:
    """The meetings as plain JSON, as this repository stores them (decrypted): what a
    move's dossier carries, sealed, to another intake service."""
    return {
        "meetings": _MEETINGS.dump_python(series.meetings, mode="json"),
        "final": _FINAL.dump_python(series.final, mode="json"),
    }


def series_from_record(ref: str, programme_id: str, record: Mapping[str, Any]) -> MeetingSeries:
    """Meetings brought in by a move's dossier, not yet stored here (``save`` inserts them)."""
    return MeetingSeries(
        ref,
        programme_id,
        meetings=_MEETINGS.validate_python(record["meetings"]),
        final=_FINAL.validate_python(record["final"]),
    )


class MeetingRepository(TrackingRepository):
    """Loads and saves meeting series, encrypted."""

    def __init__(self, conn: asyncpg.Connection, protector: PersonalDataProtector) -> None:
        super().__init__(conn)
        self.protector = protector

    async def get(self, ref: str, programme_id: str, *, for_update: bool = False) -> MeetingSeries:
        """The participant's meetings; a new, empty series when none is stored yet."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT version, record_encrypted FROM intake_meetings"
            f" WHERE participant_ref = $1{lock}",
            ref,
        )
        if row is None:
            return self._seen_now(MeetingSeries(ref, programme_id))
        record = json.loads(self.protector.open_record(ref, _FIELD, row["record_encrypted"]))
        series = MeetingSeries(
            ref,
            programme_id,
            version=row["version"],
            meetings=_MEETINGS.validate_python(record["meetings"]),
            final=_FINAL.validate_python(record["final"]),
        )
        return self._seen_now(series)

    async def save(self, series: MeetingSeries, now: datetime) -> None:
        """Write the series over the version loaded, then who changed it."""
        record = series_record(series)
        sealed = self.protector.seal_record(
            series.participant_ref, _FIELD, json.dumps(record).encode()
        )
        if series.version == 0:
            await self.conn.execute(
                "INSERT INTO intake_meetings (participant_ref, version, record_encrypted,"
                " updated_at) VALUES ($1, 1, $2, $3)",
                series.participant_ref,
                sealed,
                now,
            )
        else:
            status = await self.conn.execute(
                "UPDATE intake_meetings SET version = version + 1, record_encrypted = $3,"
                " updated_at = $4 WHERE participant_ref = $1 AND version = $2",
                series.participant_ref,
                series.version,
                sealed,
                now,
            )
            if status != "UPDATE 1":
                raise StaleVersion(series.version, series.version + 1)
        series.version += 1
        await self.conn.executemany(
            "INSERT INTO intake_pip_changes (participant_ref, action, changed_by, changed_at)"
            " VALUES ($1, $2, $3, $4)",
            [(series.participant_ref, c.action, c.by, c.at) for c in series.changes],
        )
        series.changes.clear()
        self._seen_now(series)
