"""What the HTTP reads need (``uow.reads``): one connection style, the unit of work's, and
the only place the read SQL lives. ``service_layer/views.py`` is its one caller."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from zroute_contract.events.codes import HoursKind
from zroute_runtime.repository import TrackingRepository

from zroute_planning.adapters import groups, records
from zroute_planning.adapters.groups import GroupRow


class PlanningReads(TrackingRepository):
    async def attendance(self, participant_ref: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM planning_attendance WHERE participant_ref = $1 ORDER BY session_on",
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
        return await records.hours_to_date(self.conn, participant_ref)

    async def current_group(self, participant_ref: str) -> GroupRow | None:
        return await groups.current_group(self.conn, participant_ref)

    async def group(self, group_id: UUID) -> GroupRow | None:
        return await groups.get_group(self.conn, group_id)

    async def active_groups(
        self, programme_id: str | None, partner_id: str | None, municipality: str | None
    ) -> list[GroupRow]:
        return await groups.active_groups(self.conn, programme_id, partner_id, municipality)

    async def waiting(
        self,
        programme_id: str | None,
        *,
        municipality: str | None,
        teaching_partner: str | None,
    ) -> list[asyncpg.Record]:
        return await groups.waiting(
            self.conn,
            programme_id,
            municipality=municipality,
            teaching_partner=teaching_partner,
        )

    async def teaching_partner(self, programme_id: str, default: str) -> str:
        return await records.teaching_partner(self.conn, programme_id, default)

    async def registered_teaching_partner(self, programme_id: str) -> str | None:
        return await records.registered_teaching_partner(self.conn, programme_id)

    async def municipality_of(self, participant_ref: str) -> str | None:
        return await records.municipality_of(self.conn, participant_ref)

    async def programme_municipalities(self, programme_id: str) -> set[str]:
        return await records.programme_municipalities(self.conn, programme_id)
