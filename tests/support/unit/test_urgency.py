"""Urgency that counts: deadlines and escalation per urgency, the waiting list by urgency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from zroute_contract.events.codes import Urgency
from zroute_support.domain.urgency import (
    DEFAULT_RULES,
    RANK,
    UrgencyRule,
    answer_due,
    check_rules,
    next_escalation,
    serving_order,
)

T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    entry_id: int
    urgency: Urgency
    since: datetime


def test_an_urgent_referral_is_due_sooner_than_a_routine_one():
    assert answer_due(T0, Urgency.STAT) < answer_due(T0, Urgency.URGENT)
    assert answer_due(T0, Urgency.URGENT) < answer_due(T0, Urgency.ROUTINE)
    assert answer_due(T0, Urgency.ROUTINE) == T0 + timedelta(days=5)
    assert next_escalation(T0, Urgency.STAT) == T0 + timedelta(hours=4)


def test_an_urgent_entry_overtakes_a_routine_one_that_waited_longer():
    routine = Entry(1, Urgency.ROUTINE, T0)
    urgent = Entry(2, Urgency.URGENT, T0 + timedelta(days=3))
    assert serving_order([routine, urgent]) == [urgent, routine]


def test_within_one_urgency_the_longest_waiting_goes_first():
    first = Entry(1, Urgency.ROUTINE, T0)
    later = Entry(2, Urgency.ROUTINE, T0 + timedelta(hours=1))
    assert serving_order([later, first]) == [first, later]


def test_the_default_rules_hold_and_a_slower_urgent_rule_is_refused():
    assert check_rules(DEFAULT_RULES) == []
    slow = dict(DEFAULT_RULES)
    slow[Urgency.STAT] = UrgencyRule(timedelta(days=10), timedelta(days=1))
    assert any("stat must be answered no later" in p for p in check_rules(slow))
    missing = {Urgency.ROUTINE: DEFAULT_RULES[Urgency.ROUTINE]}
    assert len(check_rules(missing)) == 3


entries = st.lists(
    st.builds(
        Entry,
        st.integers(0, 10**6),
        st.sampled_from(list(Urgency)),
        st.datetimes(timezones=st.just(UTC)),
    ),
    max_size=30,
)


@given(entries)
def test_no_entry_is_served_before_a_more_urgent_one(waiting):
    ranks = [RANK[e.urgency] for e in serving_order(waiting)]
    assert ranks == sorted(ranks)
