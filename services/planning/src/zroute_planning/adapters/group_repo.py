"""Groups, members and the waiting list (``uow.groups``): the SQL stays in ``groups.py``;
this is its face on the unit of work."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_planning.adapters import groups
from zroute_planning.adapters.groups import GroupRow


class GroupRepository(TrackingRepository):
    async def active_groups(
        self,
        programme_id: str | None = None,
        partner_id: str | None = None,
        municipality: str | None = None,
    ) -> list[GroupRow]:
        return await groups.active_groups(self.conn, programme_id, partner_id, municipality)

    async def get_group(self, group_id: UUID) -> GroupRow | None:
        return await groups.get_group(self.conn, group_id)

    async def current_group(self, participant_ref: str) -> GroupRow | None:
        return await groups.current_group(self.conn, participant_ref)

    async def insert_group(self, group: GroupRow) -> None:
        await groups.insert_group(self.conn, group)

    async def dissolve(self, group_id: UUID, on: date) -> None:
        await groups.dissolve(self.conn, group_id, on)

    async def add_member(self, group_id: UUID, ref: str, on: date) -> None:
        await groups.add_member(self.conn, group_id, ref, on)

    async def remove_member(self, ref: str, on: date, reason: str) -> UUID | None:
        """End ``ref``'s current membership; returns the group left, if any."""
        return await groups.remove_member(self.conn, ref, on, reason)

    async def waiting(
        self,
        programme_id: str | None = None,
        *,
        municipality: str | None = None,
        teaching_partner: str | None = None,
    ) -> list[asyncpg.Record]:
        """Who waits; limited to one municipality's participants and, for a partner's staff, to the programmes that partner teaches, when those are given."""
        return await groups.waiting(
            self.conn, programme_id, municipality=municipality, teaching_partner=teaching_partner
        )

    async def set_waiting(
        self, ref: str, programme_id: str, band: str, reason: str, on: date
    ) -> bool:
        """Put ``ref`` on the waiting list; True when they were not on it with that reason."""
        return await groups.set_waiting(self.conn, ref, programme_id, band, reason, on)

    async def waiting_since(self, ref: str) -> date | None:
        return await groups.waiting_since(self.conn, ref)

    async def clear_waiting(self, ref: str) -> None:
        await groups.clear_waiting(self.conn, ref)
