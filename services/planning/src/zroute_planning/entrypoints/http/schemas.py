"""Request and response bodies of the HTTP API (never table rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator
from zroute_contract.events.codes import (
    AttendanceStatus,
    CorrectionReason,
    CurriculumModule,
    FollowUpType,
    HoursKind,
    LevelBand,
    ParticipationActivity,
    PlacementSupport,
    ReviewOutcome,
    TeachingForm,
    WaitReason,
)
from zroute_contract.events.parts import HoursNorm
from zroute_contract.events.planning import (
    FollowUpAgreement,
    GroupSession,
    HoursTargets,
    HoursTotals,
    RampUpPhase,
    ScheduledSession,
)
from zroute_contract.types import ParticipantRef, PartnerId, ProgrammeId

from zroute_planning.domain.roll_call import AbsenceReason


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProjectionOut(BaseModel):
    hours: HoursTotals
    fits_term: bool
    planned_end: date


class PlanOut(BaseModel):
    plan_id: UUID
    participant_ref: str
    programme_id: str
    status: str
    level_band: LevelBand
    modules: list[CurriculumModule]
    targets: HoursTargets
    start_on: date | None
    integration_term_end: date
    waiting_for: list[str]
    paused_since: date | None
    at_risk: bool
    group_id: UUID | None
    projection: ProjectionOut
    # The term's start (the day after the PIP's date) and the PIP's hours norm.
    integration_term_start: date | None = None
    norm: HoursNorm | None = None


class ScheduleOut(BaseModel):
    phase: int
    valid_from: date
    sessions: list[ScheduledSession]


class HoursOut(BaseModel):
    hours: HoursTotals
    total: float
    targets: HoursTargets
    attendance_percentage: int
    norm: HoursNorm | None = Field(
        default=None, description="The participant's norm as the PIP sets it (B 3.14)."
    )
    short_of: list[str] = Field(
        default_factory=list,
        description=(
            "What the hours fall short of: the PIP's norm per part (course hours, NT2 and"
            " KNM together; participation hours, PVT and MAP within them) and the configured"
            " KNM and MAP minimums. Empty when the route may complete without a waiver."
        ),
    )


class AttendanceIn(_In):
    session_id: UUID
    session_on: date
    group_id: UUID | None = None
    kind: HoursKind
    teaching_form: TeachingForm
    status: AttendanceStatus
    minutes: Annotated[int, Field(ge=15, le=480)]
    # The session's length (by default the longest session the rules plan) and, for an
    # excused absence, its reason: the line is checked as a roll-call line is.
    session_minutes: Annotated[int, Field(ge=15, le=480)] | None = None
    absence_reason: AbsenceReason | None = None
    # The module the hours were spent on: ``pvt`` (kind participation) for the
    # participatieverklaringstraject, recorded by the partner the agreement names for it.
    module: CurriculumModule | None = None


class AttendanceOut(BaseModel):
    session_id: UUID
    session_on: date
    kind: HoursKind
    teaching_form: TeachingForm
    status: AttendanceStatus
    hours: float
    module: CurriculumModule | None = None


class AttendanceCorrectionIn(_In):
    """The new value of a recorded line, with the coded reason and an optional note."""

    status: AttendanceStatus
    minutes: Annotated[int, Field(ge=0, le=480)] = 0
    absence_reason: AbsenceReason | None = None
    reason: CorrectionReason
    note: Annotated[str, Field(max_length=500)] | None = None


class AttendanceCorrectionOut(BaseModel):
    correction_id: UUID
    session_id: UUID
    old_status: AttendanceStatus
    old_hours: float
    new_status: AttendanceStatus
    new_hours: float
    corrected_by: str
    corrected_at: datetime
    reason: CorrectionReason


class MarkIn(_In):
    """One participant's line: present with minutes, or absent (with a reason or not)."""

    participant_ref: ParticipantRef
    status: AttendanceStatus
    minutes: Annotated[int, Field(ge=0, le=480)] = 0
    reason: AbsenceReason | None = None


class RollCallIn(_In):
    """A whole session's roll-call."""

    session_id: UUID
    session_on: date
    group_id: UUID | None = None
    kind: HoursKind
    teaching_form: TeachingForm
    session_minutes: Annotated[int, Field(ge=15, le=480)]
    marks: list[MarkIn] = Field(min_length=1, max_length=40)

    @field_validator("marks")
    @classmethod
    def _one_line_each(cls, value: list[MarkIn]) -> list[MarkIn]:
        refs = [m.participant_ref for m in value]
        if len(set(refs)) != len(refs):
            raise ValueError("one line per participant")
        return value


