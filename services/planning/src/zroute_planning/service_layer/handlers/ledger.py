"""The hours ledger and progress reviews (L3): attendance per session, hours per kind,
reviews on a rhythm and when attendance drops below the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

from zroute_contract.events.codes import (
    AttendanceStatus,
    ReviewTrigger,
)
from zroute_contract.events.planning import (
    AttendanceRecorded,
    ProgressReviewDue,
    ProgressReviewRecorded,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_planning.domain.calendar import RollCallClaim
from zroute_planning.domain.commands import (
    RecordAttendance,
    RecordReviewOutcome,
    RecordRollCall,
)
from zroute_planning.domain.errors import AttendanceConflict, PlanError
from zroute_planning.domain.plan import Plan, PlanStatus, hours_totals
from zroute_planning.domain.recording import module_problem
from zroute_planning.domain.roll_call import (
    AbsenceReason,
    LinesRefused,
    Mark,
    PlanWindow,
    SessionFacts,
    line_problems,
)
from zroute_planning.domain.rules import longest_session, roll_call_rules
from zroute_planning.service_layer.deps import Deps, days, morning_of, today
from zroute_planning.service_layer.handlers import calendar
from zroute_planning.service_layer.scheduling import REVIEW, follow_hours, reassess
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def record_attendance(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plan: Plan,
    cmd: RecordAttendance,
    *,
    on: date,
    partner: str | None = None,
) -> float:
    """Record one session's attendance; returns the hours counted. Recording the same
    session again with the same values changes nothing."""
    _ensure_recording(plan)
    session = SessionFacts(cmd.session_on, cmd.session_minutes or longest_session(deps.rules))
    # Issue 16 item 7: the single line gets the roll-call's checks (plan window, session
    # length, the day's maximum), not only "not in the future".
    mark = Mark(
        plan.participant_ref,
        cmd.status,
        cmd.minutes if cmd.status is AttendanceStatus.PRESENT else 0,
        cmd.reason,
    )
    that_day = await uow.ledger.present_minutes_on(
        plan.participant_ref, cmd.session_on, besides=cmd.session_id
    )
    problems = line_problems(
        mark, session, plan_window(plan), on, that_day, roll_call_rules(deps.rules)
    )
    module_refused = module_problem(cmd.kind, cmd.module)
    if module_refused:
        problems.append(module_refused)
    if problems:
        raise LinesRefused(problems)
    hours = await _add_line(uow, plan, cmd, cmd.reason, session.minutes, partner)
    await _check_attendance(uow, deps, plan, on)
    await follow_hours(uow, deps, plan, on)
    return hours


def plan_window(plan: Plan) -> PlanWindow:
    """The days attendance may be recorded for: from the plan's start to its term's end."""
    return PlanWindow(plan.start_on, plan.term_end)


async def record_roll_call(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plans: Sequence[Plan],
    cmd: RecordRollCall,
    *,
    on: date,
    partner: str | None = None,
) -> list[float]:
    """Record a whole session at once, one line per participant (``plans`` in the order of
    ``cmd.marks``); returns the hours counted per line. Every line is checked against the
    session and its plan first (``domain/roll_call.py``), and one failing line refuses the
    roll-call with every reason; a line recorded before with the same values is left."""
    checks = roll_call_rules(deps.rules)
    session = SessionFacts(cmd.session_on, cmd.session_minutes)
    claim = RollCallClaim(
        cmd.session_on,
        cmd.session_minutes,
        cmd.kind,
        cmd.form,
        cmd.group_id,
        tuple(m.participant_ref for m in cmd.marks),
    )
    problems = await calendar.roll_call_problems_of(uow, list(plans), cmd.session_id, claim)
    for plan, mark in zip(plans, cmd.marks, strict=True):
        _ensure_recording(plan)
        that_day = await uow.ledger.present_minutes_on(
            plan.participant_ref, cmd.session_on, besides=cmd.session_id
        )
        window = plan_window(plan)
        problems += line_problems(mark, session, window, on, that_day, checks)
    if problems:
        raise LinesRefused(problems)
    counted = []
    for plan, mark in zip(plans, cmd.marks, strict=True):
        line = RecordAttendance(
            session_id=cmd.session_id,
            session_on=cmd.session_on,
            group_id=cmd.group_id,
            kind=cmd.kind,
            form=cmd.form,
            status=mark.status,
            # An absence keeps the session's minutes: what was planned and missed.
            minutes=mark.minutes if mark.status is AttendanceStatus.PRESENT else session.minutes,
        )
        counted.append(await _add_line(uow, plan, line, mark.reason, session.minutes, partner))
    # What follows from the hours, once per participant (one line each) after all the
    # lines: each plan's own events keep their order (its line, then a review due).
    for plan in plans:
        await _check_attendance(uow, deps, plan, on)
        await follow_hours(uow, deps, plan, on)
    log.info("roll_call_recorded", session_id=cmd.session_id, lines=len(counted))
    return counted


def _ensure_recording(plan: Plan) -> None:
    """Attendance is recorded for a plan that has started and is not closed."""
    if not plan.is_open or plan.status is PlanStatus.WAITING:
        raise PlanError(f"the plan is {plan.status}")


async def _add_line(
    uow: PlanningUnitOfWork,
    plan: Plan,
    line: RecordAttendance,
    reason: AbsenceReason | None = None,
    session_minutes: int | None = None,
    partner: str | None = None,
) -> float:
    """Keep one ledger line and record ``attendance-recorded``; the same line again changes
    nothing, another value for a recorded session is refused."""
    status, minutes = line.status, line.minutes
    hours = round(minutes / 15) / 4 if status is AttendanceStatus.PRESENT else 0.0
    existing = await uow.ledger.attendance_of(line.session_id, plan.participant_ref)
    if existing is not None:
        if (existing["status"], existing["kind"], existing["minutes"]) != (
            status.value,
            line.kind.value,
            minutes,
        ):
            raise AttendanceConflict("this session was already recorded with other values")
        return hours
    await uow.ledger.add_attendance(
        line.session_id,
        plan.participant_ref,
        line.session_on,
        line.group_id,
        line.kind.value,
        line.form.value,
        status.value,
        minutes,
        hours,
        reason.value if reason else None,
        session_minutes,
        partner,
        line.module.value if line.module else None,
    )
    plan.record(
        AttendanceRecorded(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            session_id=line.session_id,
            session_on=line.session_on,
            group_id=line.group_id,
            kind=line.kind,
            teaching_form=line.form,
            status=status,
            hours=hours,
            module=line.module,
        )
    )
    log.info(
        "attendance_recorded",
        participant_ref=plan.participant_ref,
        session_id=line.session_id,
        status=status,
        hours=hours,
    )
    return hours


async def attendance(uow: PlanningUnitOfWork, deps: Deps, ref: str, on: date) -> tuple[int, int]:
    """(percentage of scheduled minutes not missed, sessions) over the review window; an
    excused absence counts as missed only when the rules say so."""
    rules = deps.rules
    row = await uow.ledger.attendance_since(
        ref,
        on - days(rules.attendance_window_days),
        count_excused=rules.excused_absence_counts_as_missed,
    )
    if not row["planned"]:
        return 100, 0
    return int(100 * row["not_missed"] // row["planned"]), row["n"]


async def _check_attendance(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, on: date) -> None:
    percentage, sessions = await attendance(uow, deps, plan.participant_ref, on)
    rules = deps.rules
    if sessions < rules.attendance_min_sessions or percentage >= rules.attendance_threshold_percent:
        return
    # One review per window: not while one is open or was just held.
    since = on - days(rules.attendance_window_days)
    if not await uow.records.reviewed_since(plan.participant_ref, since):
        await review_due(uow, deps, plan, ReviewTrigger.LOW_ATTENDANCE, on)


async def review_due(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, trigger: ReviewTrigger, on: date
) -> UUID:
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    review_id = uuid4()
    due_on = on + days(deps.rules.review_due_within_days)
    await uow.ledger.add_review(review_id, plan.participant_ref, trigger.value, due_on)
    percentage, _ = await attendance(uow, deps, plan.participant_ref, on)
    plan.record(
        ProgressReviewDue(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            review_id=review_id,
            due_on=due_on,
            trigger=trigger,
            hours_to_date=hours_totals(await uow.records.hours_to_date(plan.participant_ref)),
            attendance_percentage=percentage,
        )
    )
    log.info(
        "progress_review_due",
        participant_ref=plan.participant_ref,
        review_id=review_id,
        trigger=trigger,
        attendance_percentage=percentage,
    )
    return review_id


async def on_review_timer(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The rhythm: a review falls due, and the next one is scheduled."""
    plan = await uow.plans.get(timer.payload["participant_ref"])
    if plan is None or not plan.is_open or plan.status is PlanStatus.WAITING:
        return
    now = today(uow.clock.now())
    await review_due(uow, deps, plan, ReviewTrigger.SCHEDULED, now)
    nxt = today(timer.due_at) + days(deps.rules.review_every_days)
    await uow.timers.schedule(
        kind=REVIEW,
        key=timer.key,
        due_at=morning_of(nxt),
        payload=timer.payload,
    )


async def record_review(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plan: Plan,
    cmd: RecordReviewOutcome,
    *,
    on: date,
) -> None:
    """Record how an open review went; the projection is reassessed."""
    review_id, held_on, outcome = cmd.review_id, cmd.held_on, cmd.outcome
    if not await uow.ledger.hold_review(review_id, plan.participant_ref, held_on, outcome.value):
        raise PlanError("no open review with this id for this participant")
    next_due = await uow.records.timer_due(kind=REVIEW, key=str(plan.plan_id))
    plan.record(
        ProgressReviewRecorded(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            review_id=review_id,
            held_on=held_on,
            outcome=outcome,
            hours_to_date=hours_totals(await uow.records.hours_to_date(plan.participant_ref)),
            next_review_on=today(next_due) if next_due else None,
        )
    )
    log.info(
        "progress_review_recorded",
        participant_ref=plan.participant_ref,
        review_id=review_id,
        outcome=outcome,
    )
    await reassess(uow, deps, plan, on)
    await uow.plans.save(plan)
