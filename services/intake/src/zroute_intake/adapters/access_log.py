"""The access log (``uow.access_log``): one row for every read of a participant's personal
data, written in the same transaction as the read."""

from __future__ import annotations

from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain.access import Access


class AccessLogRepository(TrackingRepository):
    async def record(self, access: Access) -> None:
        """Write one read to the log."""
        await self.conn.execute(
            """
            INSERT INTO intake_access_log
                (participant_ref, accessed_at, actor, actor_roles, purpose, fields, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            access.participant_ref,
            access.accessed_at,
            access.actor,
            list(access.actor_roles),
            access.purpose,
            list(access.fields),
            access.request_id,
        )

    async def for_participant(self, ref: str, limit: int = 200) -> list[Access]:
        """The participant's reads, newest first."""
        rows = await self.conn.fetch(
            """
            SELECT participant_ref, accessed_at, actor, actor_roles, purpose, fields, request_id
              FROM intake_access_log WHERE participant_ref = $1 ORDER BY id DESC LIMIT $2
            """,
            ref,
            limit,
        )
        return [
            Access(
                r["participant_ref"],
                r["accessed_at"],
                r["actor"],
                tuple(r["actor_roles"]),
                r["purpose"],
                tuple(r["fields"]),
                r["request_id"],
            )
            for r in rows
        ]
