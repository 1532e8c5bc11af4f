"""Value objects of the intake: status, appointment, contact assignments, withdrawal.

Nested codes reuse the contract's parts (they are what the events carry), so the
domain and the events cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from zroute_contract.events.codes import (
    AssignmentReason,
    WithdrawalReason,
)
from zroute_contract.events.intake import (
    IntakeAttendee,
    InterpreterBooking,
)
from zroute_contract.events.parts import ContactPersonRef


class Status(StrEnum):
    """Where a participant is in the intake, and after."""

    REGISTERED = "registered"
    INTAKE_SCHEDULED = "intake_scheduled"
    INTAKE_COMPLETED = "intake_completed"
    WITHDRAWN = "withdrawn"
    ROUTE_COMPLETED = "route_completed"


CLOSED = frozenset({Status.WITHDRAWN, Status.ROUTE_COMPLETED})


@dataclass(frozen=True)
class Appointment:
    """The broad intake (brede intake) appointment."""

    intake_id: UUID
    starts_at: datetime
    duration_minutes: int
    location_id: str
    attendees: tuple[IntakeAttendee, ...]
    interpreter: InterpreterBooking | None = None


@dataclass(frozen=True)
class ContactAssignment:
    """One period in which a staff member was the participant's contact person."""

    contact: ContactPersonRef
    assigned_from: date
    reason: AssignmentReason
    until: date | None = None


@dataclass(frozen=True)
class Withdrawal:
    """Why and from when the participant left the route; the status they had before it
    and the day it was recorded (for a re-enrolment; None on withdrawals recorded before
    issue 15)."""

    reason: WithdrawalReason
    effective_on: date
    previous_status: Status | None = None
    recorded_on: date | None = None
