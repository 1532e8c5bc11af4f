"""What planning deletes or makes anonymous when intake deletes a participant's records
(B 9.9, ``participant-records-deleted``; docs/planning.md, "Retention"). The SQL lives here.

Planning keeps no personal data, only the pseudonymous plan. The free text staff may have
typed about the participant (an attendance correction's note, a session change's note)
goes with the personal data. With the core data everything goes except the attendance
lines and their corrections: the hours a partner delivered stay, under a fresh reference
nobody knows, so the partners' and the municipality's hour totals (W 35(3), B 9.2) still
add up."""

from __future__ import annotations

from zroute_runtime.repository import TrackingRepository
from zroute_runtime.retention import RowsOf, anonymous_ref, delete_rows

# Children before parents: a plan's schedules hang on its id, a group member on the group.
DELETED: tuple[RowsOf, ...] = (
    (
        "planning_schedules",
        "plan_id IN (SELECT plan_id FROM planning_plans WHERE participant_ref = $1)",
    ),
    ("planning_calendar_sessions", "participant_ref"),
    ("planning_case_holds", "participant_ref"),
    ("planning_follow_ups", "participant_ref"),
    ("planning_group_changes", "participant_ref"),
    ("planning_group_members", "participant_ref"),
    ("planning_held_intakes", "participant_ref"),
    ("planning_level_tests", "participant_ref"),
    ("planning_placements", "participant_ref"),
    ("planning_plan_modules", "participant_ref"),
    ("planning_preconditions", "participant_ref"),
    ("planning_ramp_ups", "participant_ref"),
    ("planning_reviews", "participant_ref"),
    ("planning_target_waivers", "participant_ref"),
    ("planning_waiting_list", "participant_ref"),
    ("planning_plans", "participant_ref"),
    ("planning_participants", "participant_ref"),
    ("zr_audit_trail", "participant_ref"),
)
ANONYMISED = ("planning_attendance", "planning_attendance_corrections")
"""Kept for their hours, under a fresh reference."""


class RetentionRepository(TrackingRepository):
    """``uow.retention``: a participant's rows at the end of intake's retention periods."""

    async def erase_free_text(self, ref: str) -> None:
        """Drop what staff typed about the participant; codes and hours stay."""
        await self.conn.execute(
            "UPDATE planning_attendance_corrections SET note = NULL WHERE participant_ref = $1",
            ref,
        )
        await self.conn.execute(
            "UPDATE planning_calendar_sessions SET changed_note = NULL WHERE participant_ref = $1",
            ref,
        )

    async def delete_participant(self, ref: str) -> int:
        """Delete every row of the participant but the hours, which are made anonymous;
        how many rows went."""
        await self.erase_free_text(ref)
        anonymous = anonymous_ref()
        for table in ANONYMISED:
            await self.conn.execute(
                f"UPDATE {table} SET participant_ref = $2 WHERE participant_ref = $1",
                ref,
                anonymous,
            )
        return await delete_rows(self.conn, DELETED, ref)
