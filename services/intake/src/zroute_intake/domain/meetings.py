"""Progress meetings and the Z-route's final meeting, held by the municipality.

The PIP sets how many progress meetings there are (B 5.3(4)); the college holds them with
the participant, with an interpreter where needed and the partners concerned, and records
who attended, the notes (kept in intake, never on the bus), the agreements with their
owners and dates, and the decision: the PIP unchanged, amended, or a route switch (then
the meeting names the PIP version that amendment established). The Z-route ends with a
final meeting (*eindgesprek*) that only the college may hold (B 3.14(2)(c), (4)): a
separate record, made once.

Every change records the acting user and the time (``changes``); the events carry codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from zroute_contract.events.base import Event
from zroute_contract.events.codes import MeetingDecision, MeetingRole, Route
from zroute_contract.events.intake import (
    FinalMeetingHeld,
    MeetingAttendee,
    ProgressMeetingHeld,
    ProgressMeetingScheduled,
)

from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound, StaleVersion
from zroute_intake.domain.pip import AmendmentReason, Pip
from zroute_intake.domain.pip_case import PipChange

_DECIDED_BY = {
    MeetingDecision.AMENDED: AmendmentReason.PROGRESS_MEETING,
    MeetingDecision.ROUTE_SWITCH: AmendmentReason.ROUTE_SWITCH,
}


@dataclass(frozen=True)
class Invitation:
    """When and where the meeting is, and who is asked to come besides the participant."""

    starts_at: datetime
    location_id: str
    interpreter_needed: bool
    interpreter_language: str | None = None
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """One agreement of a meeting: what, who sees to it (a role or partner), by when."""

    what: str = field(repr=False)
    owner: str
    due_on: date


@dataclass(frozen=True)
class MeetingRecord:
    """What was recorded of a held meeting; ``notes`` stays in intake."""

    held_on: date
    attendees: tuple[MeetingAttendee, ...]
    notes: str = field(repr=False)
    by: str
    agreements: tuple[Agreement, ...] = ()
    decision: MeetingDecision | None = None
    """None for the final meeting."""
    pip_version: int | None = None


@dataclass(frozen=True)
class Meeting:
    """One of the PIP's progress meetings: planned, invited, held."""

    number: int
    due_on: date
    invitation: Invitation | None = None
    record: MeetingRecord | None = None


