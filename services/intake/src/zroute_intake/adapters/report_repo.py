"""The report's projection and DUO's records (``uow.report``), on the unit of work's
connection: attendance and referrals as planning and support reported them, and what
DUO sent that intake keeps no other record of.

Each writer is idempotent by its key (a redelivered event finds its row), and the
inbox drops a repeat before it gets here anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain.report import Referral


@dataclass(frozen=True)
class ParticipantRow:
    """The columns of a participant the report reads (no personal data)."""

    ref: str
    programme_id: str
    municipality: str
    status: str


@dataclass(frozen=True)
class AttendanceLine:
    """One session's line as planning reported it."""

    participant_ref: str
    session_id: UUID
    kind: str
    session_on: date
    status: str
    hours: float


class ReportRepository(TrackingRepository):
    """The projection the management report and the DUO export read."""

    # -- writers (event handlers) ---------------------------------------------------------
    async def attendance(self, line: AttendanceLine) -> None:
        """Record or overwrite one session's line (a correction overwrites)."""
        await self.conn.execute(
            """
            INSERT INTO intake_report_hours
                (participant_ref, session_id, kind, session_on, status, hours)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (participant_ref, session_id, kind) DO UPDATE
               SET status = EXCLUDED.status, hours = EXCLUDED.hours
            """,
            line.participant_ref,
            line.session_id,
            line.kind,
            line.session_on,
            line.status,
            line.hours,
        )

    async def referral_requested(self, referral_id: UUID, ref: str, at: datetime) -> None:
        await self.conn.execute(
            """
            INSERT INTO intake_report_referrals (referral_id, participant_ref, requested_at)
            VALUES ($1, $2, $3) ON CONFLICT (referral_id) DO UPDATE
               SET requested_at = coalesce(intake_report_referrals.requested_at, $3)
            """,
            referral_id,
            ref,
            at,
        )

    async def referral_answered(
        self, referral_id: UUID, ref: str, answer: str, at: datetime
    ) -> None:
        await self.conn.execute(
            """
            INSERT INTO intake_report_referrals (referral_id, participant_ref, answered_at, answer)
            VALUES ($1, $2, $3, $4) ON CONFLICT (referral_id) DO UPDATE
               SET answered_at = coalesce(intake_report_referrals.answered_at, $3),
                   answer = coalesce(intake_report_referrals.answer, $4)
            """,
            referral_id,
            ref,
            at,
            answer,
        )

    async def referral_completed(self, referral_id: UUID, ref: str, at: datetime) -> None:
        await self.conn.execute(
            """
            INSERT INTO intake_report_referrals (referral_id, participant_ref, completed_at)
            VALUES ($1, $2, $3) ON CONFLICT (referral_id) DO UPDATE
               SET completed_at = $3
            """,
            referral_id,
            ref,
            at,
        )

    # -- readers --------------------------------------------------------------------------
    async def participants(self, municipality: str | None) -> list[ParticipantRow]:
        """Every participant of the municipality (all with None), oldest first."""
        rows = await self.conn.fetch(
            "SELECT ref, programme_id, municipality, status FROM intake_participants"
            " WHERE ($1::text IS NULL OR municipality = $1) ORDER BY created_at, ref",
            municipality,
        )
        return [ParticipantRow(**dict(r)) for r in rows]

    async def hours(self, refs: list[str]) -> dict[str, dict[str, float]]:
        """Present hours by participant and kind."""
        rows = await self.conn.fetch(
            "SELECT participant_ref, kind, sum(hours) AS hours FROM intake_report_hours"
            " WHERE participant_ref = ANY($1::text[]) GROUP BY participant_ref, kind",
            refs,
        )
        found: dict[str, dict[str, float]] = defaultdict(dict)
        for r in rows:
            found[r["participant_ref"]][r["kind"]] = float(r["hours"])
        return dict(found)

    async def attendance_lines(self, ref: str) -> list[AttendanceLine]:
        """The participant's session lines, oldest first."""
        rows = await self.conn.fetch(
            "SELECT participant_ref, session_id, kind, session_on, status, hours"
            " FROM intake_report_hours WHERE participant_ref = $1 ORDER BY session_on, kind",
            ref,
        )
        return [AttendanceLine(**(dict(r) | {"hours": float(r["hours"])})) for r in rows]

    async def referrals(self, refs: list[str]) -> dict[str, list[Referral]]:
        """Referrals by participant."""
        rows = await self.conn.fetch(
            "SELECT * FROM intake_report_referrals WHERE participant_ref = ANY($1::text[])"
            " ORDER BY requested_at NULLS LAST, referral_id",
            refs,
        )
        found: dict[str, list[Referral]] = defaultdict(list)
        for r in rows:
            found[r["participant_ref"]].append(
                Referral(
                    str(r["referral_id"]),
                    r["requested_at"],
                    r["answered_at"],
                    r["answer"],
                    r["completed_at"],
                )
            )
        return dict(found)

    # -- DUO ------------------------------------------------------------------------------
    async def add_duo_record(
        self,
        ref: str,
        kind: str,
        payload: dict[str, Any],
        import_id: int | None,
        by: str,
        at: datetime,
    ) -> None:
        """Keep one record DUO sent (an exam result, the certificate)."""
        await self.conn.execute(
            "INSERT INTO intake_duo_records"
            " (participant_ref, kind, payload, import_id, recorded_by, recorded_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            ref,
            kind,
            payload,
            import_id,
            by,
            at,
        )

    async def duo_records(self, ref: str) -> list[dict[str, Any]]:
        """What DUO sent about the participant, oldest first."""
        rows = await self.conn.fetch(
            "SELECT kind, payload, recorded_at FROM intake_duo_records"
            " WHERE participant_ref = $1 ORDER BY id",
            ref,
        )
        return [dict(r) for r in rows]

    async def start_import(
        self, municipality: str | None, by: str, at: datetime, total: int
    ) -> int:
        """Open an import's record; its refused rows are written by :meth:`finish_import`."""
        import_id: int = await self.conn.fetchval(
            "INSERT INTO intake_duo_imports (municipality, imported_by, imported_at,"
            " rows_total, rows_accepted, refused) VALUES ($1, $2, $3, $4, 0, '[]')"
            " RETURNING id",
            municipality,
            by,
            at,
            total,
        )
        return import_id

    async def finish_import(
        self, import_id: int, accepted: int, refused: list[dict[str, Any]]
    ) -> None:
        await self.conn.execute(
            "UPDATE intake_duo_imports SET rows_accepted = $2, refused = $3 WHERE id = $1",
            import_id,
            accepted,
            refused,
        )

    async def duo_import(self, import_id: int) -> dict[str, Any] | None:
        row = await self.conn.fetchrow("SELECT * FROM intake_duo_imports WHERE id = $1", import_id)
        return None if row is None else dict(row)
