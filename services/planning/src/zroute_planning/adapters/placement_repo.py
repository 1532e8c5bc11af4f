"""Placement requests (``uow.placements``): requested, escalated, cancelled, and support's
answers (confirmed or declined)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
from zroute_runtime import timers
from zroute_runtime.repository import TrackingRepository

ESCALATION = "placement-confirmation"
"""The timer kind of an unconfirmed request's escalation (``scheduling.PLACEMENT``)."""


class PlacementRepository(TrackingRepository):
    async def confirm(self, placement_request_id: UUID, placement_id: UUID) -> bool:
        """Mark a request confirmed and stop its escalation; False for an unknown request."""
        status = await self.conn.execute(
            "UPDATE planning_placements SET status = 'confirmed', placement_id = $2"
            " WHERE placement_request_id = $1",
            placement_request_id,
            placement_id,
        )
        if status != "UPDATE 1":
            return False
        await timers.cancel(self.conn, kind=ESCALATION, key=str(placement_request_id))
        return True

    async def decline(self, placement_request_id: UUID) -> bool:
        """Mark a still requested request declined; False for an unknown request (a
        request already answered stays as it is, and is known)."""
        status = await self.conn.execute(
            "UPDATE planning_placements SET status = 'declined' WHERE placement_request_id = $1"
            " AND status = 'requested'",
            placement_request_id,
        )
        exists = await self.conn.fetchval(
            "SELECT 1 FROM planning_placements WHERE placement_request_id = $1",
            placement_request_id,
        )
        return status == "UPDATE 1" or bool(exists)

    async def add(
        self,
        placement_request_id: UUID,
        participant_ref: str,
        activity: str,
        needed_by: date,
        hours_per_week: float,
        on: date,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO planning_placements (placement_request_id, participant_ref, activity,"
            " needed_by, hours_per_week, status, requested_on) VALUES ($1, $2, $3, $4, $5,"
            " 'requested', $6)",
            placement_request_id,
            participant_ref,
            activity,
            needed_by,
            hours_per_week,
            on,
        )

    async def get_for_update(self, placement_request_id: UUID) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self.conn.fetchrow(
            "SELECT * FROM planning_placements WHERE placement_request_id = $1 FOR UPDATE",
            placement_request_id,
        )
        return row

    async def set_escalations(self, placement_request_id: UUID, level: int) -> None:
        await self.conn.execute(
            "UPDATE planning_placements SET escalations = $2 WHERE placement_request_id = $1",
            placement_request_id,
            level,
        )

    async def has_open_or_confirmed(self, participant_ref: str) -> bool:
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM planning_placements WHERE participant_ref = $1"
                " AND status IN ('requested', 'declined', 'confirmed') LIMIT 1",
                participant_ref,
            )
        )

    async def cancel_open(self, participant_ref: str) -> list[UUID]:
        """Cancel the requests still open; returns their ids."""
        rows = await self.conn.fetch(
            "UPDATE planning_placements SET status = 'cancelled' WHERE participant_ref = $1"
            " AND status IN ('requested', 'declined') RETURNING placement_request_id",
            participant_ref,
        )
        return [r["placement_request_id"] for r in rows]
