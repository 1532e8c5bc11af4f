"""The hours ledger and progress reviews (L3): attendance per session, hours per kind,
reviews on a rhythm and when attendance drops below the threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    Problem,
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
    by_ref = {plan.participant_ref: plan for plan in plans}
    try:
        [counted] = await record_roll_calls(uow, deps, by_ref, [cmd], on=on, partner=partner)
    except RollCallsRefused as refused:
        # One roll-call: its reasons as they have always been said (no index).
        raise LinesRefused(refused.found) from None
    return counted


class RollCallsRefused(LinesRefused):
    """Lines of a list of roll-calls are refused: every reason, each with the index of its
    roll-call in the list (``roll_call`` in the 422's ``detail``)."""

    def __init__(self, found: Sequence[tuple[int, Problem]]) -> None:
        super().__init__([p for _, p in found])
        self.indexed = tuple(found)
        self.problems = [{"roll_call": i, **p.detail()} for i, p in found]


async def record_roll_calls(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plans: Mapping[str, Plan],
    cmds: Sequence[RecordRollCall],
    *,
    on: date,
    partner: str | None = None,
) -> list[list[float]]:
    """Record several sessions' roll-calls at once (a school's week), in their order, with
    ``plans`` by participant (each participant's one plan, so their events keep the
    roll-calls' order); returns the hours counted per line of each roll-call. Each
    roll-call is checked as :func:`record_roll_call` checks one, a later one against the
    lines of the earlier ones (the day's maximum); any failing line refuses them all with
    every reason (:class:`RollCallsRefused`), and a conflict or a closed plan names its
    roll-call. What follows from the hours (the attendance check, the follow-up
    reminder's move) runs once per participant, after all the lines."""
    refused: list[tuple[int, Problem]] = []
    counted: list[list[float]] = []
    for index, cmd in enumerate(cmds):
        listed = [plans[mark.participant_ref] for mark in cmd.marks]
        try:
            problems = await _roll_call_problems(uow, deps, listed, cmd, on)
            refused += [(index, problem) for problem in problems]
            # A refused roll-call's lines are not kept; the others' are, so that a later
            # roll-call is checked against them (the whole list is refused in the end).
            counted.append([] if problems else await _add_roll_call(uow, listed, cmd, partner))
        except PlanError as exc:
            if len(cmds) > 1:
                exc.reason = f"roll-call {index}: {exc.reason}"
                exc.args = (exc.reason,)
            raise
    if refused:
        raise RollCallsRefused(refused)
    # What follows from the hours, once per participant after all the lines: each plan's
    # own events keep their order (its lines, then a review due).
    for ref in {m.participant_ref: None for cmd in cmds for m in cmd.marks}:
        plan = plans[ref]
        await _check_attendance(uow, deps, plan, on)
        await follow_hours(uow, deps, plan, on)
    log.info("roll_call_recorded", roll_calls=len(cmds), lines=sum(map(len, counted)))
    return counted


async def _roll_call_problems(
    uow: PlanningUnitOfWork, deps: Deps, plans: Sequence[Plan], cmd: RecordRollCall, on: date
) -> list[Problem]:
    """Every reason the roll-call's lines are refused: against the calendar's session, and
    each line against the session and its plan."""
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
        problems += line_problems(mark, session, plan_window(plan), on, that_day, checks)
    return problems


async def _add_roll_call(
    uow: PlanningUnitOfWork, plans: Sequence[Plan], cmd: RecordRollCall, partner: str | None
) -> list[float]:
    """Keep the roll-call's lines (checked); the hours counted per line."""
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
            minutes=mark.minutes
            if mark.status is AttendanceStatus.PRESENT
            else cmd.session_minutes,
        )
        counted.append(await _add_line(uow, plan, line, mark.reason, cmd.session_minutes, partner))
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
