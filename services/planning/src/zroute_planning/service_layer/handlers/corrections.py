"""Attendance corrections (issue 16 item 2): a recorded line changes only by a correction
that keeps the old value and the new one, who, when and why, and records
``attendance-corrected``. The new value is checked as a roll-call line is: not before the
plan's start, not after its term's end, not in the future, within the session's length
and the day's maximum."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

from zroute_contract.errors import NotFound
from zroute_contract.events.codes import AttendanceStatus, CurriculumModule, HoursKind
from zroute_contract.events.planning import AttendanceCorrected
from zroute_contract.types import STAFF_REF_PATTERN
from zroute_runtime.logging import get_logger

from zroute_planning.domain.commands import CorrectAttendance
from zroute_planning.domain.errors import InvalidRequest
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.roll_call import (
    AbsenceReason,
    Correction,
    LinesRefused,
    Mark,
    PlanWindow,
    SessionFacts,
    line_problems,
)
from zroute_planning.domain.rules import roll_call_rules
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.handlers.ledger import _check_attendance, _ensure_recording
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


def _recorded_mark(ref: str, line: dict[str, Any]) -> Mark:
    status = AttendanceStatus(line["status"])
    present = status is AttendanceStatus.PRESENT
    reason = line["absence_reason"]
    return Mark(
        ref, status, line["minutes"] if present else 0, AbsenceReason(reason) if reason else None
    )


async def correct_attendance(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, cmd: CorrectAttendance
) -> AttendanceCorrected:
    """Correct one recorded line of ``plan``'s participant; returns the event recorded."""
    _ensure_recording(plan)
    ref = plan.participant_ref
    row = await uow.ledger.line_of(cmd.session_id, ref)
    if row is None:
        raise NotFound(f"no attendance of session {cmd.session_id} for {ref}")
    line = dict(row)
    # A line recorded one at a time kept no session length: the longest session the
    # ramp-up plans bounds it.
    length = line["session_minutes"] or max(p.session_minutes for p in deps.rules.phases)
    session = SessionFacts(line["session_on"], length)
    that_day = await uow.ledger.present_minutes_on(ref, session.session_on, besides=cmd.session_id)
    window = PlanWindow(plan.start_on, plan.term_end)
    on = today(uow.clock.now())
    problems = line_problems(cmd.mark, session, window, on, that_day, roll_call_rules(deps.rules))
    if problems:
        raise LinesRefused(problems)
    try:
        correction = Correction(
            str(cmd.session_id),
            ref,
            _recorded_mark(ref, line),
            cmd.mark,
            cmd.by,
            cmd.at,
            cmd.reason.value,
        )
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from exc
    event = _corrected(plan, cmd, line, correction)
    await uow.ledger.correct_line(_row(event, correction, length, cmd.note))
    plan.record(event)
    log.info(
        "attendance_corrected",
        participant_ref=ref,
        session_id=cmd.session_id,
        old_status=correction.old.status,
        new_status=correction.new.status,
        reason=cmd.reason,
    )
    await _check_attendance(uow, deps, plan, on)
    return event


def _corrected(
    plan: Plan, cmd: CorrectAttendance, line: dict[str, Any], correction: Correction
) -> AttendanceCorrected:
    # The subject goes on the bus only as a staff reference (never an e-mail address).
    by = cmd.by if re.fullmatch(STAFF_REF_PATTERN, cmd.by) else None
    return AttendanceCorrected(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        correction_id=uuid4(),
        session_id=cmd.session_id,
        session_on=line["session_on"],
        kind=HoursKind(line["kind"]),
        old_status=correction.old.status,
        old_hours=float(line["hours"]),
        new_status=correction.new.status,
        new_hours=correction.new.hours,
        corrected_by=by,
        corrected_at=cmd.at,
        reason=cmd.reason,
        module=CurriculumModule(line["module"]) if line.get("module") else None,
    )


def _row(
    event: AttendanceCorrected, c: Correction, length: int, note: str | None
) -> dict[str, Any]:
    present = c.new.status is AttendanceStatus.PRESENT
    return {
        "correction_id": event.correction_id,
        "session_id": event.session_id,
        "participant_ref": c.participant_ref,
        "old_status": c.old.status.value,
        "old_minutes": c.old.minutes if c.old.status is AttendanceStatus.PRESENT else length,
        "old_hours": event.old_hours,
        "old_absence_reason": c.old.reason.value if c.old.reason else None,
        "new_status": c.new.status.value,
        # An absence keeps the session's minutes: what was planned and missed.
        "new_minutes": c.new.minutes if present else length,
        "new_hours": event.new_hours,
        "new_absence_reason": c.new.reason.value if c.new.reason else None,
        "corrected_by": c.corrected_by,
        "corrected_at": c.corrected_at,
        "reason": c.reason,
        "note": note,
    }
