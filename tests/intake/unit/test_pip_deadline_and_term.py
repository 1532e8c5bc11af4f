"""The PIP deadline (B 5.3) and the integration term (W 11-12), as plain date rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zroute_intake.domain.errors import InvalidRequest
from zroute_intake.domain.pip_deadline import (
    DeadlineState,
    InformationWait,
    clock_start,
    due_on,
    state_on,
)
from zroute_intake.domain.term import (
    Extension,
    ExtensionGround,
    Release,
    ReleaseKind,
    term_from,
    three_years_on,
)

NOTICE = date(2027, 1, 4)


def test_the_ten_weeks_run_from_the_duo_notice():
    assert due_on(clock_start(NOTICE, None), []) == date(2027, 3, 15)


def test_the_ten_weeks_run_from_a_later_brp_registration():
    registered = date(2027, 2, 1)
    assert clock_start(NOTICE, registered) == registered
    assert clock_start(NOTICE, date(2026, 12, 1)) == NOTICE


def test_awaited_information_holds_the_deadline_until_two_weeks_after_it_arrives():
    waits = [InformationWait(requested_on=date(2027, 3, 1))]
    assert due_on(NOTICE, waits) is None
    arrived = [InformationWait(date(2027, 3, 1), received_on=date(2027, 4, 20))]
    assert due_on(NOTICE, arrived) == date(2027, 5, 4)


def test_information_that_arrives_early_does_not_shorten_the_ten_weeks():
    arrived = [InformationWait(date(2027, 1, 10), received_on=date(2027, 1, 20))]
    assert due_on(NOTICE, arrived) == date(2027, 3, 15)


def test_information_asked_for_after_the_deadline_extends_nothing():
    late = [InformationWait(date(2027, 4, 1), received_on=None)]
    assert due_on(NOTICE, late) == date(2027, 3, 15)


def test_the_state_of_the_deadline_on_a_day():
    due = date(2027, 3, 15)
    assert state_on(date(2027, 2, 1), due, None) is DeadlineState.RUNNING
    assert state_on(date(2027, 3, 5), due, None) is DeadlineState.DUE_SOON
    assert state_on(date(2027, 3, 16), due, None) is DeadlineState.OVERDUE
    assert state_on(date(2027, 3, 16), None, None) is DeadlineState.PAUSED
    assert state_on(date(2027, 4, 1), due, date(2027, 3, 10)) is DeadlineState.MET
    assert state_on(date(2027, 4, 1), due, date(2027, 3, 20)) is DeadlineState.LATE


days = st.dates(min_value=date(2022, 1, 1), max_value=date(2040, 1, 1))


@given(days, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4))
def test_the_deadline_is_never_before_ten_weeks(start, offsets):
    waits = [
        InformationWait(start + timedelta(days=a), start + timedelta(days=a + b))
        for a, b in offsets
    ]
    due = due_on(start, waits)
    assert due is not None and due >= start + timedelta(weeks=10)


# -- the term ---------------------------------------------------------------------------


def test_the_term_starts_the_day_after_the_pip_date_and_lasts_three_years():
    term = term_from(date(2027, 3, 10))
    assert term.start == date(2027, 3, 11)
    assert term.end == date(2030, 3, 10)
    assert not term.extended


def test_a_term_starting_on_29_february_ends_on_28_february():
    assert three_years_on(date(2028, 2, 29)) == date(2031, 2, 28)


def test_only_duo_extensions_move_the_end_and_each_must_end_later():
    first = Extension(ExtensionGround.NOT_BLAMEWORTHY, date(2029, 12, 1), date(2030, 9, 10))
    term = term_from(date(2027, 3, 10), [first])
    assert term.end == date(2030, 9, 10) and term.extended
    assert term.original_end == date(2030, 3, 10)
    earlier = Extension(ExtensionGround.NOT_BLAMEWORTHY, date(2030, 1, 1), date(2030, 6, 1))
    with pytest.raises(InvalidRequest, match="must end after 2030-09-10"):
        term_from(date(2027, 3, 10), [first, earlier])


def test_a_release_ends_the_term_on_its_date():
    release = Release(ReleaseKind.MEDICAL_RELEASE, date(2028, 5, 1), date(2028, 5, 1))
    term = term_from(date(2027, 3, 10), release=release)
    assert term.ended_on == date(2028, 5, 1)
    assert term.days_left(date(2028, 6, 1)) == 0
    with pytest.raises(InvalidRequest):
        term_from(date(2027, 3, 10), release=Release(release.kind, NOTICE, NOTICE))


@given(days)
def test_the_term_is_three_years_less_a_day_at_most(pip_date):
    term = term_from(pip_date)
    assert 365 * 3 - 1 <= (term.end - term.start).days <= 366 * 3
    assert term.start == pip_date + timedelta(days=1)
