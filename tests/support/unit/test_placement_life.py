"""A confirmed placement's life cycle (issue 17): started, changed and ended with a reason;
a start later than needed keeps the escalation open and tells the planner; check-ins that
find concerns or a placement at risk raise them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from zroute_contract.events.codes import CheckInOutcome, CheckInParty
from zroute_contract.events.planning import PlacementEscalated
from zroute_contract.events.support import (
    JobCoachCheckInRecorded,
    PlacementChanged,
    PlacementConcernRaised,
    PlacementConfirmed,
    PlacementEnded,
    PlacementStarted,
)
from zroute_support.domain.errors import Conflict, Refused
from zroute_support.domain.placements import PlacementStatus
from zroute_support.service_layer.handlers import placement_life
from zroute_support.service_layer.handlers.planning import escalate_placement

from tests.support.unit.fakes import FakeContext
from tests.support.unit.test_handlers import DEPS, NOW, PROGRAMME, REF, staff_of, uow_with
from tests.support.unit.test_placements import COACH, WORKPLACE, placement

LATE = replace(WORKPLACE, starts_on=date(2027, 4, 1))  # needed by 2027-03-01


def confirmed(workplace=WORKPLACE):
    p = placement()
    p.confirm(workplace, COACH)
    p.events.clear()
    return p


def test_a_confirmed_start_later_than_needed_tells_the_planner():
    p = placement()
    p.confirm(LATE, COACH)
    event = p.events[0]
    assert isinstance(event, PlacementConfirmed) and event.starts_after_needed_by is True
    on_time = placement()
    on_time.confirm(WORKPLACE, COACH)
    assert on_time.events[0].starts_after_needed_by is False


async def test_a_late_confirmed_placement_keeps_escalating():
    p = confirmed(LATE)
    p.participant_ref, p.programme_id = REF, PROGRAMME
    uow = uow_with(placements_=[p])
    event = PlacementEscalated(
        participant_ref=REF,
        programme_id=PROGRAMME,
        placement_request_id=p.placement_request_id,
        needed_by=p.needed_by,
        escalated_on=NOW.date(),
        level=2,
    )
    await escalate_placement(event, FakeContext(uow))  # type: ignore[arg-type]
    assert p.escalation_level == 2


def test_started_changed_and_ended_each_say_so():
    p = confirmed()
    p.start(date(2027, 3, 3))
    started = p.events[-1]
    assert isinstance(started, PlacementStarted) and started.late is True
    with pytest.raises(Conflict, match="started on"):
        p.start(date(2027, 3, 4))
    p.change(replace(WORKPLACE, location_id="bakery-east", hours_per_week=12.0), date(2027, 4, 1))
    changed = p.events[-1]
    assert isinstance(changed, PlacementChanged)
    assert changed.location_id == "bakery-east" and changed.hours_per_week == 12.0
    with pytest.raises(Refused, match="nothing changes"):
        p.change(p.workplace, date(2027, 4, 2))  # type: ignore[arg-type]
    p.end_early("employer_dropped_out", date(2027, 5, 1))
    ended = p.events[-1]
    assert isinstance(ended, PlacementEnded)
    assert ended.reason == "employer_dropped_out" and ended.ended_on == date(2027, 5, 1)
    assert p.status is PlacementStatus.ENDED
    with pytest.raises(Conflict):
        p.change(WORKPLACE, date(2027, 5, 2))


@pytest.mark.parametrize(
    ("outcome", "raised"),
    [
        (CheckInOutcome.ON_TRACK, False),
        (CheckInOutcome.SUPPORT_INCREASED, False),
        (CheckInOutcome.CONCERNS, True),
        (CheckInOutcome.PLACEMENT_AT_RISK, True),
    ],
)
def test_check_ins_with_concerns_or_a_placement_at_risk_escalate(outcome, raised):
    p = confirmed()
    p.record_check_in(CheckInParty.EMPLOYER, date(2027, 3, 10), outcome)
    assert isinstance(p.events[0], JobCoachCheckInRecorded)
    concern = [e for e in p.events if isinstance(e, PlacementConcernRaised)]
    assert bool(concern) is raised
    if raised:
        assert concern[0].partner_id == "coaches" and concern[0].outcome is outcome


async def test_an_end_reason_comes_from_the_configured_list():
    p = confirmed()
    p.participant_ref, p.programme_id = REF, PROGRAMME
    uow = uow_with(placements_=[p])
    with pytest.raises(Refused, match="end reason"):
        await placement_life.end_as(
            uow, DEPS, staff_of("work-a"), p.placement_request_id, "bored", date(2027, 4, 1)
        )
    await placement_life.end_as(
        uow,
        DEPS,
        staff_of("work-a"),
        p.placement_request_id,
        "employer_dropped_out",
        date(2027, 4, 1),
    )
    await uow.commit()
    assert isinstance(uow.events[-1], PlacementEnded)
    [step] = uow.placements.steps  # who ended it, and when
    assert step == (p.placement_request_id, "ended", "employer_dropped_out", "staff-1", NOW)
