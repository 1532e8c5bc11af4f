"""Roll-call: the attendance of one session, its checks, its corrections and what counts.

The ledger is what a school is audited on and what the municipality is invoiced from, so
every line is checked against the session and the plan before it is kept:

- not before the plan's start, not after its end, not for a session in the future;
- present minutes within the session's length, and at most a configured number of
  minutes for one participant on one day;
- an absence carries no minutes; an excused absence names its reason.

A correction never overwrites: it keeps the old value and the new one, who changed it,
when and why. Whether an excused absence counts as missed for the progress-review
threshold is configuration (by default it does not).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from zroute_contract.events.codes import AttendanceStatus

from zroute_planning.domain.errors import InvalidRequest


class LineProblem(StrEnum):
    """Why the ledger refuses a line (a roll-call's, a single one or a correction), as a
    code with parameters: the API says it in English beside the code, a screen words the
    code in the reader's language. The parameters are codes, days and numbers only."""

    SESSION_IN_FUTURE = "session_in_future"
    BEFORE_PLAN_START = "before_plan_start"  # day
    AFTER_PLAN_END = "after_plan_end"  # day
    ABSENCE_HAS_MINUTES = "absence_has_minutes"
    MINUTES_OUT_OF_RANGE = "minutes_out_of_range"  # max
    OVER_DAY_MAXIMUM = "over_day_maximum"  # max
    REASON_MISSING = "reason_missing"
    REASON_NOT_ALLOWED = "reason_not_allowed"
    # Against the calendar's session (domain/calendar.roll_call_refusals).
    SESSION_CANCELLED = "session_cancelled"
    OTHER_DAY = "other_day"  # day
    OTHER_LENGTH = "other_length"  # minutes
    OTHER_FORM = "other_form"  # form, kind
    OTHER_GROUP = "other_group"
    NOT_EXPECTED = "not_expected"
    NOT_IN_CALENDAR = "not_in_calendar"  # programme, day
    # The line's module and kind (domain/recording.module_refusal).
    MODULE_OF_OTHER_KIND = "module_of_other_kind"  # module, wanted, kind


_SENTENCES: dict[LineProblem, str] = {
    LineProblem.SESSION_IN_FUTURE: "the session is in the future",
    LineProblem.BEFORE_PLAN_START: "the session is before the plan's start ({day})",
    LineProblem.AFTER_PLAN_END: "the session is after the plan's end ({day})",
    LineProblem.ABSENCE_HAS_MINUTES: "an absence carries no minutes",
    LineProblem.MINUTES_OUT_OF_RANGE: "present minutes must be between 1 and {max}",
    LineProblem.OVER_DAY_MAXIMUM: "more than {max} minutes on one day",
    LineProblem.REASON_MISSING: "an excused absence names its reason",
    LineProblem.REASON_NOT_ALLOWED: "only an excused absence carries a reason",
    LineProblem.SESSION_CANCELLED: "the session was cancelled",
    LineProblem.OTHER_DAY: "the calendar has this session on {day}",
    LineProblem.OTHER_LENGTH: "the calendar's session lasts {minutes} minutes",
    LineProblem.OTHER_FORM: "the calendar's session is {form} ({kind})",
    LineProblem.OTHER_GROUP: "the session belongs to another group",
    LineProblem.NOT_EXPECTED: "not expected at this session",
    LineProblem.NOT_IN_CALENDAR: "the session is not in the calendar of {programme} on {day}",
    LineProblem.MODULE_OF_OTHER_KIND: "{module} hours are {wanted} hours, not {kind}",
}


@dataclass(frozen=True)
class Problem:
    """One reason a line (of ``participant_ref``, or the session's when None) is refused."""

    code: LineProblem
    participant_ref: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: LineProblem, ref: str | None = None, **params: object) -> Problem:
        return cls(code, ref, tuple(sorted((k, str(v)) for k, v in params.items())))

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self.params)

    def sentence(self) -> str:
        """The reason in English, as the API and the logs have always said it."""
        said = _SENTENCES[self.code].format(**self.parameters)
        return f"{self.participant_ref}: {said}" if self.participant_ref else said

    def detail(self) -> dict[str, Any]:
        """The reason as the API's refusal lists it: the sentence beside its code."""
        return {
            "participant_ref": self.participant_ref,
            "reason": self.sentence(),
            "reason_code": self.code.value,
            "reason_params": self.parameters,
        }


class LinesRefused(InvalidRequest):
    """The ledger refuses the line(s): every reason, in English (``reason``, joined by
    "; " as before) and coded (``problems``, the 422's ``detail``)."""

    def __init__(self, found: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.sentence() for p in found))
        self.found = tuple(found)
        self.problems = [p.detail() for p in found]


