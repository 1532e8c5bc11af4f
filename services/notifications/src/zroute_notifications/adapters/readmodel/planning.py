"""Read model writers for the events of the planning service."""

from __future__ import annotations

import json
from typing import Any

from zroute_contract.events import planning as p

from zroute_notifications.adapters.notification_repo import KEEP_EVENT
from zroute_notifications.adapters.readmodel import (
    Conn,
    ensure_participant,
    set_status,
    update_item,
    upsert_item,
)


async def plan(conn: Conn, e: p.PlanActivated) -> None:
    await ensure_participant(conn, e.participant_ref, e.programme_id)
    status = "active" if e.start_on else "waiting_for_start"
    targets = e.targets.model_dump(mode="json")
    if e.norm is not None:  # the B 3.14 norm (issue 15) rides with the targets, no new column
        targets["norm"] = e.norm.model_dump(mode="json")
    await set_status(conn, e.participant_ref, status, targets=targets)


async def active(conn: Conn, e: Any) -> None:
    await set_status(conn, e.participant_ref, "active")


async def paused(conn: Conn, e: p.PlanPaused) -> None:
    await set_status(conn, e.participant_ref, "paused")


async def completed(conn: Conn, e: p.RouteCompleted) -> None:
    await set_status(conn, e.participant_ref, "completed")
    await conn.execute(
        "UPDATE nt_items SET open = false WHERE participant_ref = $1", e.participant_ref
    )


async def schedule(conn: Conn, e: p.SchedulePublished) -> None:
    await conn.execute(
        "UPDATE nt_participants SET phase = $2 WHERE participant_ref = $1",
        e.participant_ref,
        e.phase,
    )
    # The week the participant's page and letter show: the newest phase's sessions.
    await conn.execute(
        "INSERT INTO nt_schedules (participant_ref, phase, valid_from, sessions)"
        " VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (participant_ref) DO UPDATE"
        " SET phase = EXCLUDED.phase, valid_from = EXCLUDED.valid_from,"
        " sessions = EXCLUDED.sessions",
        e.participant_ref,
        e.phase,
        e.valid_from,
        json.dumps([s.model_dump(mode="json") for s in e.sessions]),
    )


def _attendance_statement(first: int) -> str:
    """The attendance line's upsert, its seven parameters numbered from ``first``."""
    values = ", ".join(f"${n}" for n in range(first, first + 7))
    return f"""
        INSERT INTO nt_attendance (session_id, participant_ref, programme_id, session_on, kind,
                                   status, hours)
        VALUES ({values})
        ON CONFLICT (session_id, participant_ref) DO UPDATE
            SET status = EXCLUDED.status, hours = EXCLUDED.hours, kind = EXCLUDED.kind
        """


_ATTENDANCE = _attendance_statement(1)
# The received event kept (KEEP_EVENT's seven parameters first) and the line written in
# one statement: a data-modifying CTE runs whether or not the main statement reads it.
_ATTENDANCE_KEPT = f"WITH kept AS ({KEEP_EVENT}) {_attendance_statement(8)}"


def _attendance_values(e: p.AttendanceRecorded) -> tuple[Any, ...]:
    return (
        e.session_id,
        e.participant_ref,
        e.programme_id,
        e.session_on,
        e.kind.value,
        e.status.value,
        e.hours,
    )


async def attendance(conn: Conn, e: p.AttendanceRecorded) -> None:
    await conn.execute(_ATTENDANCE, *_attendance_values(e))


async def attendance_kept(conn: Conn, kept: tuple[Any, ...], e: p.AttendanceRecorded) -> None:
    """:func:`attendance` with the received event kept in the same statement: one round
    trip for the demo's commonest event (37,657 of them in three simulated years)."""
    await conn.execute(_ATTENDANCE_KEPT, *kept, *_attendance_values(e))


async def waitlisted(conn: Conn, e: p.ParticipantWaitlisted) -> None:
    await upsert_item(
        conn,
        "waitlist",
        e.participant_ref,
        e.programme_id,
        e.participant_ref,
        e.reason.value,
        True,
        e.since,
        e.level_band.value,
    )


async def assigned(conn: Conn, e: p.ParticipantAssignedToGroup) -> None:
    await update_item(conn, "waitlist", e.participant_ref, "assigned", False)


async def placement_requested(conn: Conn, e: p.PlacementRequested) -> None:
    await upsert_item(
        conn,
        "placement",
        str(e.placement_request_id),
        e.programme_id,
        e.participant_ref,
        "requested",
        True,
        e.needed_by,
        e.activity.value,
    )


async def placement_escalated(conn: Conn, e: p.PlacementEscalated) -> None:
    await update_item(conn, "placement", str(e.placement_request_id), "escalated", True)


async def placement_cancelled(conn: Conn, e: p.PlacementCancelled) -> None:
    await update_item(conn, "placement", str(e.placement_request_id), "cancelled", False)


async def review_due(conn: Conn, e: p.ProgressReviewDue) -> None:
    await upsert_item(
        conn,
        "review",
        str(e.review_id),
        e.programme_id,
        e.participant_ref,
        e.trigger.value,
        True,
        e.due_on,
    )


async def review_recorded(conn: Conn, e: p.ProgressReviewRecorded) -> None:
    await update_item(conn, "review", str(e.review_id), e.outcome.value, False)


async def follow_up_due(conn: Conn, e: p.FollowUpDue) -> None:
    await upsert_item(
        conn,
        "follow_up",
        e.participant_ref,
        e.programme_id,
        e.participant_ref,
        "due",
        True,
        e.agree_by,
    )


async def follow_up_agreed(conn: Conn, e: p.FollowUpAgreed) -> None:
    await upsert_item(
        conn, "follow_up", e.participant_ref, e.programme_id, e.participant_ref, "agreed", False
    )