MAX_ROLL_CALLS = 200
"""The most roll-calls one list may carry: a school's week of sessions, with room."""


def _roll_call_shape(value: Any) -> str:
    # A list is several sessions' roll-calls (a school's week); an object is one.
    return "roll_calls" if isinstance(value, list) else "roll_call"


RollCallsIn = Annotated[
    Annotated[RollCallIn, Tag("roll_call")]
    | Annotated[
        list[RollCallIn],
        Field(min_length=1, max_length=MAX_ROLL_CALLS),
        Tag("roll_calls"),
    ],
    Discriminator(_roll_call_shape),
]
"""``POST /roll-calls``'s body: one roll-call, or a list of them recorded at once."""


class RollCallLineOut(BaseModel):
    participant_ref: str
    status: AttendanceStatus
    hours: float


class RollCallOut(BaseModel):
    session_id: UUID
    session_on: date
    lines: list[RollCallLineOut]


class ReviewOut(BaseModel):
    review_id: UUID
    trigger: str
    due_on: date
    held_on: date | None
    outcome: ReviewOutcome | None


class ReviewOutcomeIn(_In):
    held_on: date
    outcome: ReviewOutcome


class FollowUpIn(_In):
    follow_up_type: FollowUpType
    partner_id: PartnerId
    starts_on: date
    agreements: list[FollowUpAgreement] = Field(min_length=1)


class FollowUpOut(BaseModel):
    follow_up_id: UUID
    follow_up_type: FollowUpType
    partner_id: str
    starts_on: date
    agreements: list[FollowUpAgreement]


class CompletionOut(BaseModel):
    completed_on: date
    hours: HoursTotals
    targets_met: bool
    follow_up_id: UUID
    targets_waiver_id: UUID | None = None


class TargetsWaiverIn(_In):
    """The municipality's decision that waives the route's hours targets at completion."""

    decided_on: date
    decision_ref: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    reason: Annotated[str, Field(min_length=5, max_length=500)]


class TargetsWaiverOut(BaseModel):
    waiver_id: UUID
    decided_on: date
    recorded_by: str


class PlacementIn(_In):
    activity: ParticipationActivity
    needed_by: date
    hours_per_week: Annotated[float, Field(gt=0, le=40, multiple_of=0.25)]
    support_needs: list[PlacementSupport] = Field(default=[], max_length=10)

    @field_validator("support_needs")
    @classmethod
    def _distinct(cls, value: list[PlacementSupport]) -> list[PlacementSupport]:
        if len(set(value)) != len(value):
            raise ValueError("support needs must not repeat")
        return value


class PlacementOut(BaseModel):
    placement_request_id: UUID
    activity: ParticipationActivity
    needed_by: date
    hours_per_week: float
    status: str
    escalations: int


class GroupOut(BaseModel):
    group_id: UUID
    programme_id: str
    partner_id: str
    level_band: LevelBand
    teacher: str
    assistant: str | None
    starts_on: date
    sessions: list[GroupSession]
    members: list[ParticipantRef]


class FormationIn(_In):
    programme_id: ProgrammeId | None = None


class FormationOut(BaseModel):
    groups_formed: int
    joined: int
    removed: int
    waiting: int


class WaitingOut(BaseModel):
    participant_ref: str
    programme_id: str
    level_band: LevelBand
    reason: WaitReason
    since: date


class HoursTraceLine(BaseModel):
    """One ledger line behind an export figure, with its corrections (oldest first)."""

    session_id: UUID
    session_on: date
    teaching_form: TeachingForm
    status: AttendanceStatus
    minutes: int
    hours: float
    recording_partner: str | None
    corrections: list[dict[str, Any]]


class RampUpIn(_In):
    """One participant's ramp-up pace: 100 is the deployment's profile, 200 twice as slow."""

    pace_percent: Annotated[int, Field(ge=100, le=400)]
    reason: Annotated[str, Field(min_length=5, max_length=500)]


class RampUpOut(BaseModel):
    pace_percent: int
    phases: list[RampUpPhase]


class GroupChangeIn(_In):
    """Why a group is changed by hand."""

    reason: Annotated[str, Field(min_length=5, max_length=500)]


class GroupMemberIn(GroupChangeIn):
    participant_ref: ParticipantRef


class GroupMoveIn(GroupChangeIn):
    to_group_id: UUID


class LevelBandIn(GroupChangeIn):
    """A member's level band after a level test, with the test's date."""

    level_band: LevelBand
    tested_on: date


class LevelBandOut(BaseModel):
    level_band: LevelBand
    tested_on: date
