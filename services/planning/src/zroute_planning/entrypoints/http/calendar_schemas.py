"""Bodies and answers of the calendar routes (issue 16): closures, staff, rooms, leave,
the dated sessions, and cancelling, moving or staffing one."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from zroute_contract.events.codes import (
    CurriculumModule,
    DayPart,
    HoursKind,
    SessionChangeReason,
    TeachingForm,
    Weekday,
)
from zroute_contract.types import PARTNER_ID_PATTERN, STAFF_REF_PATTERN

from zroute_planning.domain.calendar import (
    DatedSession,
    Qualification,
    SessionStatus,
    StaffRole,
    Unstaffed,
)

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Code = Annotated[str, StringConstraints(pattern=PARTNER_ID_PATTERN)]
StaffId = Annotated[str, StringConstraints(pattern=STAFF_REF_PATTERN)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClosureIn(_In):
    from_on: date
    to_on: date
    reason: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,39}$")] = Field(
        description="A code, e.g. ``christmas_holiday``, ``building_closed``."
    )


class ClosureOut(BaseModel):
    programme_id: str
    from_on: date
    to_on: date
    reason: str
    cancelled: list[UUID] = Field(default_factory=list, description="Sessions it cancelled.")


class SlotIn(_In):
    weekday: Weekday
    day_part: DayPart


class StaffIn(_In):
    partner_id: Code
    role: StaffRole = StaffRole.TEACHER
    qualifications: list[Qualification] = Field(default_factory=list)
    availability: list[SlotIn] = Field(min_length=1, description="The weekly slots they teach.")


class StaffOut(BaseModel):
    staff_id: str
    programme_id: str
    partner_id: str
    role: StaffRole
    qualifications: list[Qualification]
    availability: list[tuple[str, str]]
    leave: list[tuple[date, date, str]]


class LeaveIn(_In):
    from_on: date
    to_on: date
    reason: Literal["leave", "illness"]


class RoomIn(_In):
    location_id: Code
    capacity: int = Field(ge=1, le=500)


class RoomOut(BaseModel):
    room_id: str
    programme_id: str
    location_id: str
    capacity: int


class GenerateIn(_In):
    from_on: date
    to_on: date


class GenerateOut(BaseModel):
    programme_id: str
    added: int


class SessionOut(BaseModel):
    session_id: UUID
    programme_id: str
    session_on: date
    weekday: str
    day_part: str
    starts_at: time
    minutes: int
    teaching_form: TeachingForm
    kind: HoursKind
    group_id: UUID | None
    participant_ref: str | None
    staff: str | None
    regular_staff: str | None
    substitute: bool
    room_id: str | None
    unstaffed: Unstaffed | None
    status: SessionStatus
    module: CurriculumModule | None = None

    @classmethod
    def of(cls, s: DatedSession) -> SessionOut:
        return cls(
            session_id=s.session_id,
            programme_id=s.programme_id,
            session_on=s.on,
            weekday=s.slot[0],
            day_part=s.slot[1],
            starts_at=s.starts_at,
            minutes=s.minutes,
            teaching_form=s.form,
            kind=s.kind,
            group_id=s.group_id,
            participant_ref=s.participant_ref,
            staff=s.staff,
            regular_staff=s.regular_staff,
            substitute=s.substituted,
            room_id=s.room_id,
            unstaffed=s.unstaffed,
            status=s.status,
            module=s.module,
        )


class CancelIn(_In):
    reason: SessionChangeReason
    note: Note | None = None


class MoveIn(_In):
    session_on: date
    starts_at: time
    room_id: Code | None = None
    reason: SessionChangeReason
    note: Note | None = None


class SubstituteIn(_In):
    staff_id: StaffId
