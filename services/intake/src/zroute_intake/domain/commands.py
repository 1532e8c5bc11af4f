"""What a caseworker asks the intake service to do (imperatives; events say what happened).

``expected_version`` is the version the caller last saw (the ``If-Match`` header), or
``None`` when the caller does not guard the change; ``scope`` is the caller's
municipality when their token names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.events.codes import (
    AssignmentReason,
    CorrectionReason,
    IntakeCancelReason,
    ReEnrolmentReason,
    WithdrawalReason,
)
from zroute_contract.events.parts import ContactPersonRef

from zroute_intake.domain.changes import PersonalDataChange
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.outcome import Outcome
from zroute_intake.domain.pauses import PauseGround
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import Appointment


@dataclass(frozen=True)
class RegisterParticipant:
    programme_id: str
    municipality: str
    personal: PersonalData
    preferred_language: str
    interpreter_needed: bool
    contact: ContactPersonRef
    scope: str | None = None


@dataclass(frozen=True)
class ParticipantCommand:
    ref: str
    expected_version: int | None
    scope: str | None


@dataclass(frozen=True)
class ScheduleIntake(ParticipantCommand):
    appointment: Appointment


@dataclass(frozen=True)
class CancelIntake(ParticipantCommand):
    reason: IntakeCancelReason
    by: str


@dataclass(frozen=True)
class CompleteIntake(ParticipantCommand):
    outcome: Outcome
    by: str


@dataclass(frozen=True)
class CorrectIntake(ParticipantCommand):
    outcome: Outcome
    reason: CorrectionReason
    by: str


@dataclass(frozen=True)
class AssignContactPerson(ParticipantCommand):
    contact: ContactPersonRef
    assigned_from: date
    reason: AssignmentReason


@dataclass(frozen=True)
class RecordConsent(ParticipantCommand):
    consent: Consent


@dataclass(frozen=True)
class WithdrawConsent(ParticipantCommand):
    consent_id: UUID


@dataclass(frozen=True)
class WithdrawParticipant(ParticipantCommand):
    reason: WithdrawalReason
    effective_on: date


@dataclass(frozen=True)
class ChangePersonalData(ParticipantCommand):
    change: PersonalDataChange
    by: str


@dataclass(frozen=True)
class ReEnrol(ParticipantCommand):
    reason: ReEnrolmentReason
    by: str


@dataclass(frozen=True)
class PauseRoute(ParticipantCommand):
    pause_id: UUID
    ground: PauseGround
    paused_from: date
    expected_until: date | None
    by: str


@dataclass(frozen=True)
class ResumeRoute(ParticipantCommand):
    pause_id: UUID
    resumed_on: date
    by: str


@dataclass(frozen=True)
class MoveOut(ParticipantCommand):
    to_municipality: str
    moved_on: date
    by: str


@dataclass(frozen=True)
class MoveIn:
    document: str
    scope: str | None
    by: str
