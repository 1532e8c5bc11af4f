"""What a caseworker asks of a participant's progress meetings and final meeting.

``expected_version`` is the meeting series' version the caller last saw (``If-Match``);
``by`` is the acting user, the token's subject, recorded with every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zroute_intake.domain.meetings import Invitation, MeetingRecord


@dataclass(frozen=True)
class MeetingCommand:
    ref: str
    expected_version: int | None
    scope: str | None
    by: str


@dataclass(frozen=True)
class PlanMeetings(MeetingCommand):
    due_on: tuple[date, ...]


@dataclass(frozen=True)
class InviteToMeeting(MeetingCommand):
    number: int
    invitation: Invitation


@dataclass(frozen=True)
class RecordMeeting(MeetingCommand):
    number: int
    record: MeetingRecord


@dataclass(frozen=True)
class RecordFinalMeeting(MeetingCommand):
    record: MeetingRecord