@dataclass
class MeetingSeries:
    """A participant's progress meetings and final meeting, as one aggregate."""

    participant_ref: str
    programme_id: str
    version: int = 0
    meetings: list[Meeting] = field(default_factory=list)
    final: MeetingRecord | None = None
    changes: list[PipChange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def erase_free_text(self) -> bool:
        """Drop the notes and the agreements' wording (they may name people or health
        details); keep the dates, attendees' roles, owners and decisions, the core data
        B 9.9 lets the college keep. False when there was nothing to drop."""
        changed = False
        for n, meeting in enumerate(self.meetings):
            if meeting.record is not None and _has_free_text(meeting.record):
                self.meetings[n] = replace(meeting, record=_without_free_text(meeting.record))
                changed = True
        if self.final is not None and _has_free_text(self.final):
            self.final = _without_free_text(self.final)
            changed = True
        return changed

    def check_version(self, expected: int | None) -> None:
        if expected is not None and expected != self.version:
            raise StaleVersion(expected, self.version)

    def meeting(self, number: int) -> Meeting:
        if not 1 <= number <= len(self.meetings):
            raise NotFound(f"no progress meeting {number}; {len(self.meetings)} are planned")
        return self.meetings[number - 1]

    # -- plan and invite ------------------------------------------------------------------
    def plan(self, due_on: Sequence[date], pip: Pip, by: str, at: datetime) -> None:
        """Plan the number of meetings the established PIP sets, each by a due date. A
        meeting held keeps its date; planning again moves the others."""
        current = pip.current
        if current is None:
            raise Conflict("the PIP is not established: it sets how many meetings there are")
        wanted = current.content.progress_meetings
        if len(due_on) != wanted:
            raise InvalidRequest(f"due_on: the PIP sets {wanted} progress meetings; plan {wanted}")
        if list(due_on) != sorted(due_on):
            raise InvalidRequest("due_on: give the meetings' dates in order")
        kept = [m for m in self.meetings if m.record is not None]
        if len(kept) > wanted:
            raise Conflict(f"{len(kept)} meetings were held already; the PIP sets {wanted}")
        self.meetings = kept + [
            Meeting(number, day)
            for number, day in enumerate(due_on[len(kept) :], start=len(kept) + 1)
        ]
        self.changes.append(PipChange("progress_meetings_planned", by, at))

    def invite(self, number: int, invitation: Invitation, by: str, now: datetime) -> None:
        """Invite the participant to meeting ``number`` (again: the new invitation
        replaces the earlier one)."""
        meeting = self.meeting(number)
        if meeting.record is not None:
            raise Conflict(f"progress meeting {number} was held already")
        if invitation.starts_at <= now:
            raise InvalidRequest("starts_at: invite to a meeting in the future")
        if invitation.interpreter_needed != (invitation.interpreter_language is not None):
            raise InvalidRequest(
                "interpreter_language: give the language exactly when an interpreter is needed"
            )
        self.meetings[number - 1] = replace(meeting, invitation=invitation)
        self.changes.append(PipChange("progress_meeting_invited", by, now))
        self.events.append(
            ProgressMeetingScheduled(
                **self._participant(),
                meeting_number=number,
                starts_at=invitation.starts_at,
                location_id=invitation.location_id,
                interpreter_needed=invitation.interpreter_needed,
                interpreter_language=invitation.interpreter_language,
                partners=invitation.partners,
            )
        )

    # -- record -----------------------------------------------------------------------------
    def record(
        self, number: int, record: MeetingRecord, pip: Pip, today: date, at: datetime
    ) -> None:
        """Record meeting ``number`` as held, with its decision on the PIP."""
        meeting = self.meeting(number)
        if meeting.record is not None:
            raise Conflict(f"progress meeting {number} was recorded already")
        _check_held(record, today)
        _check_decision(record, pip)
        self.meetings[number - 1] = replace(meeting, record=record)
        self.changes.append(PipChange("progress_meeting_recorded", record.by, at))
        assert record.decision is not None
        self.events.append(
            ProgressMeetingHeld(
                **self._participant(),
                meeting_number=number,
                held_on=record.held_on,
                attendees=record.attendees,
                agreements=len(record.agreements),
                decision=record.decision,
                pip_version=record.pip_version,
            )
        )

    def record_final(self, record: MeetingRecord, pip: Pip, today: date, at: datetime) -> None:
        """Record the Z-route's final meeting (*eindgesprek*): once, on the Z-route."""
        current = pip.current
        if current is None or current.content.route is not Route.Z_ROUTE:
            raise Conflict("the final meeting closes the Z-route: the PIP sets another route")
        if self.final is not None:
            raise Conflict(f"the final meeting was held on {self.final.held_on} already")
        _check_held(record, today)
        if record.held_on < current.dated:
            raise InvalidRequest("held_on: the final meeting follows the PIP's date")
        self.final = record
        self.changes.append(PipChange("final_meeting_recorded", record.by, at))
        self.events.append(
            FinalMeetingHeld(
                **self._participant(), held_on=record.held_on, attendees=record.attendees
            )
        )

    def _participant(self) -> dict[str, object]:
        return {"participant_ref": self.participant_ref, "programme_id": self.programme_id}


def _check_held(record: MeetingRecord, today: date) -> None:
    if record.held_on > today:
        raise InvalidRequest(f"held_on: record a meeting after it was held (today is {today})")
    if not any(a.role is MeetingRole.PARTICIPANT for a in record.attendees):
        raise InvalidRequest("attendees: the college holds the meeting with the participant")


def _check_decision(record: MeetingRecord, pip: Pip) -> None:
    """An amendment or route switch names the PIP version it established, for that
    reason; an unchanged PIP names none."""
    if record.decision is MeetingDecision.UNCHANGED or record.decision is None:
        if record.pip_version is not None:
            raise InvalidRequest("pip_version: an unchanged PIP names no new version")
        return
    if record.pip_version is None:
        raise InvalidRequest("pip_version: name the PIP version the meeting established")
    version = pip.version(record.pip_version)
    if version.reason is not _DECIDED_BY[record.decision]:
        raise InvalidRequest(
            f"pip_version: version {version.number} was not established as a "
            f"{_DECIDED_BY[record.decision].value}"
        )


def _has_free_text(record: MeetingRecord) -> bool:
    return bool(record.notes) or any(a.what for a in record.agreements)


def _without_free_text(record: MeetingRecord) -> MeetingRecord:
    agreements = tuple(replace(a, what="") for a in record.agreements)
    return replace(record, notes="", agreements=agreements)
