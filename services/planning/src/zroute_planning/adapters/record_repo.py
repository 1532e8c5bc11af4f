"""What the features read and keep besides plans and groups (``uow.records``): participants,
preconditions, partners and programmes as the other services register them, the hours
ledger's sums, follow-ups, reviews, schedules, due timers.
The SQL lives here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import HoursKind
from zroute_contract.events.intake import IntakeOutcome
from zroute_runtime.repository import TrackingRepository

_OUTCOME_FIELDS = set(IntakeOutcome.model_fields)


class RecordRepository(TrackingRepository):
    async def record_precondition(
        self,
        precondition_id: UUID,
        participant_ref: str,
        kind: str,
        *,
        arranged: bool,
        on: date,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO planning_preconditions VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (precondition_id) DO UPDATE SET arranged = $4, changed_on = $5",
            precondition_id,
            participant_ref,
            kind,
            arranged,
            on,
        )

    async def arranged_kinds(self, participant_ref: str) -> set[str]:
        rows = await self.conn.fetch(
            "SELECT DISTINCT kind FROM planning_preconditions WHERE participant_ref = $1 AND arranged",
            participant_ref,
        )
        return {str(r["kind"]) for r in rows}

    async def arranged_from(self, participant_ref: str) -> dict[str, date]:
        """Per arranged kind, the first day an arrangement of it covers (``arranged_from``)."""
        rows = await self.conn.fetch(
            "SELECT kind, min(changed_on) AS since FROM planning_preconditions"
            " WHERE participant_ref = $1 AND arranged GROUP BY kind",
            participant_ref,
        )
        return {str(r["kind"]): r["since"] for r in rows}

    async def record_targets_waiver(
        self,
        waiver_id: UUID,
        participant_ref: str,
        *,
        decided_on: date,
        decision_ref: str | None,
        reason: str,
        by: str,
        at: datetime,
    ) -> None:
        """Keep the municipality's decision that waives the route's hours targets."""
        await self.conn.execute(
            "INSERT INTO planning_target_waivers VALUES ($1, $2, $3, $4, $5, $6, $7)",
            waiver_id,
            participant_ref,
            decided_on,
            decision_ref,
            reason,
            by,
            at,
        )

    async def targets_waiver(self, participant_ref: str) -> UUID | None:
        """The latest recorded decision that waives the participant's targets, if any."""
        result: UUID | None = await self.conn.fetchval(
            "SELECT waiver_id FROM planning_target_waivers WHERE participant_ref = $1"
            " ORDER BY recorded_at DESC, decided_on DESC LIMIT 1",
            participant_ref,
        )
        return result

    async def ramp_up_pace(self, participant_ref: str) -> int | None:
        """The participant's own ramp-up pace (percent of the profile), if a planner set one."""
        result: int | None = await self.conn.fetchval(
            "SELECT pace_percent FROM planning_ramp_ups WHERE participant_ref = $1",
            participant_ref,
        )
        return result

    async def set_ramp_up_pace(
        self, participant_ref: str, pace_percent: int, *, reason: str, by: str, at: datetime
    ) -> None:
        await self.conn.execute(
            "INSERT INTO planning_ramp_ups VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (participant_ref) DO UPDATE SET pace_percent = $2, reason = $3,"
            " set_by = $4, set_at = $5",
            participant_ref,
            pace_percent,
            reason,
            by,
            at,
        )

    async def add_module(
        self,
        participant_ref: str,
        module: str,
        *,
        provider_id: str | None,
        hours: float,
        by: str,
        reason: str,
        at: datetime,
        teaching_form: str | None = None,
    ) -> None:
        """Keep a customised module added by hand, with who, why and when."""
        await self.conn.execute(
            "INSERT INTO planning_plan_modules (participant_ref, module, provider_id, hours,"
            " added_by, added_reason, added_at, teaching_form)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            participant_ref,
            module,
            provider_id,
            hours,
            by,
            reason,
            at,
            teaching_form,
        )

    async def remove_module(
        self, participant_ref: str, module: str, *, by: str, reason: str, at: datetime
    ) -> None:
        """End a module's row (kept, with who removed it, why and when)."""
        await self.conn.execute(
            "UPDATE planning_plan_modules SET removed_by = $3, removed_reason = $4,"
            " removed_at = $5 WHERE participant_ref = $1 AND module = $2 AND removed_at IS NULL",
            participant_ref,
            module,
            by,
            reason,
            at,
        )

    async def complete_module(
        self, participant_ref: str, module: str, *, on: date, hours: float, by: str
    ) -> bool:
        """Record a module's completion; False when the plan holds no row for it."""
        status: str = await self.conn.execute(
            "UPDATE planning_plan_modules SET completed_on = $3, completed_hours = $4,"
            " completed_by = $5 WHERE participant_ref = $1 AND module = $2"
            " AND removed_at IS NULL",
            participant_ref,
            module,
            on,
            hours,
            by,
        )
        return status != "UPDATE 0"

    async def modules(self, participant_ref: str) -> list[dict[str, Any]]:
        """The participant's module rows that stand (not removed)."""
        rows = await self.conn.fetch(
            "SELECT module, provider_id, hours::float8 AS hours, teaching_form, completed_on,"
            " completed_hours::float8 AS completed_hours FROM planning_plan_modules"
            " WHERE participant_ref = $1 AND removed_at IS NULL ORDER BY added_at",
            participant_ref,
        )
        return [dict(r) for r in rows]

    async def module_hours(self, participant_ref: str) -> dict[str, float]:
        """Hours attended per customised module: the ledger's lines on the calendar's
        sessions of each module (issue 16 item 4)."""
        rows = await self.conn.fetch(
            "SELECT c.module, sum(a.hours)::float8 AS hours FROM planning_attendance a"
            " JOIN planning_calendar_sessions c ON c.session_id = a.session_id"
            " WHERE a.participant_ref = $1 AND c.participant_ref = $1"
            " AND c.module IS NOT NULL GROUP BY c.module",
            participant_ref,
        )
        return {r["module"]: float(r["hours"] or 0.0) for r in rows}

    async def teaching_partner(self, programme_id: str, default: str) -> str:
        value = await self.conn.fetchval(
            "SELECT teaching_partner FROM planning_programmes WHERE programme_id = $1", programme_id
        )
        return value or default

    async def hours_to_date(self, participant_ref: str) -> dict[HoursKind, float]:
        rows = await self.conn.fetch(
            "SELECT kind, sum(hours) AS hours FROM planning_attendance"
            " WHERE participant_ref = $1 GROUP BY kind",
            participant_ref,
        )
        hours = dict.fromkeys(HoursKind, 0.0)
        for row in rows:
            hours[HoursKind(row["kind"])] = float(row["hours"])
        return hours

    async def follow_up_id(self, participant_ref: str) -> UUID | None:
        result: UUID | None = await self.conn.fetchval(
            "SELECT follow_up_id FROM planning_follow_ups WHERE participant_ref = $1",
            participant_ref,
        )
        return result

    async def reviewed_since(self, participant_ref: str, since: date) -> bool:
        """True when a review is open, or one was held on or after ``since``."""
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM planning_reviews WHERE participant_ref = $1"
                " AND (held_on IS NULL OR held_on >= $2) LIMIT 1",
                participant_ref,
                since,
            )
        )

    async def participant_known(self, participant_ref: str) -> bool:
        """Whether planning has seen the participant (registered, or its intake completed)."""
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM planning_participants WHERE participant_ref = $1", participant_ref
            )
        )

    async def record_participant(
        self,
        participant_ref: str,
        programme_id: str,
        municipality: str,
        *,
        registered_on: date | None = None,
    ) -> None:
        """Record a participant not known yet; for a known one only fill in the day of
        registration. A known participant's programme and municipality change only by a
        move (``move_participant``): a registration or intake completion that arrives late
        (after a retry, or replayed from a dead-letter queue) must not undo a move."""
        await self.conn.execute(
            "INSERT INTO planning_participants VALUES ($1, $2, $3, $4) ON CONFLICT"
            " (participant_ref) DO UPDATE SET"
            " registered_on = coalesce($4, planning_participants.registered_on)",
            participant_ref,
            programme_id,
            municipality,
            registered_on,
        )

    async def move_participant(
        self, participant_ref: str, programme_id: str, municipality: str
    ) -> None:
        """The participant is the new municipality's after a move; a participant not seen
        yet is recorded with it."""
        await self.conn.execute(
            "INSERT INTO planning_participants (participant_ref, programme_id, municipality)"
            " VALUES ($1, $2, $3) ON CONFLICT (participant_ref) DO UPDATE SET municipality = $3",
            participant_ref,
            programme_id,
            municipality,
        )

    async def municipality_of(self, participant_ref: str) -> str | None:
        result: str | None = await self.conn.fetchval(
            "SELECT municipality FROM planning_participants WHERE participant_ref = $1",
            participant_ref,
        )
        return result

    async def partner_can_teach(self, partner_id: str) -> bool:
        """False when the registry knows the partner as inactive or not teaching language;
        True when it can, or when support has not told us about it (nothing to hold against)."""
        row = await self.conn.fetchrow(
            "SELECT capabilities, active FROM planning_partners WHERE partner_id = $1", partner_id
        )
        return row is None or (row["active"] and "language_teaching" in row["capabilities"])

    async def timer_due(self, *, kind: str, key: str) -> datetime | None:
        """When a pending timer of ours is due (read only; the runtime owns the table)."""
        result: datetime | None = await self.conn.fetchval(
            "SELECT due_at FROM zr_timers WHERE kind = $1 AND key = $2 AND fired_at IS NULL"
            " AND cancelled_at IS NULL",
            kind,
            key,
        )
        return result

    async def programme_municipalities(self, programme_id: str) -> set[str]:
        """The municipalities of a programme's participants (one, for a municipal programme)."""
        rows = await self.conn.fetch(
            "SELECT DISTINCT municipality FROM planning_participants WHERE programme_id = $1",
            programme_id,
        )
        return {r["municipality"] for r in rows}

    async def registered_teaching_partner(self, programme_id: str) -> str | None:
        """The teaching partner the programme's agreement names; None without an agreement."""
        result: str | None = await self.conn.fetchval(
            "SELECT teaching_partner FROM planning_programmes WHERE programme_id = $1", programme_id
        )
        return result

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

    async def hold_intake(self, outcome: IntakeOutcome) -> None:
        """Keep a completed (or corrected) intake's outcome until the PIP activates the plan."""
        held = IntakeOutcome.model_validate(outcome.model_dump(include=_OUTCOME_FIELDS))
        await self.conn.execute(
            "INSERT INTO planning_held_intakes (participant_ref, outcome) VALUES ($1, $2)"
            " ON CONFLICT (participant_ref) DO UPDATE SET outcome = $2, held_at = now()",
            outcome.participant_ref,
            held.model_dump(mode="json"),  # the pool's jsonb codec encodes it
        )

    async def held_intake(self, participant_ref: str) -> IntakeOutcome | None:
        """The outcome held for the participant, if any."""
        held = await self.conn.fetchval(
            "SELECT outcome FROM planning_held_intakes WHERE participant_ref = $1",
            participant_ref,
        )
        return None if held is None else IntakeOutcome.model_validate(held)

    async def release_held_intake(self, participant_ref: str) -> None:
        """Forget the held outcome (the plan is activated, or the participant withdrawn)."""
        await self.conn.execute(
            "DELETE FROM planning_held_intakes WHERE participant_ref = $1", participant_ref
        )

    async def record_task_partners(
        self, programme_id: str, version: int, task_partners: dict[str, str]
    ) -> None:
        """The task division of the programme's agreement ``version`` (kept only while it is
        the newest recorded)."""
        await self.conn.execute(
            "UPDATE planning_programmes SET task_partners = $3"
            " WHERE programme_id = $1 AND agreement_version = $2",
            programme_id,
            version,
            task_partners,
        )

    async def task_partners(self, programme_id: str) -> dict[str, str]:
        """The programme's task division (task -> partner); empty without an agreement."""
        found: dict[str, str] | None = await self.conn.fetchval(
            "SELECT task_partners FROM planning_programmes WHERE programme_id = $1",
            programme_id,
        )
        return dict(found or {})

    async def set_recording_partner(
        self, session_id: UUID, participant_ref: str, partner_id: str | None
    ) -> None:
        """Remember which partner recorded the line (None: the platform's own staff)."""
        await self.conn.execute(
            "UPDATE planning_attendance SET recording_partner = $3"
            " WHERE session_id = $1 AND participant_ref = $2 AND recording_partner IS NULL",
            session_id,
            participant_ref,
            partner_id,
        )

    async def partner_active(self, partner_id: str) -> bool:
        """Whether the partner registry names the partner and it takes work."""
        return bool(
            await self.conn.fetchval(
                "SELECT active FROM planning_partners WHERE partner_id = $1", partner_id
            )
        )
