"""Workplace placements (lesson L4) and the job coach on each of them (lesson L8).

Planning asks for a placement; the responsible participation partner confirms a
workplace (employer, location, start, hours) or declines; a confirmed placement always
has a job coach, who supports the participant and the employer (a contact too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from zroute_contract.events.base import Event
from zroute_contract.events.codes import CheckInOutcome, CheckInParty, ParticipationActivity
from zroute_contract.events.support import (
    CheckInOverdue,
    JobCoachAssigned,
    JobCoachCheckInRecorded,
    PlacementChanged,
    PlacementConcernRaised,
    PlacementConfirmed,
    PlacementDeclined,
    PlacementEnded,
    PlacementStarted,
)

from zroute_support.domain.errors import Conflict, Refused
from zroute_support.domain.routing import WaitingReason


class PlacementStatus(StrEnum):
    OPEN = "open"
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    ENDED = "ended"


ACTIVE = frozenset({PlacementStatus.OPEN, PlacementStatus.CONFIRMED})
"""Statuses that take a participation partner's capacity."""
CONCERNS = frozenset({CheckInOutcome.CONCERNS, CheckInOutcome.PLACEMENT_AT_RISK})
"""Check-in outcomes that raise a concern with the job coach's partner and the contact."""


@dataclass(frozen=True)
class Workplace:
    employer_id: str
    location_id: str
    starts_on: date
    hours_per_week: float
    ends_on: date | None = None


@dataclass(frozen=True)
class JobCoach:
    partner_id: str
    staff_ref: str


