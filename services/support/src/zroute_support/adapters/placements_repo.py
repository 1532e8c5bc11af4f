"""Placements, their employers (contacts of the job coach) and job-coach check-ins."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import CheckInOutcome, CheckInParty, ParticipationActivity
from zroute_runtime.repository import TrackingRepository

from zroute_support.adapters import waiting_reasons
from zroute_support.adapters.participants_repo import of_municipality
from zroute_support.domain.placements import JobCoach, Placement, PlacementStatus, Workplace

_ACTIVE = [PlacementStatus.OPEN.value, PlacementStatus.CONFIRMED.value]


def _placement(row: asyncpg.Record) -> Placement:
    workplace = None
    if row["employer_id"] is not None:
        workplace = Workplace(
            employer_id=row["employer_id"],
            location_id=row["location_id"],
            starts_on=row["starts_on"],
            hours_per_week=float(row["confirmed_hours"]),
            ends_on=row["ends_on"],
        )
    coach = None
    if row["job_coach"] is not None:
        coach = JobCoach(row["job_coach_partner_id"], row["job_coach"])
    return Placement(
        placement_request_id=row["placement_request_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        activity=ParticipationActivity(row["activity"]),
        needed_by=row["needed_by"],
        hours_per_week=float(row["hours_per_week"]),
        partner_id=row["partner_id"],
        status=PlacementStatus(row["status"]),
        waiting_reason=waiting_reasons.decode(row["waiting_reason"]),
        declined_by=tuple(row["declined_by"]),
        placement_id=row["placement_id"],
        workplace=workplace,
        job_coach=coach,
        escalation_level=row["escalation_level"],
        started_on=row["started_on"],
        end_reason=row["end_reason"],
        check_in_every_days=row["check_in_every_days"],
        last_check_in=row["last_check_in"],
        replaces=row["replaces"],
        version=row["version"],
    )


class PlacementRepository(TrackingRepository):
    """Placements and their check-ins (``uow.placements``)."""

    async def get(self, request_id: UUID, *, for_update: bool = True) -> Placement | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT * FROM support_placements WHERE placement_request_id = $1{lock}", request_id
        )
        return self._seen_now(_placement(row)) if row else None

    async def list(
        self,
        *,
        partner_id: str | None = None,
        programme_id: str | None = None,
        municipality: str | None = None,
    ) -> list[Placement]:
        rows = await self.conn.fetch(
            f"""
            SELECT * FROM support_placements
            WHERE ($1::text IS NULL OR partner_id = $1 OR job_coach_partner_id = $1)
              AND ($2::text IS NULL OR programme_id = $2) AND {of_municipality("$3")}
            ORDER BY needed_by, placement_request_id
            """,
            partner_id,
            programme_id,
            municipality,
        )
        return [self._seen_now(_placement(r)) for r in rows]

    async def active_for(self, participant_ref: str) -> builtins.list[Placement]:
        rows = await self.conn.fetch(
            "SELECT * FROM support_placements WHERE participant_ref = $1"
            " AND status <> ALL($2::text[]) FOR UPDATE",
            participant_ref,
            [PlacementStatus.CANCELLED.value, PlacementStatus.ENDED.value],
        )
        return [self._seen_now(_placement(r)) for r in rows]

    async def load(self) -> dict[str, int]:
        rows = await self.conn.fetch(
            "SELECT partner_id, count(*) AS n FROM support_placements"
            " WHERE status = ANY($1::text[]) AND partner_id IS NOT NULL GROUP BY partner_id",
            _ACTIVE,
        )
        return {r["partner_id"]: r["n"] for r in rows}

    async def save(self, p: Placement, now: datetime) -> None:
        self._seen_now(p)  # its events are collected at commit
        p.version += 1
        w, coach = p.workplace, p.job_coach
        if w is not None:
            await self.conn.execute(
                "INSERT INTO support_employers (employer_id, first_seen) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING",
                w.employer_id,
                now,
            )
        await self.conn.execute(
            """
            INSERT INTO support_placements (placement_request_id, participant_ref, programme_id,
                activity, needed_by, hours_per_week, partner_id, status, waiting_reason,
                declined_by, placement_id, employer_id, location_id, starts_on, ends_on,
                confirmed_hours, job_coach_partner_id, job_coach, escalation_level, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20)
            ON CONFLICT (placement_request_id) DO UPDATE SET partner_id = $7, status = $8,
                waiting_reason = $9, declined_by = $10, placement_id = $11, employer_id = $12,
                location_id = $13, starts_on = $14, ends_on = $15, confirmed_hours = $16,
                job_coach_partner_id = $17, job_coach = $18, escalation_level = $19,
                version = $20
            """,
            p.placement_request_id,
            p.participant_ref,
            p.programme_id,
            p.activity.value,
            p.needed_by,
            p.hours_per_week,
            p.partner_id,
            p.status.value,
            waiting_reasons.encode(p.waiting_reason),
            list(p.declined_by),
            p.placement_id,
            w.employer_id if w else None,
            w.location_id if w else None,
            w.starts_on if w else None,
            w.ends_on if w else None,
            w.hours_per_week if w else None,
            coach.partner_id if coach else None,
            coach.staff_ref if coach else None,
            p.escalation_level,
            p.version,
        )
        await self.conn.execute(
            "UPDATE support_placements SET started_on = $2, end_reason = $3,"
            " check_in_every_days = $4, last_check_in = $5, replaces = $6"
            " WHERE placement_request_id = $1",
            p.placement_request_id,
            p.started_on,
            p.end_reason,
            p.check_in_every_days,
            p.last_check_in,
            p.replaces,
        )

    async def record_step(
        self, request_id: UUID, action: str, reason: str | None, by: str, at: datetime
    ) -> None:
        """Who recorded a step of the placement's life cycle (start, change, end), when."""
        await self.conn.execute(
            "INSERT INTO support_placement_history (placement_request_id, action, reason,"
            " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
            request_id,
            action,
            reason,
            by,
            at,
        )

    async def add_check_in(
        self,
        placement_id: UUID,
        job_coach: str,
        party: CheckInParty,
        held_on: date,
        outcome: CheckInOutcome,
        now: datetime,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO support_check_ins (placement_id, job_coach, party, held_on, outcome,"
            " recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
            placement_id,
            job_coach,
            party.value,
            held_on,
            outcome.value,
            now,
        )

    async def check_ins(self, placement_id: UUID) -> Sequence[asyncpg.Record]:
        """The placement's check-ins, oldest first."""
        rows: Sequence[asyncpg.Record] = await self.conn.fetch(
            "SELECT job_coach, party, held_on, outcome FROM support_check_ins"
            " WHERE placement_id = $1 ORDER BY held_on, id",
            placement_id,
        )
        return rows
