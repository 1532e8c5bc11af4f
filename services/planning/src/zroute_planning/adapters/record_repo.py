"""What the features read and keep besides plans and groups (``uow.records``): participants,
preconditions, partners and programmes as the other services register them, the hours
ledger's sums, follow-ups, reviews, schedules, due timers.
The SQL stays in ``records.py``; this is its face on the unit of work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import HoursKind, PreconditionKind
from zroute_runtime.repository import TrackingRepository

from zroute_planning.adapters import records


class RecordRepository(TrackingRepository):
    async def record_precondition(
        self,
        precondition_id: UUID,
        participant_ref: str,
        kind: PreconditionKind,
        *,
        arranged: bool,
        on: date,
    ) -> None:
        await records.record_precondition(
            self.conn, precondition_id, participant_ref, kind, arranged=arranged, on=on
        )

    async def arranged_kinds(self, participant_ref: str) -> set[PreconditionKind]:
        return await records.arranged_kinds(self.conn, participant_ref)

    async def teaching_partner(self, programme_id: str, default: str) -> str:
        return await records.teaching_partner(self.conn, programme_id, default)

    async def hours_to_date(self, participant_ref: str) -> dict[HoursKind, float]:
        return await records.hours_to_date(self.conn, participant_ref)

    async def follow_up_id(self, participant_ref: str) -> UUID | None:
        return await records.follow_up_id(self.conn, participant_ref)

    async def reviewed_since(self, participant_ref: str, since: date) -> bool:
        """True when a review is open, or one was held on or after ``since``."""
        return await records.reviewed_since(self.conn, participant_ref, since)

    async def participant_known(self, participant_ref: str) -> bool:
        """Whether planning has seen the participant (registered, or its intake completed)."""
        return await records.participant_known(self.conn, participant_ref)

    async def record_participant(
        self,
        participant_ref: str,
        programme_id: str,
        municipality: str,
        *,
        registered_on: date | None = None,
    ) -> None:
        await records.record_participant(
            self.conn, participant_ref, programme_id, municipality, registered_on=registered_on
        )

    async def municipality_of(self, participant_ref: str) -> str | None:
        return await records.municipality_of(self.conn, participant_ref)

    async def partner_can_teach(self, partner_id: str) -> bool:
        """False when the registry knows the partner as inactive or not teaching language; True when it can, or when support has not told us about it (nothing to hold against)."""
        return await records.partner_can_teach(self.conn, partner_id)

    async def timer_due(self, *, kind: str, key: str) -> datetime | None:
        """When a pending timer of ours is due (read only; the runtime owns the table)."""
        return await records.timer_due(self.conn, kind=kind, key=key)

    async def programme_municipalities(self, programme_id: str) -> set[str]:
        """The municipalities of a programme's participants (one, for a municipal programme)."""
        return await records.programme_municipalities(self.conn, programme_id)

    async def registered_teaching_partner(self, programme_id: str) -> str | None:
        """The teaching partner the programme's agreement names; None without an agreement."""
        return await records.registered_teaching_partner(self.conn, programme_id)

    async def agree_follow_up(
        self,
        follow_up_id: UUID,
        participant_ref: str,
        follow_up_type: str,
        partner_id: str,
        starts_on: date,
        agreements: list[dict[str, Any]],
        on: date,
    ) -> None:
        """Record (or replace) the participant's agreed follow-up."""
        await self.conn.execute(
            "INSERT INTO planning_follow_ups VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (participant_ref) DO UPDATE SET follow_up_id = $1, follow_up_type = $3,"
            " partner_id = $4, starts_on = $5, agreements = $6, agreed_on = $7",
            follow_up_id,
            participant_ref,
            follow_up_type,
            partner_id,
            starts_on,
            agreements,
            on,
        )

    async def save_schedule(
        self, plan_id: UUID, phase: int, valid_from: date, sessions: list[dict[str, Any]]
    ) -> None:
        """The plan's published week (one per plan, replaced)."""
        await self.conn.execute(
            "INSERT INTO planning_schedules VALUES ($1, $2, $3, $4) ON CONFLICT (plan_id)"
            " DO UPDATE SET phase = $2, valid_from = $3, sessions = $4",
            plan_id,
            phase,
            valid_from,
            sessions,
        )

    async def lock_formation(self, key: int) -> None:
        """One formation run at a time: a lock held until the transaction ends."""
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", key)

    async def record_partner(self, partner_id: str, capabilities: list[str], active: bool) -> None:
        await self.conn.execute(
            "INSERT INTO planning_partners VALUES ($1, $2, $3) ON CONFLICT (partner_id)"
            " DO UPDATE SET capabilities = $2, active = $3",
            partner_id,
            capabilities,
            active,
        )

    async def record_programme(
        self, programme_id: str, teaching_partner: str, lead_partner: str, version: int
    ) -> None:
        """The programme's partners as its agreement names them; an older version of the
        agreement never overwrites a newer one."""
        await self.conn.execute(
            "INSERT INTO planning_programmes VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id)"
            " DO UPDATE SET teaching_partner = $2, lead_partner = $3, agreement_version = $4"
            " WHERE planning_programmes.agreement_version <= $4",
            programme_id,
            teaching_partner,
            lead_partner,
            version,
        )