@dataclass
class Placement:
    placement_request_id: UUID
    participant_ref: str
    programme_id: str
    activity: ParticipationActivity
    needed_by: date
    hours_per_week: float
    partner_id: str | None
    status: PlacementStatus = PlacementStatus.OPEN
    waiting_reason: WaitingReason | None = None
    declined_by: tuple[str, ...] = ()
    placement_id: UUID | None = None
    workplace: Workplace | None = None
    job_coach: JobCoach | None = None
    escalation_level: int = 0
    started_on: date | None = None
    end_reason: str | None = None
    # The check-in rhythm (days between job-coach check-ins; None: the service's default)
    # and the last check-in, for the overdue alert.
    check_in_every_days: int | None = None
    last_check_in: date | None = None
    # The ended placement (its id) this request is served again for.
    replaces: UUID | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list)

    def _ids(self) -> dict[str, object]:
        return {"participant_ref": self.participant_ref, "programme_id": self.programme_id}

    @property
    def late(self) -> bool:
        """The workplace starts after the day the request needed it: its escalation stays
        open (issue 17), however confirmed it is."""
        return self.workplace is not None and self.workplace.starts_on > self.needed_by

    @property
    def escalation_open(self) -> bool:
        """Whether planning's escalation still counts: no workplace yet, one that starts
        late, or a replacement that has not started (issue 17)."""
        if self.status is not PlacementStatus.CONFIRMED or self.late:
            return True
        return self.replaces is not None and self.started_on is None

    def _placed(self) -> dict[str, object]:
        if self.status is not PlacementStatus.CONFIRMED:
            raise Conflict(f"a placement that is {self.status.value} cannot change")
        assert self.placement_id is not None and self.workplace is not None
        assert self.partner_id is not None
        return {
            **self._ids(),
            "placement_id": self.placement_id,
            "placement_request_id": self.placement_request_id,
            "partner_id": self.partner_id,
            "employer_id": self.workplace.employer_id,
        }

    def start(self, started_on: date) -> None:
        """The participant started on the workplace."""
        ids = self._placed()
        if self.started_on is not None:
            raise Conflict(f"the placement started on {self.started_on} already")
        self.started_on = started_on
        if self.replaces is not None:
            self.escalation_level = 0  # the replacement started: the workplace is back
        self.events.append(
            PlacementStarted(
                **ids,
                started_on=started_on,
                needed_by=self.needed_by,
                late=started_on > self.needed_by,
            )
        )

    def change(self, workplace: Workplace, changed_from: date) -> None:
        """Another workplace (location, employer) or other hours, from ``changed_from``."""
        self._placed()
        assert self.workplace is not None
        if (workplace.employer_id, workplace.location_id, workplace.hours_per_week) == (
            self.workplace.employer_id,
            self.workplace.location_id,
            self.workplace.hours_per_week,
        ):
            raise Refused("nothing changes: the same workplace and hours")
        self.workplace = workplace
        self.events.append(
            PlacementChanged(
                **self._placed(),
                location_id=workplace.location_id,
                hours_per_week=workplace.hours_per_week,
                changed_from=changed_from,
            )
        )

    def end_early(self, reason: str, ended_on: date) -> None:
        """The placement ends before its time (the employer dropped out, ...)."""
        ids = self._placed()
        assert self.workplace is not None
        if ended_on < self.workplace.starts_on:
            raise Refused("ended_on is before the placement's start")
        self.status, self.end_reason = PlacementStatus.ENDED, reason
        self.workplace = Workplace(
            self.workplace.employer_id,
            self.workplace.location_id,
            self.workplace.starts_on,
            self.workplace.hours_per_week,
            ended_on,
        )
        self.events.append(PlacementEnded(**ids, ended_on=ended_on, reason=reason))

    def confirm(self, workplace: Workplace, coach: JobCoach) -> None:
        """The participation partner confirms a workplace; the job coach comes with it."""
        if self.status is not PlacementStatus.OPEN or self.partner_id is None:
            raise Conflict(f"a placement request that is {self.status.value} cannot be confirmed")
        if workplace.ends_on is not None and workplace.ends_on < workplace.starts_on:
            raise Refused("ends_on is before starts_on")
        self.status = PlacementStatus.CONFIRMED
        self.placement_id = uuid4()
        self.workplace = workplace
        self.events.append(
            PlacementConfirmed(
                **self._ids(),
                placement_id=self.placement_id,
                placement_request_id=self.placement_request_id,
                partner_id=self.partner_id,
                employer_id=workplace.employer_id,
                location_id=workplace.location_id,
                activity=self.activity,
                starts_on=workplace.starts_on,
                ends_on=workplace.ends_on,
                hours_per_week=workplace.hours_per_week,
                starts_after_needed_by=self.late,
                replaces_placement_id=self.replaces,
            )
        )
        self.assign_job_coach(coach, workplace.starts_on)

    def assign_job_coach(self, coach: JobCoach, assigned_from: date) -> None:
        if self.status is not PlacementStatus.CONFIRMED:
            raise Conflict("a job coach is assigned to a confirmed placement only")
        assert self.placement_id is not None and self.workplace is not None
        self.job_coach = coach
        self.events.append(
            JobCoachAssigned(
                **self._ids(),
                placement_id=self.placement_id,
                partner_id=coach.partner_id,
                job_coach=coach.staff_ref,
                employer_id=self.workplace.employer_id,
                assigned_from=assigned_from,
            )
        )

    def decline(
        self, reason: str, next_partner: str | None, waiting_reason: WaitingReason | None
    ) -> None:
        """The partner cannot offer a workplace; the next capable partner gets the request,
        or it waits with the reason."""
        if self.status is not PlacementStatus.OPEN or self.partner_id is None:
            raise Conflict(f"a placement request that is {self.status.value} cannot be declined")
        declined = self.partner_id
        self.declined_by = (*self.declined_by, declined)
        self.events.append(
            PlacementDeclined(
                **self._ids(),
                placement_request_id=self.placement_request_id,
                partner_id=declined,
                reason=reason,
                rerouting=next_partner is not None,
            )
        )
        self.route_to(next_partner, waiting_reason)

    def route_to(self, partner_id: str | None, waiting_reason: WaitingReason | None) -> None:
        self.partner_id = partner_id
        if partner_id is None:
            self.status, self.waiting_reason = PlacementStatus.WAITING, waiting_reason
        else:
            self.status, self.waiting_reason = PlacementStatus.OPEN, None

    def record_check_in(self, party: CheckInParty, held_on: date, outcome: CheckInOutcome) -> str:
        """A check-in of the job coach with the participant or the employer; returns the coach."""
        if self.status is not PlacementStatus.CONFIRMED or self.job_coach is None:
            raise Conflict("check-ins are recorded on a confirmed placement with a job coach")
        assert self.placement_id is not None
        self.events.append(
            JobCoachCheckInRecorded(
                **self._ids(),
                placement_id=self.placement_id,
                job_coach=self.job_coach.staff_ref,
                party=party,
                held_on=held_on,
                outcome=outcome,
            )
        )
        self.last_check_in = max(held_on, self.last_check_in or held_on)
        if outcome in CONCERNS:
            self.events.append(
                PlacementConcernRaised(
                    **self._ids(),
                    placement_id=self.placement_id,
                    partner_id=self.job_coach.partner_id,
                    job_coach=self.job_coach.staff_ref,
                    held_on=held_on,
                    outcome=outcome,
                )
            )
        return self.job_coach.staff_ref

    def reopen_for_replacement(self, replaceable: frozenset[str], today: date) -> UUID:
        """Serve the request again after its placement ended (the employer dropped out):
        the next workplace is a new placement linked to the ended one, and the request's
        escalation stays open until the replacement starts. Returns the ended placement."""
        if self.status is not PlacementStatus.ENDED or self.placement_id is None:
            raise Conflict(
                f"only an ended placement can be replaced (this one is {self.status.value})"
            )
        if self.end_reason not in replaceable:
            raise Refused(
                f"a placement ended for {self.end_reason!r} is not replaced; replaceable: "
                + ", ".join(sorted(replaceable))
            )
        ended = self.placement_id
        self.replaces, self.placement_id = ended, None
        self.workplace, self.job_coach = None, None
        self.started_on, self.end_reason, self.last_check_in = None, None, None
        self.status = PlacementStatus.OPEN
        if today >= self.needed_by:
            self.escalation_level = max(self.escalation_level, 1)
        return ended

    def check_in_due_on(self, default_every_days: int) -> date | None:
        """The day the next check-in is due: the rhythm after the last check-in, or after
        the start (the confirmed start until the participant started); None when the
        placement is not running with a job coach."""
        if self.status is not PlacementStatus.CONFIRMED or self.job_coach is None:
            return None
        assert self.workplace is not None
        every = self.check_in_every_days or default_every_days
        base = self.last_check_in or self.started_on or self.workplace.starts_on
        return base + timedelta(days=every)

    def check_in_overdue(self, default_every_days: int, today: date, level: int) -> bool:
        """Raise ``check-in-overdue`` when the due day has passed without a check-in;
        False (nothing happens) when none is due yet."""
        due = self.check_in_due_on(default_every_days)
        if due is None or today <= due:
            return False
        assert self.placement_id is not None and self.job_coach is not None
        self.events.append(
            CheckInOverdue(
                **self._ids(),
                placement_id=self.placement_id,
                placement_request_id=self.placement_request_id,
                partner_id=self.job_coach.partner_id,
                job_coach=self.job_coach.staff_ref,
                due_on=due,
                last_check_in=self.last_check_in,
                every_days=self.check_in_every_days or default_every_days,
                level=min(level, 10),
            )
        )
        return True

    def end(self) -> None:
        """The route was completed: the placement and its job coaching end."""
        self.status = PlacementStatus.ENDED

    def cancel(self) -> None:
        if self.status is not PlacementStatus.ENDED:
            self.status = PlacementStatus.CANCELLED
