"""Support's answers to placement requests (``uow.placements``): confirmed or declined."""

from __future__ import annotations

from uuid import UUID

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
