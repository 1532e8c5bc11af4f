"""The hours ledger and the progress reviews (``uow.ledger``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository


class LedgerRepository(TrackingRepository):
    async def attendance_of(self, session_id: UUID, participant_ref: str) -> asyncpg.Record | None:
        """The session's recorded status, kind and minutes, if recorded."""
        row: asyncpg.Record | None = await self.conn.fetchrow(
            "SELECT status, kind, minutes FROM planning_attendance"
            " WHERE session_id = $1 AND participant_ref = $2",
            session_id,
            participant_ref,
        )
        return row

    async def add_attendance(
        self,
        session_id: UUID,
        participant_ref: str,
        session_on: date,
        group_id: UUID | None,
        kind: str,
        form: str,
        status: str,
        minutes: int,
        hours: float,
        absence_reason: str | None = None,
        session_minutes: int | None = None,
        recording_partner: str | None = None,
        module: str | None = None,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO planning_attendance (session_id, participant_ref, session_on, group_id,"
            " kind, teaching_form, status, minutes, hours, absence_reason, session_minutes,"
            " recording_partner, module)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            session_id,
            participant_ref,
            session_on,
            group_id,
            kind,
            form,
            status,
            minutes,
            hours,
            absence_reason,
            session_minutes,
            recording_partner,
            module,
        )

    async def line_of(self, session_id: UUID, participant_ref: str) -> asyncpg.Record | None:
        """The whole recorded line (for a correction), locked, if recorded."""
        row: asyncpg.Record | None = await self.conn.fetchrow(
            "SELECT session_on, kind, status, minutes, hours, absence_reason, session_minutes,"
            " module FROM planning_attendance WHERE session_id = $1 AND participant_ref = $2"
            " FOR UPDATE",
            session_id,
            participant_ref,
        )
        return row

    async def correct_line(self, correction: dict[str, Any]) -> None:
        """Keep the correction (both values, who, when, why) and change the line to its new
        value: the ledger's sums follow, the history stays."""
        c = correction
        await self.conn.execute(
            "INSERT INTO planning_attendance_corrections (correction_id, session_id,"
            " participant_ref, old_status, old_minutes, old_hours, old_absence_reason,"
            " new_status, new_minutes, new_hours, new_absence_reason, corrected_by,"
            " corrected_at, reason, note)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            c["correction_id"],
            c["session_id"],
            c["participant_ref"],
            c["old_status"],
            c["old_minutes"],
            c["old_hours"],
            c["old_absence_reason"],
            c["new_status"],
            c["new_minutes"],
            c["new_hours"],
            c["new_absence_reason"],
            c["corrected_by"],
            c["corrected_at"],
            c["reason"],
            c["note"],
        )
        await self.conn.execute(
            "UPDATE planning_attendance SET status = $3, minutes = $4, hours = $5,"
            " absence_reason = $6 WHERE session_id = $1 AND participant_ref = $2",
            c["session_id"],
            c["participant_ref"],
            c["new_status"],
            c["new_minutes"],
            c["new_hours"],
            c["new_absence_reason"],
        )

    async def present_minutes_on(self, participant_ref: str, day: date, *, besides: UUID) -> int:
        """Minutes the participant was recorded present on ``day`` in sessions other than
        ``besides``."""
        minutes: int = await self.conn.fetchval(
            "SELECT coalesce(sum(minutes), 0) FROM planning_attendance"
            " WHERE participant_ref = $1 AND session_on = $2 AND session_id <> $3"
            " AND status = 'present'",
            participant_ref,
            day,
            besides,
        )
        return minutes

    async def attendance_since(
        self, participant_ref: str, after: date, *, count_excused: bool
    ) -> asyncpg.Record:
        """Sessions (``n``), minutes planned and minutes not missed after ``after``: present,
        and absent with a reason unless ``count_excused`` (then that is missed too)."""
        row: asyncpg.Record = await self.conn.fetchrow(
            "SELECT count(*) AS n, coalesce(sum(minutes), 0) AS planned,"
            " coalesce(sum(minutes) FILTER (WHERE status = 'present'"
            " OR (NOT $3 AND status = 'absent_with_reason')), 0) AS not_missed"
            " FROM planning_attendance WHERE participant_ref = $1 AND session_on > $2",
            participant_ref,
            after,
            count_excused,
        )
        return row

    async def add_review(
        self, review_id: UUID, participant_ref: str, trigger: str, due_on: date
    ) -> None:
        await self.conn.execute(
            "INSERT INTO planning_reviews (review_id, participant_ref, trigger, due_on)"
            " VALUES ($1, $2, $3, $4)",
            review_id,
            participant_ref,
            trigger,
            due_on,
        )

    async def hold_review(
        self, review_id: UUID, participant_ref: str, held_on: date, outcome: str
    ) -> bool:
        """Record an open review's outcome; False when no such open review exists."""
        status = await self.conn.execute(
            "UPDATE planning_reviews SET held_on = $3, outcome = $4"
            " WHERE review_id = $1 AND participant_ref = $2 AND held_on IS NULL",
            review_id,
            participant_ref,
            held_on,
            outcome,
        )
        return bool(status == "UPDATE 1")
