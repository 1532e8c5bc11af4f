"""Groups, members and the waiting list (``uow.groups``), as rows: the SQL lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import LevelBand
from zroute_runtime.repository import TrackingRepository

from zroute_planning.domain.grouping import SlotSet


@dataclass(frozen=True)
class GroupRow:
    group_id: UUID
    programme_id: str
    partner_id: str
    level_band: LevelBand
    slots: SlotSet
    sessions: list[dict[str, Any]]
    teacher: str
    assistant: str | None
    starts_on: date
    members: tuple[str, ...]


_SELECT = (
    "SELECT g.*, coalesce(array_agg(m.participant_ref ORDER BY m.participant_ref)"
    " FILTER (WHERE m.participant_ref IS NOT NULL), '{}') AS members"
    " FROM planning_groups g LEFT JOIN planning_group_members m"
    " ON m.group_id = g.group_id AND m.left_on IS NULL"
)


def _group(row: asyncpg.Record) -> GroupRow:
    return GroupRow(
        group_id=row["group_id"],
        programme_id=row["programme_id"],
        partner_id=row["partner_id"],
        level_band=LevelBand(row["level_band"]),
        slots=tuple(tuple(s) for s in row["slots"]),
        sessions=row["sessions"],
        teacher=row["teacher"],
        assistant=row["assistant"],
        starts_on=row["starts_on"],
        members=tuple(row["members"]),
    )


# A programme belongs to the municipality of its participants (planning_participants).
_IN_MUNICIPALITY = (
    " ($3::text IS NULL OR g.programme_id IN"
    " (SELECT programme_id FROM planning_participants WHERE municipality = $3))"
)


class GroupRepository(TrackingRepository):
    async def active_groups(
        self,
        programme_id: str | None = None,
        partner_id: str | None = None,
        municipality: str | None = None,
    ) -> list[GroupRow]:
        rows = await self.conn.fetch(
            _SELECT + " WHERE g.dissolved_on IS NULL AND ($1::text IS NULL OR g.programme_id = $1)"
            " AND ($2::text IS NULL OR g.partner_id = $2) AND" + _IN_MUNICIPALITY + " GROUP BY"
            " g.group_id ORDER BY g.starts_on, g.group_id",
            programme_id,
            partner_id,
            municipality,
        )
        return [_group(r) for r in rows]

    async def week_counts(
        self,
        programme_id: str | None = None,
        partner_id: str | None = None,
        municipality: str | None = None,
    ) -> tuple[list[tuple[str, str, int, int]], int]:
        """How many active groups meet in each (weekday, part of the day) and how many
        participants they hold, counted in the database, and how many groups in all: the
        week grid of a programme with hundreds of groups without reading them."""
        rows = await self.conn.fetch(
            "SELECT s->>'weekday' AS weekday, s->>'day_part' AS day_part,"
            " count(DISTINCT g.group_id) AS groups, count(m.participant_ref) AS participants"
            " FROM planning_groups g CROSS JOIN jsonb_array_elements(g.sessions) s"
            " LEFT JOIN planning_group_members m ON m.group_id = g.group_id AND m.left_on IS NULL"
            " WHERE g.dissolved_on IS NULL AND ($1::text IS NULL OR g.programme_id = $1)"
            " AND ($2::text IS NULL OR g.partner_id = $2) AND"
            + _IN_MUNICIPALITY
            + " GROUP BY 1, 2",
            programme_id,
            partner_id,
            municipality,
        )
        total = await self.conn.fetchval(
            "SELECT count(*) FROM planning_groups g WHERE g.dissolved_on IS NULL"
            " AND ($1::text IS NULL OR g.programme_id = $1)"
            " AND ($2::text IS NULL OR g.partner_id = $2) AND" + _IN_MUNICIPALITY,
            programme_id,
            partner_id,
            municipality,
        )
        cells = [(r["weekday"], r["day_part"], r["groups"], r["participants"]) for r in rows]
        return cells, total

    async def get_group(self, group_id: UUID) -> GroupRow | None:
        row = await self.conn.fetchrow(
            _SELECT + " WHERE g.group_id = $1 GROUP BY g.group_id", group_id
        )
        return _group(row) if row else None

    async def current_group(self, participant_ref: str) -> GroupRow | None:
        group_id = await self.conn.fetchval(
            "SELECT group_id FROM planning_group_members WHERE participant_ref = $1"
            " AND left_on IS NULL",
            participant_ref,
        )
        return await self.get_group(group_id) if group_id else None

    async def insert_group(self, group: GroupRow) -> None:
        await self.conn.execute(
            "INSERT INTO planning_groups (group_id, programme_id, partner_id, level_band, slots,"
            " sessions, teacher, assistant, starts_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            group.group_id,
            group.programme_id,
            group.partner_id,
            group.level_band.value,
            [list(s) for s in group.slots],
            group.sessions,
            group.teacher,
            group.assistant,
            group.starts_on,
        )

    async def dissolve(self, group_id: UUID, on: date) -> None:
        await self.conn.execute(
            "UPDATE planning_groups SET dissolved_on = $2 WHERE group_id = $1", group_id, on
        )

    async def add_member(self, group_id: UUID, ref: str, on: date) -> None:
        await self.conn.execute(
            "INSERT INTO planning_group_members (group_id, participant_ref, joined_on)"
            " VALUES ($1, $2, $3)",
            group_id,
            ref,
            on,
        )

    async def remove_member(self, ref: str, on: date, reason: str) -> UUID | None:
        """End ``ref``'s current membership; returns the group left, if any."""
        result: UUID | None = await self.conn.fetchval(
            "UPDATE planning_group_members SET left_on = $2, left_reason = $3"
            " WHERE participant_ref = $1 AND left_on IS NULL RETURNING group_id",
            ref,
            on,
            reason,
        )
        return result

    async def waiting(
        self,
        programme_id: str | None = None,
        *,
        municipality: str | None = None,
        teaching_partner: str | None = None,
    ) -> list[asyncpg.Record]:
        """Who waits; limited to one municipality's participants and, for a partner's staff, to
        the programmes that partner teaches, when those are given."""
        result: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT w.* FROM planning_waiting_list w WHERE ($1::text IS NULL OR w.programme_id = $1)"
            " AND ($2::text IS NULL OR w.participant_ref IN"
            "  (SELECT participant_ref FROM planning_participants WHERE municipality = $2))"
            " AND ($3::text IS NULL OR w.programme_id IN"
            "  (SELECT programme_id FROM planning_programmes WHERE teaching_partner = $3))"
            " ORDER BY w.since, w.participant_ref",
            programme_id,
            municipality,
            teaching_partner,
        )
        return result

    async def set_waiting(
        self, ref: str, programme_id: str, band: str, reason: str, on: date
    ) -> bool:
        """Put ``ref`` on the waiting list; True when they were not on it with that reason."""
        before = await self.conn.fetchrow(
            "SELECT reason, level_band FROM planning_waiting_list WHERE participant_ref = $1", ref
        )
        await self.conn.execute(
            "INSERT INTO planning_waiting_list VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (participant_ref) DO UPDATE SET reason = $4, level_band = $3,"
            " programme_id = $2",
            ref,
            programme_id,
            band,
            reason,
            on,
        )
        return before is None or before["reason"] != reason or before["level_band"] != band

    async def waiting_since(self, ref: str) -> date | None:
        result: date | None = await self.conn.fetchval(
            "SELECT since FROM planning_waiting_list WHERE participant_ref = $1", ref
        )
        return result

    async def clear_waiting(self, ref: str) -> None:
        await self.conn.execute("DELETE FROM planning_waiting_list WHERE participant_ref = $1", ref)

    async def record_change(
        self,
        group_id: UUID,
        participant_ref: str | None,
        *,
        action: str,
        reason: str,
        by: str,
        at: datetime,
    ) -> None:
        """Keep a change made by hand (issue 16 item 6): what, to whom, why, who, when."""
        await self.conn.execute(
            "INSERT INTO planning_group_changes"
            " (group_id, participant_ref, action, reason, changed_by, changed_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            group_id,
            participant_ref,
            action,
            reason,
            by,
            at,
        )

    async def record_level_test(
        self,
        participant_ref: str,
        band: str,
        *,
        tested_on: date,
        reason: str,
        by: str,
        at: datetime,
    ) -> None:
        """Keep a level band set after a level test, with the test's date."""
        await self.conn.execute(
            "INSERT INTO planning_level_tests"
            " (participant_ref, level_band, tested_on, reason, recorded_by, recorded_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            participant_ref,
            band,
            tested_on,
            reason,
            by,
            at,
        )

    async def meets(self, group_id: UUID) -> bool:
        """True for a group that exists and is not dissolved."""
        return bool(
            await self.conn.fetchval(
                "SELECT dissolved_on IS NULL FROM planning_groups WHERE group_id = $1", group_id
            )
        )