class AbsenceReason(StrEnum):
    """Why a participant was absent with a reason."""

    ILLNESS = "illness"
    CARE_APPOINTMENT = "care_appointment"
    CHILDCARE_FAILED = "childcare_failed"
    TRANSPORT_FAILED = "transport_failed"
    OTHER = "other"


@dataclass(frozen=True)
class RollCallRules:
    """Configuration of the ledger's checks and of what counts as missed."""

    max_minutes_per_day: int = 360
    excused_counts_as_missed: bool = False


@dataclass(frozen=True)
class SessionFacts:
    """What the calendar knows of the session being recorded."""

    session_on: date
    minutes: int


@dataclass(frozen=True)
class PlanWindow:
    """The days the participant's plan runs (``end_on`` None while it is open)."""

    start_on: date | None
    end_on: date | None = None


@dataclass(frozen=True)
class Mark:
    """One participant's line of a roll-call."""

    participant_ref: str
    status: AttendanceStatus
    minutes: int = 0
    reason: AbsenceReason | None = None

    @property
    def hours(self) -> float:
        """Hours counted, in quarter hours; none for an absence."""
        if self.status is not AttendanceStatus.PRESENT:
            return 0.0
        return round(self.minutes / 15) / 4


def mark_problems(
    mark: Mark,
    session: SessionFacts,
    plan: PlanWindow,
    today: date,
    minutes_that_day: int = 0,
    rules: RollCallRules = RollCallRules(),
) -> list[str]:
    """Every check the line fails, as reasons in English (see :func:`line_problems`)."""
    found = line_problems(mark, session, plan, today, minutes_that_day, rules)
    return [p.sentence() for p in found]


def line_problems(
    mark: Mark,
    session: SessionFacts,
    plan: PlanWindow,
    today: date,
    minutes_that_day: int = 0,
    rules: RollCallRules = RollCallRules(),
) -> list[Problem]:
    """Every check the line fails, as coded reasons a teacher can act on.

    ``minutes_that_day`` is what the ledger already holds for the participant on the
    session's day, without this session.
    """
    ref = mark.participant_ref
    found = []
    if session.session_on > today:
        found.append(Problem.of(LineProblem.SESSION_IN_FUTURE, ref))
    if plan.start_on is None or session.session_on < plan.start_on:
        found.append(Problem.of(LineProblem.BEFORE_PLAN_START, ref, day=plan.start_on))
    if plan.end_on is not None and session.session_on > plan.end_on:
        found.append(Problem.of(LineProblem.AFTER_PLAN_END, ref, day=plan.end_on))
    found += _minute_problems(mark, session, minutes_that_day, rules)
    if mark.status is AttendanceStatus.ABSENT_WITH_REASON and mark.reason is None:
        found.append(Problem.of(LineProblem.REASON_MISSING, ref))
    if mark.status is not AttendanceStatus.ABSENT_WITH_REASON and mark.reason is not None:
        found.append(Problem.of(LineProblem.REASON_NOT_ALLOWED, ref))
    return found


def _minute_problems(
    mark: Mark, session: SessionFacts, minutes_that_day: int, rules: RollCallRules
) -> list[Problem]:
    ref = mark.participant_ref
    if mark.status is not AttendanceStatus.PRESENT:
        return [Problem.of(LineProblem.ABSENCE_HAS_MINUTES, ref)] if mark.minutes else []
    if not 0 < mark.minutes <= session.minutes:
        return [Problem.of(LineProblem.MINUTES_OUT_OF_RANGE, ref, max=session.minutes)]
    if minutes_that_day + mark.minutes > rules.max_minutes_per_day:
        return [Problem.of(LineProblem.OVER_DAY_MAXIMUM, ref, max=rules.max_minutes_per_day)]
    return []


def counts_as_missed(status: AttendanceStatus, rules: RollCallRules = RollCallRules()) -> bool:
    """Whether a line lowers the attendance that triggers a progress review."""
    if status is AttendanceStatus.ABSENT_WITHOUT_REASON:
        return True
    return status is AttendanceStatus.ABSENT_WITH_REASON and rules.excused_counts_as_missed


def attendance_share(statuses: Iterable[AttendanceStatus], rules: RollCallRules) -> float | None:
    """Share of sessions not missed, or None when there are none."""
    listed = list(statuses)
    if not listed:
        return None
    missed = sum(counts_as_missed(s, rules) for s in listed)
    return 1 - missed / len(listed)


@dataclass(frozen=True)
class Correction:
    """A changed ledger line: both values, who, when and why."""

    session_id: str
    participant_ref: str
    old: Mark
    new: Mark
    corrected_by: str
    corrected_at: datetime
    reason: str

    def __post_init__(self) -> None:
        if self.old == self.new:
            raise ValueError("a correction changes the line")
        if not self.reason.strip():
            raise ValueError("a correction says why")
