"""Care pauses (issue 17 point 5): the care a referral arranged (a treatment, an
admission) keeps the participant from the route for a while. The care coordinator records
its start and its end; planning pauses and resumes the plan.

The kind of care stays in support: the events say only that a referral's care pauses the
route, with its dates (codes only, no health details on the bus).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.codes import ReferralStatus
from zroute_contract.events.support import CarePauseEnded, CarePauseStarted

from zroute_support.domain.errors import Conflict, Refused

# The referral's care is under way: accepted, in progress or on hold with the partner.
CARE_UNDER_WAY = frozenset(
    {ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.ON_HOLD}
)
LONGEST_BACKDATING = timedelta(days=31)
# A treatment or an admission is often known ahead: it may be recorded up to three months
# before its first day, as intake's pauses (docs/intake.md). ``care-pause-started`` goes
# out at once; planning holds the plan from the pause's first day, by a timer.
LONGEST_AHEAD = timedelta(days=92)


class CarePauseKind(StrEnum):
    """What keeps the participant away (kept in support only)."""

    TREATMENT = "treatment"
    ADMISSION = "admission"


@dataclass
class CarePause:
    """One care pause on a referral, with who recorded its start and end, and when."""

    pause_id: UUID
    referral_id: UUID
    participant_ref: str
    programme_id: str
    kind: CarePauseKind
    paused_from: date
    by: str
    at: datetime
    expected_until: date | None = None
    ended_on: date | None = None
    ended_by: str | None = None
    ended_at: datetime | None = None
    events: list[Event] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        *,
        referral_status: ReferralStatus,
        open_pauses: int,
        today: date,
        **fields: object,
    ) -> CarePause:
        """A new care pause on a referral whose care is under way; one open at a time."""
        pause = cls(**fields)  # type: ignore[arg-type]
        if referral_status not in CARE_UNDER_WAY:
            raise Conflict(
                f"the referral is {referral_status.value}: a care pause is recorded while "
                "its care is under way (accepted, in progress or on hold)"
            )
        if open_pauses:
            raise Conflict("the referral's care pauses the route already: end that pause first")
        if not today - LONGEST_BACKDATING <= pause.paused_from <= today + LONGEST_AHEAD:
            raise Refused(
                f"paused_from: within a month back and three months ahead ({today + LONGEST_AHEAD})"
            )
        if pause.expected_until is not None and pause.expected_until < pause.paused_from:
            raise Refused("expected_until: on or after paused_from")
        pause.events.append(
            CarePauseStarted(
                participant_ref=pause.participant_ref,
                programme_id=pause.programme_id,
                pause_id=pause.pause_id,
                referral_id=pause.referral_id,
                paused_from=pause.paused_from,
                expected_until=pause.expected_until,
            )
        )
        return pause

    def end(self, ended_on: date, *, today: date, by: str, at: datetime) -> None:
        """The care pause ends: the route resumes on ``ended_on``."""
        if self.ended_on is not None:
            raise Conflict(f"the care pause ended already on {self.ended_on}")
        if ended_on <= self.paused_from:
            raise Refused(f"ended_on: after the pause's first day ({self.paused_from})")
        if ended_on > today:
            raise Refused(f"ended_on: not after today ({today}); record it on the day")
        self.ended_on, self.ended_by, self.ended_at = ended_on, by, at
        self.events.append(
            CarePauseEnded(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                pause_id=self.pause_id,
                referral_id=self.referral_id,
                paused_from=self.paused_from,
                ended_on=ended_on,
            )
        )
