"""The waiting list: work no partner could take yet, with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from zroute_contract.events.codes import PartnerCapability, Urgency
from zroute_runtime.repository import TrackingRepository

from zroute_support.adapters import waiting_reasons
from zroute_support.adapters.participants_repo import of_municipality
from zroute_support.domain.routing import WaitingReason


@dataclass(frozen=True)
class WaitingEntry:
    entry_id: UUID
    kind: str
    participant_ref: str
    programme_id: str
    capability: PartnerCapability
    reason: WaitingReason
    request: dict[str, Any]
    since: datetime

    @property
    def urgency(self) -> Urgency:
        """A referral's urgency (what it asks for); other work waits as routine."""
        return Urgency(self.request.get("urgency", Urgency.ROUTINE.value))


def _entry(r: Any) -> WaitingEntry:
    return WaitingEntry(
        r["entry_id"],
        r["kind"],
        r["participant_ref"],
        r["programme_id"],
        PartnerCapability(r["capability"]),
        waiting_reasons.from_text(r["reason"]),
        r["request"],
        r["since"],
    )


class WaitingList(TrackingRepository):
    """The waiting list (``uow.waiting``)."""

    async def add(
        self,
        *,
        kind: str,
        participant_ref: str,
        programme_id: str,
        capability: PartnerCapability,
        reason: WaitingReason,
        request: dict[str, Any],
        now: datetime,
    ) -> UUID:
        entry_id = uuid4()
        await self.conn.execute(
            """
            INSERT INTO support_waiting_list (entry_id, kind, participant_ref, programme_id,
                capability, reason, request, since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            entry_id,
            kind,
            participant_ref,
            programme_id,
            capability.value,
            waiting_reasons.to_text(reason),
            request,
            now,
        )
        return entry_id

    async def waiting(
        self,
        *,
        programme_id: str | None = None,
        capability: str | None = None,
        municipality: str | None = None,
    ) -> list[WaitingEntry]:
        """Open entries, oldest first (the service layer serves them by urgency first,
        ``domain.urgency.serving_order``)."""
        rows = await self.conn.fetch(
            f"""
            SELECT * FROM support_waiting_list WHERE resolved_at IS NULL
              AND ($1::text IS NULL OR programme_id = $1) AND ($2::text IS NULL OR capability = $2)
              AND {of_municipality("$3")}
            ORDER BY since, entry_id
            """,
            programme_id,
            capability,
            municipality,
        )
        return [_entry(r) for r in rows]

    async def get(self, entry_id: UUID) -> WaitingEntry | None:
        """An open entry, locked for the change."""
        row = await self.conn.fetchrow(
            "SELECT * FROM support_waiting_list WHERE entry_id = $1 AND resolved_at IS NULL"
            " FOR UPDATE",
            entry_id,
        )
        return _entry(row) if row else None

    async def set_reason(self, entry_id: UUID, reason: WaitingReason) -> None:
        await self.conn.execute(
            "UPDATE support_waiting_list SET reason = $2 WHERE entry_id = $1",
            entry_id,
            waiting_reasons.to_text(reason),
        )

    async def resolve(self, entry_id: UUID, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE support_waiting_list SET resolved_at = $2 WHERE entry_id = $1", entry_id, now
        )

    async def resolve_for(
        self, participant_ref: str, now: datetime, kind: str | None = None
    ) -> None:
        await self.conn.execute(
            "UPDATE support_waiting_list SET resolved_at = $2"
            " WHERE participant_ref = $1 AND resolved_at IS NULL"
            " AND ($3::text IS NULL OR kind = $3)",
            participant_ref,
            now,
            kind,
        )
