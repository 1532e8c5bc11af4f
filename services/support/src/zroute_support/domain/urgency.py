"""Urgency that counts: answer deadlines, escalation and the waiting list by urgency.

A referral's urgency is the FHIR request priority (``routine`` < ``urgent`` < ``asap`` <
``stat``). Each urgency has its own answer deadline and escalation rhythm, from
configuration; the waiting list serves the most urgent first and, within one urgency,
whoever has waited longest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Protocol, TypeVar

from zroute_contract.events.codes import Urgency

RANK: Mapping[Urgency, int] = {
    Urgency.STAT: 0,
    Urgency.ASAP: 1,
    Urgency.URGENT: 2,
    Urgency.ROUTINE: 3,
}
"""Lower is served first."""


@dataclass(frozen=True)
class UrgencyRule:
    """How fast a referral of one urgency must be answered, and how often it escalates."""

    answer_within: timedelta
    escalate_every: timedelta


DEFAULT_RULES: Mapping[Urgency, UrgencyRule] = {
    Urgency.ROUTINE: UrgencyRule(timedelta(days=5), timedelta(days=5)),
    Urgency.URGENT: UrgencyRule(timedelta(days=2), timedelta(days=2)),
    Urgency.ASAP: UrgencyRule(timedelta(days=1), timedelta(days=1)),
    Urgency.STAT: UrgencyRule(timedelta(hours=4), timedelta(hours=4)),
}


def check_rules(rules: Mapping[Urgency, UrgencyRule]) -> list[str]:
    """What is wrong with a configured rule set: every urgency named, more urgent faster."""
    problems = [f"urgency {u.value} has no rule" for u in Urgency if u not in rules]
    if problems:
        return problems
    ordered = sorted(Urgency, key=lambda u: RANK[u])
    for more, less in pairwise(ordered):
        if rules[more].answer_within > rules[less].answer_within:
            problems.append(f"urgency {more.value} must be answered no later than {less.value}")
    for urgency, rule in rules.items():
        if rule.answer_within <= timedelta(0) or rule.escalate_every <= timedelta(0):
            problems.append(f"urgency {urgency.value}: durations must be positive")
    return problems


def answer_due(
    requested_at: datetime, urgency: Urgency, rules: Mapping[Urgency, UrgencyRule] = DEFAULT_RULES
) -> datetime:
    """When the care partner must have answered a referral requested at ``requested_at``."""
    return requested_at + rules[urgency].answer_within


def next_escalation(
    escalated_at: datetime,
    urgency: Urgency,
    rules: Mapping[Urgency, UrgencyRule] = DEFAULT_RULES,
) -> datetime:
    """When an unanswered referral escalates again after ``escalated_at``."""
    return escalated_at + rules[urgency].escalate_every


class Waiting(Protocol):
    """A waiting-list entry as the ordering needs it."""

    @property
    def urgency(self) -> Urgency: ...

    @property
    def since(self) -> datetime: ...

    @property
    def entry_id(self) -> object: ...


W = TypeVar("W", bound=Waiting)


def serving_order(entries: Iterable[W]) -> list[W]:
    """The waiting list in the order it is served: most urgent, then longest waiting."""
    return sorted(entries, key=lambda e: (RANK[e.urgency], e.since, str(e.entry_id)))
