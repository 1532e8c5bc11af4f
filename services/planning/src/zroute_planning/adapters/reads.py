"""What the HTTP reads need (``uow.reads``): one connection style, the unit of work's.
The views' own SQL lives here; what the commands read too (groups, the waiting list, a
participant's municipality, hours) is asked of their repositories, whose SQL is written
once. ``service_layer/views.py`` is its one caller."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import HoursKind
from zroute_runtime.repository import TrackingRepository

from zroute_planning.adapters.group_repo import GroupRepository, GroupRow
from zroute_planning.adapters.record_repo import RecordRepository


class PlanningReads(TrackingRepository):
    def __init__(self, conn: Any) -> None:
        super().__init__(conn)
        # The reads the commands make too are asked of their repositories, on this
        # connection: their SQL is written once.
        self._groups = GroupRepository(conn)
        self._records = RecordRepository(conn)

    async def attendance(self, participant_ref: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM planning_attendance WHERE participant_ref = $1 ORDER BY session_on",
            participant_ref,
        )
        return rows

    async def attendance_lines(self, participant_ref: str) -> list[asyncpg.Record]:
        """A participant's recorded lines, latest first, each with its corrections (a JSON
        list, oldest first): the screens show the old and new values, who and when."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT a.session_id, a.session_on, a.kind, a.teaching_form, a.status, a.minutes,"
            " a.hours, a.recording_partner, coalesce((SELECT json_agg(json_build_object("
            "'old_status', c.old_status, 'old_hours', c.old_hours,"
            " 'new_status', c.new_status, 'new_hours', c.new_hours,"
            " 'corrected_by', c.corrected_by, 'corrected_at', c.corrected_at,"
            " 'reason', c.reason) ORDER BY c.corrected_at)"
            " FROM planning_attendance_corrections c WHERE c.session_id = a.session_id"
            " AND c.participant_ref = a.participant_ref), '[]'::json) AS corrections"
            " FROM planning_attendance a WHERE a.participant_ref = $1"
            " ORDER BY a.session_on DESC, a.session_id",
            participant_ref,
        )
        return rows

    async def schedule(self, plan_id: UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM planning_schedules WHERE plan_id = $1", plan_id
        )

    async def placements(self, participant_ref: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM planning_placements WHERE participant_ref = $1 ORDER BY requested_on,"
            " needed_by",
            participant_ref,
        )
        return rows

    async def reviews(self, participant_ref: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM planning_reviews WHERE participant_ref = $1 ORDER BY due_on",
            participant_ref,
        )
        return rows

    async def follow_up(self, participant_ref: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM planning_follow_ups WHERE participant_ref = $1", participant_ref
        )

    async def hours_to_date(self, participant_ref: str) -> dict[HoursKind, float]:
        return await self._records.hours_to_date(participant_ref)

    async def current_group(self, participant_ref: str) -> GroupRow | None:
        return await self._groups.current_group(participant_ref)

    async def group(self, group_id: UUID) -> GroupRow | None:
        return await self._groups.get_group(group_id)

    async def active_groups(
        self, programme_id: str | None, partner_id: str | None, municipality: str | None
    ) -> list[GroupRow]:
        return await self._groups.active_groups(programme_id, partner_id, municipality)

    async def week_counts(
        self, programme_id: str | None, partner_id: str | None, municipality: str | None
    ) -> tuple[list[tuple[str, str, int, int]], int]:
        return await self._groups.week_counts(programme_id, partner_id, municipality)

    async def waiting(
        self,
        programme_id: str | None,
        *,
        municipality: str | None,
        teaching_partner: str | None,
    ) -> list[asyncpg.Record]:
        return await self._groups.waiting(
            programme_id,
            municipality=municipality,
            teaching_partner=teaching_partner,
        )

    async def teaching_partner(self, programme_id: str, default: str) -> str:
        return await self._records.teaching_partner(programme_id, default)

    async def registered_teaching_partner(self, programme_id: str) -> str | None:
        return await self._records.registered_teaching_partner(programme_id)

    async def municipality_of(self, participant_ref: str) -> str | None:
        return await self._records.municipality_of(participant_ref)

    async def programme_municipalities(self, programme_id: str) -> set[str]:
        return await self._records.programme_municipalities(programme_id)

    # ------------------------------------------------------------------ the screens' reads
    # (issue 19): the programme's plans by stage, searched and paged in the database, and
    # the cohort counted by stage. A plan's stage is its status, or for an active plan
    # with a published week the ramp-up phase of that week ("phase-2"). ``scope`` is
    # (programme, municipality, teaching partner, default teaching partner): None names
    # no limit; a programme without a recorded agreement is the default partner's.

    async def plan_page(
        self,
        scope: list[str | None],
        *,
        stage: str | None,
        at_risk: bool,
        search: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[asyncpg.Record], int]:
        """One page of the plans in the caller's scope, at risk first, and the total (in
        the same pass; counted apart only for a page past the end)."""
        args = [*scope, stage, at_risk, search and f"%{search}%"]
        where = (
            _SCOPED + " AND ($5::text IS NULL OR stage = $5) AND (NOT $6::boolean OR at_risk)"
            " AND ($7::text IS NULL OR participant_ref ILIKE $7)"
        )
        rows: list[asyncpg.Record] = await self.conn.fetch(
            f"SELECT *, count(*) OVER () AS total FROM ({_STAGED}) p {where}"
            " ORDER BY at_risk DESC, start_on NULLS LAST, participant_ref LIMIT $8 OFFSET $9",
            *args,
            limit,
            offset,
        )
        if rows:
            return rows, int(rows[0]["total"])
        total = await self.conn.fetchval(f"SELECT count(*) FROM ({_STAGED}) p {where}", *args)
        return rows, int(total)

    async def cohort_by_stage(self, scope: list[str | None]) -> dict[str, int]:
        """How many plans in the caller's scope are at each stage."""
        rows = await self.conn.fetch(
            f"SELECT stage, count(*) AS n FROM ({_STAGED}) p {_SCOPED} GROUP BY stage", *scope
        )
        return {r["stage"]: r["n"] for r in rows}

    async def plan_programmes(self, scope: list[str | None]) -> list[str]:
        """The programmes with plans in the caller's scope (a programme is a municipality's
        when it has participants there, as for the groups)."""
        rows = await self.conn.fetch(
            "SELECT DISTINCT pl.programme_id FROM planning_plans pl"
            " LEFT JOIN planning_programmes pr ON pr.programme_id = pl.programme_id"
            " WHERE ($1::text IS NULL OR pl.programme_id = $1) AND ($2::text IS NULL OR"
            " pl.programme_id IN (SELECT programme_id FROM planning_participants"
            " WHERE municipality = $2))"
            " AND ($3::text IS NULL OR coalesce(pr.teaching_partner, $4::text) = $3)"
            " ORDER BY pl.programme_id",
            *scope,
        )
        return [r["programme_id"] for r in rows]

    async def task_partners(self, programme_id: str) -> dict[str, str]:
        """The programme's task division (task -> partner), for the recording check."""
        return await self._records.task_partners(programme_id)

    async def hours_export(self, programme_id: str) -> list[asyncpg.Record]:
        """Present hours of the programme's participants per participant, kind, month and
        recording partner, with the sessions and corrections behind each figure."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT a.participant_ref, a.kind, to_char(a.session_on, 'YYYY-MM') AS month,"
            " a.recording_partner, coalesce(a.module, '') AS module,"
            " sum(a.hours) AS hours, count(*) AS sessions,"
            " coalesce(sum(c.n), 0) AS corrections"
            " FROM planning_attendance a JOIN planning_plans p"
            " ON p.participant_ref = a.participant_ref"
            " LEFT JOIN (SELECT session_id, participant_ref, count(*) AS n"
            " FROM planning_attendance_corrections GROUP BY session_id, participant_ref) c"
            " ON c.session_id = a.session_id AND c.participant_ref = a.participant_ref"
            " WHERE p.programme_id = $1 AND a.status = 'present'"
            " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
            programme_id,
        )
        return rows

    async def hours_trace(
        self, participant_ref: str, kind: str, month: str
    ) -> list[asyncpg.Record]:
        """The ledger lines of one participant, kind and month (``YYYY-MM``) with their
        corrections (as a JSON list, oldest first)."""
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT a.session_id, a.session_on, a.teaching_form, a.status, a.minutes, a.hours,"
            " a.recording_partner, coalesce((SELECT json_agg(json_build_object("
            "'correction_id', c.correction_id, 'old_status', c.old_status,"
            " 'old_hours', c.old_hours, 'new_status', c.new_status, 'new_hours', c.new_hours,"
            " 'corrected_by', c.corrected_by, 'corrected_at', c.corrected_at,"
            " 'reason', c.reason) ORDER BY c.corrected_at)"
            " FROM planning_attendance_corrections c WHERE c.session_id = a.session_id"
            " AND c.participant_ref = a.participant_ref), '[]'::json) AS corrections"
            " FROM planning_attendance a WHERE a.participant_ref = $1 AND a.kind = $2"
            " AND to_char(a.session_on, 'YYYY-MM') = $3 ORDER BY a.session_on, a.session_id",
            participant_ref,
            kind,
            month,
        )
        return rows


_STAGED = (
    "SELECT pl.participant_ref, pl.programme_id, pl.status, pl.level_band, pl.start_on,"
    " pl.term_end, pl.at_risk, pl.activated_on, s.phase,"
    " CASE WHEN pl.status = 'active' AND s.phase IS NOT NULL THEN 'phase-' || s.phase"
    " ELSE pl.status END AS stage,"
    " coalesce(pr.teaching_partner, $4::text) AS teaching_partner, pp.municipality"
    " FROM planning_plans pl LEFT JOIN planning_schedules s ON s.plan_id = pl.plan_id"
    " LEFT JOIN planning_programmes pr ON pr.programme_id = pl.programme_id"
    " LEFT JOIN planning_participants pp ON pp.participant_ref = pl.participant_ref"
)
_SCOPED = (
    "WHERE ($1::text IS NULL OR programme_id = $1)"
    " AND ($2::text IS NULL OR municipality IS NULL OR municipality = $2)"
    " AND ($3::text IS NULL OR teaching_partner = $3)"
)
