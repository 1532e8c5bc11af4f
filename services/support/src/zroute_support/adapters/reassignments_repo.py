"""Manual reassignments: who moved which work to which partner, why, and whether it was
an exception to the task division (``uow.reassignments``)."""

from __future__ import annotations

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.reassignments import Reassignment


def _reassignment(row: asyncpg.Record) -> Reassignment:
    return Reassignment(
        kind=row["kind"],
        item_id=row["item_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        from_partner=row["from_partner"],
        to_partner=row["to_partner"],
        reason=row["reason"],
        exception=row["exception"],
        reassigned_by=row["reassigned_by"],
        reassigned_at=row["reassigned_at"],
    )


class ReassignmentRepository(TrackingRepository):
    """Written once, never changed: the record of each manual move."""

    async def add(self, reassignment: Reassignment) -> None:
        self._seen_now(reassignment)  # its event is collected at commit
        await self.conn.execute(
            """
            INSERT INTO support_reassignments (kind, item_id, participant_ref, programme_id,
                from_partner, to_partner, reason, exception, reassigned_by, reassigned_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            reassignment.kind,
            reassignment.item_id,
            reassignment.participant_ref,
            reassignment.programme_id,
            reassignment.from_partner,
            reassignment.to_partner,
            reassignment.reason,
            reassignment.exception,
            reassignment.reassigned_by,
            reassignment.reassigned_at,
        )

    async def for_participant(self, participant_ref: str) -> list[Reassignment]:
        rows = await self.conn.fetch(
            "SELECT * FROM support_reassignments WHERE participant_ref = $1 ORDER BY id",
            participant_ref,
        )
        return [_reassignment(r) for r in rows]
