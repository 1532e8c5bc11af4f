"""Practical preconditions (lesson L14): childcare, transport and the configured kinds
(issue 17 item 8: a digital device, a medical aid) per participant.

A precondition is *needed* (from the intake), *arranged* by a partner for a period and
weekdays, and *lapses* when the period ends, the participant's schedule needs days it
does not cover, or the partner or participant stops. Planning gates start dates on it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from zroute_contract.events.base import Event
from zroute_contract.events.codes import LapseReason, PreconditionKind, Weekday
from zroute_contract.events.support import PreconditionArranged, PreconditionLapsed

from zroute_support.domain.errors import Conflict, Refused
from zroute_support.domain.routing import WaitingReason

WEEK = tuple(Weekday)


class PreconditionStatus(StrEnum):
    NEEDED = "needed"
    ARRANGED = "arranged"
    LAPSED = "lapsed"
    NOT_NEEDED = "not_needed"
    ENDED = "ended"


def uncovered(
    days_covered: Collection[Weekday], scheduled: Collection[Weekday]
) -> tuple[Weekday, ...]:
    """Scheduled weekdays the arrangement does not cover, in week order."""
    return tuple(day for day in WEEK if day in scheduled and day not in days_covered)


@dataclass
class Precondition:
    precondition_id: UUID
    participant_ref: str
    programme_id: str
    kind: PreconditionKind
    partner_id: str | None
    status: PreconditionStatus = PreconditionStatus.NEEDED
    arrangement_id: UUID | None = None
    arranged_by: str | None = None
    arranged_from: date | None = None
    arranged_until: date | None = None
    days_covered: tuple[Weekday, ...] = ()
    lapsed_on: date | None = None
    lapse_reason: LapseReason | None = None
    waiting_reason: WaitingReason | None = None
    # Who recorded the last arrangement or lapse (a token subject, or ``system`` for a
    # lapse the service found itself), and when (issue 17).
    recorded_by: str | None = None
    recorded_at: datetime | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list)
    # The configured kind's code when ``kind`` is ``other`` (issue 17 item 8).
    code: str | None = None

    @property
    def precondition_code(self) -> str:
        """The kind's code: ``childcare``, ``transport`` or the configured one."""
        return self.code or self.kind.value

    def _kind_fields(self) -> dict[str, object]:
        # Childcare and transport travel as before; a configured kind as other + code.
        return {
            "kind": self.kind,
            "code": self.code if self.kind is PreconditionKind.OTHER else None,
        }

    def arrange(
        self,
        *,
        partner_id: str,
        arranged_from: date,
        arranged_until: date | None,
        days_covered: tuple[Weekday, ...],
        scheduled: Collection[Weekday],
    ) -> None:
        if self.status in (PreconditionStatus.NOT_NEEDED, PreconditionStatus.ENDED):
            raise Conflict(f"{self.precondition_code} is {self.status.value}; nothing to arrange")
        if arranged_until is not None and arranged_until < arranged_from:
            raise Refused("arranged_until is before arranged_from")
        if not days_covered:
            raise Refused("an arrangement covers at least one weekday")
        missing = uncovered(days_covered, scheduled)
        if missing:
            days = ", ".join(day.value for day in missing)
            raise Refused(f"the arrangement does not cover the scheduled days: {days}")
        self.status = PreconditionStatus.ARRANGED
        self.arrangement_id = uuid4()
        self.arranged_by = partner_id
        self.arranged_from, self.arranged_until = arranged_from, arranged_until
        self.days_covered = tuple(day for day in WEEK if day in days_covered)
        self.lapsed_on = self.lapse_reason = None
        self.events.append(
            PreconditionArranged(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                precondition_id=self.arrangement_id,
                **self._kind_fields(),
                partner_id=partner_id,
                arranged_from=arranged_from,
                arranged_until=arranged_until,
                days_covered=self.days_covered,
            )
        )

    def lapse(
        self, reason: LapseReason, on: date, days_uncovered: tuple[Weekday, ...] = ()
    ) -> bool:
        """Mark an arranged precondition lapsed; False when it was not arranged."""
        if self.status is not PreconditionStatus.ARRANGED:
            return False
        assert self.arrangement_id is not None and self.arranged_by is not None
        self.status = PreconditionStatus.LAPSED
        self.lapsed_on, self.lapse_reason = on, reason
        self.events.append(
            PreconditionLapsed(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                precondition_id=self.arrangement_id,
                **self._kind_fields(),
                partner_id=self.arranged_by,
                lapsed_on=on,
                reason=reason,
                days_uncovered=days_uncovered,
            )
        )
        return True

    def check_schedule(self, scheduled: Collection[Weekday], effective_on: date) -> bool:
        """Lapse when a new schedule needs weekdays the arrangement does not cover."""
        missing = uncovered(self.days_covered, scheduled)
        if not missing:
            return False
        return self.lapse(LapseReason.SCHEDULE_NOT_COVERED, effective_on, missing)

    def end_if_over(self, today: date) -> bool:
        """Lapse (reason ended) once ``today`` is past the arranged period."""
        if self.arranged_until is None or today <= self.arranged_until:
            return False
        return self.lapse(LapseReason.ENDED, self.arranged_until + timedelta(days=1))

    def set_needed(self, needed: bool) -> None:
        """The (corrected) intake says whether this precondition is needed at all."""
        if needed and self.status is PreconditionStatus.NOT_NEEDED:
            self.status = PreconditionStatus.NEEDED
        elif not needed and self.status is PreconditionStatus.NEEDED:
            self.status = PreconditionStatus.NOT_NEEDED

    def end(self) -> None:
        """The participant left the route: nothing more to arrange or check."""
        self.status = PreconditionStatus.ENDED
