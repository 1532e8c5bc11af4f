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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from zroute_contract.events.codes import AttendanceStatus


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
    """Every check the line fails, as reasons a teacher can act on.

    ``minutes_that_day`` is what the ledger already holds for the participant on the
    session's day, without this session.
    """
    where = f"{mark.participant_ref}"
    found = []
    if session.session_on > today:
        found.append(f"{where}: the session is in the future")
    if plan.start_on is None or session.session_on < plan.start_on:
        found.append(f"{where}: the session is before the plan's start ({plan.start_on})")
    if plan.end_on is not None and session.session_on > plan.end_on:
        found.append(f"{where}: the session is after the plan's end ({plan.end_on})")
    found += _minute_problems(mark, session, minutes_that_day, rules)
    if mark.status is AttendanceStatus.ABSENT_WITH_REASON and mark.reason is None:
        found.append(f"{where}: an excused absence names its reason")
    if mark.status is not AttendanceStatus.ABSENT_WITH_REASON and mark.reason is not None:
        found.append(f"{where}: only an excused absence carries a reason")
    return found


def _minute_problems(
    mark: Mark, session: SessionFacts, minutes_that_day: int, rules: RollCallRules
) -> list[str]:
    where = f"{mark.participant_ref}"
    if mark.status is not AttendanceStatus.PRESENT:
        return [f"{where}: an absence carries no minutes"] if mark.minutes else []
    if not 0 < mark.minutes <= session.minutes:
        return [f"{where}: present minutes must be between 1 and {session.minutes}"]
    if minutes_that_day + mark.minutes > rules.max_minutes_per_day:
        return [f"{where}: more than {rules.max_minutes_per_day} minutes on one day"]
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
