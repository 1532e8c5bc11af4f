"""Preconditions per participant: childcare, transport and the configured kinds (the
``kind`` column holds the kind's code)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from zroute_contract.events.codes import (
    LapseReason,
    PreconditionKind,
    Weekday,
    precondition_kind,
)
from zroute_runtime.repository import TrackingRepository

from zroute_support.adapters import waiting_reasons
from zroute_support.adapters.participants_repo import of_municipality
from zroute_support.domain.preconditions import Precondition, PreconditionStatus


def _precondition(row: asyncpg.Record) -> Precondition:
    # The kind column holds the code: childcare, transport or a configured kind.
    kind = precondition_kind(row["kind"])
    return Precondition(
        precondition_id=row["precondition_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        kind=kind,
        code=row["kind"] if kind is PreconditionKind.OTHER else None,
        partner_id=row["partner_id"],
        status=PreconditionStatus(row["status"]),
        arrangement_id=row["arrangement_id"],
        arranged_by=row["arranged_by"],
        arranged_from=row["arranged_from"],
        arranged_until=row["arranged_until"],
        days_covered=tuple(Weekday(d) for d in row["days_covered"]),
        lapsed_on=row["lapsed_on"],
        lapse_reason=LapseReason(row["lapse_reason"]) if row["lapse_reason"] else None,
        waiting_reason=waiting_reasons.decode(row["waiting_reason"]),
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        version=row["version"],
    )


class PreconditionRepository(TrackingRepository):
    """Childcare and transport preconditions (``uow.preconditions``)."""

    async def get(self, precondition_id: UUID) -> Precondition | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM support_preconditions WHERE precondition_id = $1 FOR UPDATE",
            precondition_id,
        )
        return self._seen_now(_precondition(row)) if row else None

    async def for_participant(self, ref: str) -> list[Precondition]:
        rows = await self.conn.fetch(
            "SELECT * FROM support_preconditions WHERE participant_ref = $1 ORDER BY kind"
            " FOR UPDATE",
            ref,
        )
        return [self._seen_now(_precondition(r)) for r in rows]

    async def list(
        self,
        *,
        partner_id: str | None = None,
        programme_id: str | None = None,
        municipality: str | None = None,
    ) -> list[Precondition]:
        rows = await self.conn.fetch(
            f"""
            SELECT * FROM support_preconditions
            WHERE ($1::text IS NULL OR partner_id = $1 OR arranged_by = $1)
              AND ($2::text IS NULL OR programme_id = $2) AND {of_municipality("$3")}
            ORDER BY participant_ref, kind
            """,
            partner_id,
            programme_id,
            municipality,
        )
        return [self._seen_now(_precondition(r)) for r in rows]

    async def load(self, code: str) -> dict[str, int]:
        """Participants per partner whose precondition of kind ``code`` it holds (needed or
        arranged)."""
        rows = await self.conn.fetch(
            "SELECT partner_id, count(*) AS n FROM support_preconditions WHERE kind = $1"
            " AND status IN ('needed', 'arranged') AND partner_id IS NOT NULL GROUP BY partner_id",
            code,
        )
        return {r["partner_id"]: r["n"] for r in rows}

    async def save(self, p: Precondition) -> None:
        self._seen_now(p)  # its events are collected at commit
        p.version += 1
        await self.conn.execute(
            """
            INSERT INTO support_preconditions (precondition_id, participant_ref, programme_id,
                kind, partner_id, status, arrangement_id, arranged_by, arranged_from,
                arranged_until, days_covered, lapsed_on, lapse_reason, waiting_reason, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (precondition_id) DO UPDATE SET partner_id = $5, status = $6,
                arrangement_id = $7, arranged_by = $8, arranged_from = $9, arranged_until = $10,
                days_covered = $11, lapsed_on = $12, lapse_reason = $13, waiting_reason = $14,
                version = $15
            """,
            p.precondition_id,
            p.participant_ref,
            p.programme_id,
            p.precondition_code,
            p.partner_id,
            p.status.value,
            p.arrangement_id,
            p.arranged_by,
            p.arranged_from,
            p.arranged_until,
            [d.value for d in p.days_covered],
            p.lapsed_on,
            p.lapse_reason.value if p.lapse_reason else None,
            waiting_reasons.encode(p.waiting_reason),
            p.version,
        )
        await self.conn.execute(
            "UPDATE support_preconditions SET recorded_by = $2, recorded_at = $3"
            " WHERE precondition_id = $1",
            p.precondition_id,
            p.recorded_by,
            p.recorded_at,
        )
