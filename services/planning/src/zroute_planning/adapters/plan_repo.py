"""The plan repository (``uow.plans``): plans as rows, with optimistic concurrency on
``version``. It remembers every plan it loaded or saved, and the unit of work collects their
events at commit (``zroute_runtime.repository``)."""

from __future__ import annotations

import asyncpg
from zroute_contract.events.codes import (
    CurriculumModule,
    LevelBand,
    PauseReason,
)
from zroute_runtime.repository import TrackingRepository

from zroute_planning.domain.hours_norm import Norm, RouteNorm
from zroute_planning.domain.plan import CaseHold, Plan, PlanStatus

COLUMNS = (
    "plan_id, participant_ref, programme_id, status, level_band, availability, modules,"
    " needed, arranged, activated_on, term_end, start_on, paused_since, paused_days,"
    " at_risk, term_start, norm_course, norm_participation, norm_reduced, credited_course,"
    " credited_participation, final_meeting_on, version"
)


class ConcurrentUpdate(Exception):
    """The plan changed since it was read; the unit of work is retried."""


def _from_row(row: asyncpg.Record) -> Plan:
    return Plan(
        plan_id=row["plan_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        status=PlanStatus(row["status"]),
        level_band=LevelBand(row["level_band"]),
        availability=frozenset(tuple(s) for s in row["availability"]),
        modules=tuple(CurriculumModule(m) for m in row["modules"]),
        needed=frozenset(str(k) for k in row["needed"]),
        arranged={str(k) for k in row["arranged"]},
        activated_on=row["activated_on"],
        term_end=row["term_end"],
        start_on=row["start_on"],
        paused_since=row["paused_since"],
        paused_days=row["paused_days"],
        at_risk=row["at_risk"],
        version=row["version"],
        term_start=row["term_start"],
        norm=RouteNorm(
            Norm(row["norm_course"], row["norm_participation"], row["norm_reduced"]),
            row["credited_course"],
            row["credited_participation"],
        ),
        final_meeting_on=row["final_meeting_on"],
    )


class PlanRepository(TrackingRepository):
    async def get(self, participant_ref: str, *, lock: bool = True) -> Plan | None:
        # The plan with the pauses of the route that hold it (issue 15), in one round trip
        # (issue 20: every attendance line loads a plan); only the plan's row is locked.
        row = await self.conn.fetchrow(
            f"SELECT {COLUMNS}, h.hold_keys, h.hold_reasons, h.hold_since FROM planning_plans"
            " LEFT JOIN LATERAL (SELECT array_agg(c.hold_key) AS hold_keys,"
            " array_agg(c.reason) AS hold_reasons, array_agg(c.since) AS hold_since"
            " FROM planning_case_holds c WHERE c.participant_ref = planning_plans.participant_ref"
            ") h ON true WHERE participant_ref = $1"
            + (" FOR UPDATE OF planning_plans" if lock else ""),
            participant_ref,
        )
        if row is None:
            return None
        plan = _from_row(row)
        plan.case_holds = {
            key: CaseHold(PauseReason(reason), since)
            for key, reason, since in zip(
                row["hold_keys"] or (),
                row["hold_reasons"] or (),
                row["hold_since"] or (),
                strict=True,
            )
        }
        return self._seen_now(plan)

    async def _save_case_holds(self, plan: Plan) -> None:
        # The holds as they are now: the few rows of one participant, replaced.
        await self.conn.execute(
            "DELETE FROM planning_case_holds WHERE participant_ref = $1", plan.participant_ref
        )
        await self.conn.executemany(
            "INSERT INTO planning_case_holds VALUES ($1, $2, $3, $4)",
            [
                (plan.participant_ref, k, h.reason.value, h.since)
                for k, h in plan.case_holds.items()
            ],
        )

    async def active(self, programme_id: str | None = None) -> list[Plan]:
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM planning_plans WHERE status = 'active'"
            " AND ($1::text IS NULL OR programme_id = $1) ORDER BY participant_ref",
            programme_id,
        )
        return [self._seen_now(_from_row(r)) for r in rows]

    async def save(self, plan: Plan) -> None:
        """Insert a new plan (version 0) or update a loaded one; refuses a stale version."""
        self._seen_now(plan)
        await self._save_case_holds(plan)
        values = (
            plan.plan_id,
            plan.participant_ref,
            plan.programme_id,
            plan.status.value,
            plan.level_band.value,
            sorted(plan.availability),
            list(plan.modules),
            sorted(plan.needed),
            sorted(plan.arranged),
            plan.activated_on,
            plan.term_end,
            plan.start_on,
            plan.paused_since,
            plan.paused_days,
            plan.at_risk,
            plan.term_start,
            plan.norm.norm.course,
            plan.norm.norm.participation,
            plan.norm.norm.reduced,
            plan.norm.credited_course,
            plan.norm.credited_participation,
            plan.final_meeting_on,
        )
        if plan.version == 0:
            await self.conn.execute(
                f"INSERT INTO planning_plans ({COLUMNS}) VALUES"
                " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
                " $19, $20, $21, $22, 1)",
                *values,
            )
            plan.version = 1
            return
        status = await self.conn.execute(
            "UPDATE planning_plans SET status = $4, level_band = $5, availability = $6,"
            " modules = $7, needed = $8, arranged = $9, activated_on = $10, term_end = $11,"
            " start_on = $12, paused_since = $13, paused_days = $14, at_risk = $15,"
            " term_start = $16, norm_course = $17, norm_participation = $18,"
            " norm_reduced = $19, credited_course = $20, credited_participation = $21,"
            " final_meeting_on = $22,"
            " version = version + 1"
            " WHERE plan_id = $1 AND participant_ref = $2 AND programme_id = $3"
            f" AND version = {int(plan.version)}",
            *values,
        )
        if status != "UPDATE 1":
            raise ConcurrentUpdate(f"plan {plan.plan_id} changed meanwhile")
        plan.version += 1
