"""Childcare and transport: arranged for the scheduled days, lapsing when they end or the
schedule needs more."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from zroute_contract.events.codes import LapseReason, PreconditionKind, Weekday
from zroute_contract.events.support import PreconditionArranged, PreconditionLapsed
from zroute_support.domain.errors import Conflict, Refused
from zroute_support.domain.preconditions import Precondition, PreconditionStatus, uncovered

MON, TUE, WED, THU = Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY


def childcare() -> Precondition:
    return Precondition(
        uuid4(), f"zr-{uuid4().hex}", "amsterdam-z", PreconditionKind.CHILDCARE, "kids"
    )


def arranged(until: date | None = date(2027, 3, 31)) -> Precondition:
    p = childcare()
    p.arrange(
        partner_id="kids",
        arranged_from=date(2027, 1, 11),
        arranged_until=until,
        days_covered=(WED, MON),
        scheduled=(MON, WED),
    )
    return p


def test_uncovered_days_are_listed_in_week_order():
    assert uncovered((MON,), (THU, MON, TUE)) == (TUE, THU)


def test_an_arrangement_covering_the_schedule_is_recorded_for_planning():
    p = arranged()
    [event] = p.events
    assert isinstance(event, PreconditionArranged)
    assert event.days_covered == (MON, WED) and event.partner_id == "kids"
    assert p.status is PreconditionStatus.ARRANGED


def test_an_arrangement_missing_scheduled_days_is_refused_with_the_days():
    p = childcare()
    with pytest.raises(Refused, match="scheduled days: tuesday, thursday"):
        p.arrange(
            partner_id="kids",
            arranged_from=date(2027, 1, 11),
            arranged_until=None,
            days_covered=(MON,),
            scheduled=(MON, TUE, THU),
        )
    assert p.status is PreconditionStatus.NEEDED and not p.events


def test_a_new_schedule_with_uncovered_days_makes_it_lapse():
    p = arranged()
    assert not p.check_schedule((MON,), date(2027, 2, 1))
    assert p.check_schedule((MON, TUE, WED), date(2027, 2, 1))
    event = p.events[-1]
    assert isinstance(event, PreconditionLapsed)
    assert event.reason is LapseReason.SCHEDULE_NOT_COVERED
    assert event.days_uncovered == (TUE,) and event.lapsed_on == date(2027, 2, 1)


def test_it_lapses_the_day_after_it_ends_and_only_once():
    p = arranged(until=date(2027, 3, 31))
    assert not p.end_if_over(date(2027, 3, 31))
    assert p.end_if_over(date(2027, 4, 1))
    assert p.events[-1].lapsed_on == date(2027, 4, 1)
    assert p.events[-1].reason is LapseReason.ENDED
    assert not p.end_if_over(date(2027, 4, 2))


def test_an_open_ended_arrangement_never_ends_by_itself():
    assert not arranged(until=None).end_if_over(date(2030, 1, 1))


def test_what_is_not_needed_cannot_be_arranged_and_need_can_return():
    p = childcare()
    p.set_needed(False)
    with pytest.raises(Conflict):
        p.arrange(
            partner_id="kids", arranged_from=date(2027, 1, 1), arranged_until=None,
            days_covered=(MON,), scheduled=(),
        )  # fmt: skip
    p.set_needed(True)
    assert p.status is PreconditionStatus.NEEDED
