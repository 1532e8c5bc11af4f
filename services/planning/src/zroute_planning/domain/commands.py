"""The commands planning takes over HTTP, with their values (the plan they act on is loaded
and checked for the caller first; the day they are given on comes with them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from zroute_contract.events.codes import (
    AttendanceStatus,
    CorrectionReason,
    CurriculumModule,
    FollowUpType,
    HoursKind,
    ParticipationActivity,
    PlacementSupport,
    ReviewOutcome,
    TeachingForm,
)
from zroute_contract.events.planning import FollowUpAgreement

from zroute_planning.domain.roll_call import AbsenceReason, Mark


@dataclass(frozen=True)
class RecordAttendance:
    """One participant's attendance of one session."""

    session_id: UUID
    session_on: date
    group_id: UUID | None
    kind: HoursKind
    form: TeachingForm
    status: AttendanceStatus
    minutes: int
    # The single line (POST /attendance) names the session's length and an excused
    # absence's reason, so it is checked as a roll-call line is (issue 16 item 7).
    session_minutes: int | None = None
    reason: AbsenceReason | None = None
    # The module the hours were spent on, when the line names one (PVT: issue 16).
    module: CurriculumModule | None = None


@dataclass(frozen=True)
class RequestPlacement:
    """A placement asked of the partners, needed by a day with the configured lead time."""

    activity: ParticipationActivity
    needed_by: date
    hours_per_week: float
    support_needs: tuple[PlacementSupport, ...] = ()


@dataclass(frozen=True)
class RecordReviewOutcome:
    """How an open progress review went."""

    review_id: UUID
    held_on: date
    outcome: ReviewOutcome


@dataclass(frozen=True)
class AgreeFollowUp:
    """The follow-up the participant goes on to, with at least one concrete agreement."""

    follow_up_type: FollowUpType
    partner_id: str
    starts_on: date
    agreements: tuple[FollowUpAgreement, ...]


@dataclass(frozen=True)
class FormGroups:
    """Form groups now for one programme, or for all (None)."""

    programme_id: str | None = None


@dataclass(frozen=True)
class RecordRollCall:
    """The roll-call of one session: every participant's line at once."""

    session_id: UUID
    session_on: date
    group_id: UUID | None
    kind: HoursKind
    form: TeachingForm
    session_minutes: int
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class CorrectAttendance:
    """A recorded ledger line changed: the new value, who, when and why."""

    session_id: UUID
    participant_ref: str
    mark: Mark
    reason: CorrectionReason
    note: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class WaiveTargets:
    """The municipality's decision that the route may complete short of its hours targets:
    the day it was taken, its reference, why, and who recorded it when."""

    decided_on: date
    decision_ref: str | None
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class SetRampUp:
    """A planner's pace for one participant's ramp-up (percent of the profile), with why,
    who and when."""

    pace_percent: int
    reason: str
    by: str
    at: datetime
