"""Placements: a confirmed workplace always comes with a job coach; declines re-route."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from zroute_contract.events.codes import CheckInOutcome, CheckInParty, ParticipationActivity
from zroute_contract.events.support import (
    JobCoachAssigned,
    JobCoachCheckInRecorded,
    PlacementConfirmed,
    PlacementDeclined,
)
from zroute_support.domain.errors import Conflict
from zroute_support.domain.placements import JobCoach, Placement, PlacementStatus, Workplace
from zroute_support.domain.routing import WaitCode, WaitingReason

WORKPLACE = Workplace("bakery-de-ster", "bakery-west", date(2027, 3, 1), 8.0)
COACH = JobCoach("coaches", "coach-7")


def placement(partner: str | None = "work-a") -> Placement:
    p = Placement(
        uuid4(), f"zr-{uuid4().hex}", "amsterdam-z", ParticipationActivity.WORK_EXPERIENCE,
        date(2027, 3, 1), 8.0, None,
    )  # fmt: skip
    full = WaitingReason.of(WaitCode.AT_CAPACITY, capability="participation_workplaces")
    p.route_to(partner, None if partner else full)
    return p


def test_confirming_a_workplace_assigns_the_job_coach_in_the_same_step():
    p = placement()
    p.confirm(WORKPLACE, COACH)
    confirmed, assigned = p.events
    assert isinstance(confirmed, PlacementConfirmed) and confirmed.partner_id == "work-a"
    assert isinstance(assigned, JobCoachAssigned)
    assert assigned.employer_id == "bakery-de-ster" and assigned.job_coach == "coach-7"
    assert assigned.placement_id == confirmed.placement_id == p.placement_id


def test_a_waiting_request_cannot_be_confirmed():
    p = placement(None)
    assert p.status is PlacementStatus.WAITING
    with pytest.raises(Conflict):
        p.confirm(WORKPLACE, COACH)


def test_a_decline_goes_to_the_next_partner_or_waits():
    p = placement()
    p.decline("no_workplace_available", "work-b", None)
    assert p.partner_id == "work-b" and p.declined_by == ("work-a",)
    assert isinstance(p.events[-1], PlacementDeclined) and p.events[-1].rerouting
    p.decline("hours_not_feasible", None, "no other partner")
    assert p.status is PlacementStatus.WAITING and p.waiting_reason == "no other partner"
    assert not p.events[-1].rerouting


def test_check_ins_need_a_confirmed_placement_with_its_coach():
    p = placement()
    with pytest.raises(Conflict):
        p.record_check_in(CheckInParty.EMPLOYER, date(2027, 3, 8), CheckInOutcome.ON_TRACK)
    p.confirm(WORKPLACE, COACH)
    assert p.record_check_in(CheckInParty.EMPLOYER, date(2027, 3, 8), CheckInOutcome.ON_TRACK) == (
        "coach-7"
    )
    assert isinstance(p.events[-1], JobCoachCheckInRecorded)
