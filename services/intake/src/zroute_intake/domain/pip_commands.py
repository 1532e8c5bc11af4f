"""What a caseworker asks of a participant's PIP case (imperatives).

``expected_version`` is the PIP case's version the caller last saw (``If-Match``);
``by`` is the acting user, the token's subject, recorded with every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zroute_intake.domain import term
from zroute_intake.domain.pip import AmendmentReason, ObjectionOutcome, ObjectionStage, PipContent
from zroute_intake.domain.pip_case import DeadlineStart


@dataclass(frozen=True)
class PipCommand:
    ref: str
    expected_version: int | None
    scope: str | None
    by: str


@dataclass(frozen=True)
class PreparePip(PipCommand):
    content: PipContent


@dataclass(frozen=True)
class EstablishPip(PipCommand):
    dated: date


@dataclass(frozen=True)
class AmendPip(PipCommand):
    dated: date
    reason: AmendmentReason


@dataclass(frozen=True)
class LodgeObjection(PipCommand):
    stage: ObjectionStage
    lodged_on: date


@dataclass(frozen=True)
class DecideObjection(PipCommand):
    outcome: ObjectionOutcome
    decided_on: date


@dataclass(frozen=True)
class RecordDeadlineStart(PipCommand):
    start: DeadlineStart


@dataclass(frozen=True)
class AwaitInformation(PipCommand):
    requested_on: date


@dataclass(frozen=True)
class ReceiveInformation(PipCommand):
    number: int
    received_on: date


@dataclass(frozen=True)
class RecordExtension(PipCommand):
    extension: term.Extension


@dataclass(frozen=True)
class RecordRelease(PipCommand):
    release: term.Release
