"""Pauses of a participant's route: illness, pregnancy, treatment, a care admission, or at
the participant's own request (issue 15 point 5).

A pause stops the plan, not the law's clock: the integration term moves only by DUO's
extension (W 12), which the municipality records as DUO decided it. Whether the paused days
move planning's projection is planning's configuration (``pause_moves_projection``).

The ground is a health detail for all but a participant's own request: it stays in intake.
The events carry the coarse reason only (``care`` or ``participant_request``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from zroute_contract.events.codes import PauseReason

from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound

LONGEST_BACKDATING = timedelta(days=31)
# A treatment or a pregnancy leave is known ahead: it may be recorded up to three months
# before its first day (planning holds the plan from that day, not from the recording).
LONGEST_AHEAD = timedelta(days=92)


class PauseGround(StrEnum):
    """Why the route pauses; kept in intake only."""

    ILLNESS = "illness"
    PREGNANCY = "pregnancy"
    TREATMENT = "treatment"
    CARE_ADMISSION = "care_admission"
    PARTICIPANT_REQUEST = "participant_request"

    @property
    def reason(self) -> PauseReason:
        """The coarse reason the events carry."""
        if self is PauseGround.PARTICIPANT_REQUEST:
            return PauseReason.PARTICIPANT_REQUEST
        return PauseReason.CARE


@dataclass(frozen=True)
class Pause:
    """One pause of the route, with who recorded its start and its end, and when."""

    pause_id: UUID
    ground: PauseGround
    paused_from: date
    by: str
    at: datetime
    expected_until: date | None = None
    resumed_on: date | None = None
    resumed_by: str | None = None
    resumed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.resumed_on is None

    def days(self, today: date) -> int:
        """How many days the route was (or is so far) paused."""
        end = self.resumed_on or today
        return max(0, (end - self.paused_from).days)


def check_new(pause: Pause, existing: list[Pause], *, registered_on: date, today: date) -> None:
    """Refuse a pause that overlaps an open one or lies outside what may be recorded."""
    if any(p.open for p in existing):
        raise Conflict("the route is paused already: record the resumption first")
    if pause.paused_from < max(registered_on, today - LONGEST_BACKDATING):
        raise InvalidRequest(
            f"paused_from: at most a month back, and not before the registration ({registered_on})"
        )
    if pause.paused_from > today + LONGEST_AHEAD:
        raise InvalidRequest(f"paused_from: at most three months ahead ({today + LONGEST_AHEAD})")
    last_end = max((p.resumed_on for p in existing if p.resumed_on), default=None)
    if last_end is not None and pause.paused_from < last_end:
        raise InvalidRequest(f"paused_from: the previous pause ended on {last_end}")
    if pause.expected_until is not None and pause.expected_until < pause.paused_from:
        raise InvalidRequest("expected_until: on or after paused_from")


def open_pause(pauses: list[Pause], pause_id: UUID) -> int:
    """The index of the open pause ``pause_id``; NotFound or Conflict otherwise."""
    index = next((i for i, p in enumerate(pauses) if p.pause_id == pause_id), None)
    if index is None:
        raise NotFound("no pause with this pause_id for the participant")
    if not pauses[index].open:
        raise Conflict(f"the pause ended already on {pauses[index].resumed_on}")
    return index


def check_resumption(pause: Pause, resumed_on: date, today: date) -> None:
    """A pause resumes after its first day; a resumption known ahead (the end of a
    planned treatment) may be dated up to three months after today or after the pause's
    first day, whichever is later. Planning resumes the plan on that day."""
    if resumed_on <= pause.paused_from:
        raise InvalidRequest(f"resumed_on: after the pause's first day ({pause.paused_from})")
    latest = max(today, pause.paused_from) + LONGEST_AHEAD
    if resumed_on > latest:
        raise InvalidRequest(f"resumed_on: at most three months ahead ({latest})")
