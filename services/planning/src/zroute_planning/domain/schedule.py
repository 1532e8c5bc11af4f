"""A participant's weekly schedule for a ramp-up phase (L9) with varied teaching forms (L10).

The group's sessions come first, in the group's slots; the other sessions of the phase go
to the participant's other free slots. Forms follow the configured rotation; when the
week as laid out would break a variety rule, the individual sessions are reordered until
it does not (the group's sessions are fixed). A week no order can save is never passed
off as a good one: it carries the rules it breaks, for the planner to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, permutations

from zroute_contract.events.codes import DayPart, HoursKind, TeachingForm, Weekday

from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.rules import PlanningRules, SessionPattern
from zroute_planning.domain.variety import check_variety

WEEK_ORDER = {day.value: i for i, day in enumerate(Weekday)}
PART_ORDER = {part.value: i for i, part in enumerate(DayPart)}


def slot_order(slot: Slot) -> tuple[int, int]:
    return WEEK_ORDER[slot[0]], PART_ORDER[slot[1]]


@dataclass(frozen=True)
class Session:
    slot: Slot
    minutes: int
    form: TeachingForm
    kind: HoursKind
    group_id: str | None = None


@dataclass(frozen=True)
class Week:
    """A participant's week: its sessions in weekly order, and the variety rules it breaks
    (empty when it keeps them all)."""

    sessions: list[Session]
    variety_problems: tuple[str, ...] = ()


def group_patterns(rules: PlanningRules) -> list[SessionPattern]:
    """The patterns of a group's sessions: the first of the rotation."""
    return [rules.rotation[i % len(rules.rotation)] for i in range(rules.groups.sessions_per_week)]


def weekly_schedule(
    rules: PlanningRules,
    phase_index: int,
    free_slots: frozenset[Slot],
    group_slots: tuple[Slot, ...] = (),
    group_id: str | None = None,
    group_minutes: int | None = None,
) -> Week:
    """The week's sessions in weekly order, as many as the phase asks and slots allow, in
    the first order that keeps the variety rules; else the rotation's own order, flagged.

    A group session has the group's length (``group_minutes``, else
    ``groups.session_minutes``): it is taught once for every member, so no member's week
    may list it longer or shorter (issue 16). The phase's length holds for the others."""
    phase = rules.phases[phase_index]
    count = min(phase.sessions_per_week, len(free_slots | set(group_slots)))
    patterns = [rules.rotation[i % len(rules.rotation)] for i in range(count)]
    in_group = sorted(group_slots, key=slot_order)[: min(count, len(group_slots))]
    fixed = {slot: patterns[i] for i, slot in enumerate(in_group)}
    others = sorted(free_slots - set(group_slots), key=slot_order)[: count - len(fixed)]
    rest = patterns[len(fixed) :]
    week = sorted([*fixed, *others], key=slot_order)
    laid = _first_varied(week, fixed, rest, rules)
    problems: tuple[str, ...] = ()
    if laid is None:
        it = iter(rest)
        laid = [fixed.get(slot) or next(it) for slot in week]
        problems = tuple(check_variety([p.form for p in laid], rules.variety))
    in_group_minutes = group_minutes or rules.groups.session_minutes
    sessions = [
        Session(
            slot,
            in_group_minutes if slot in fixed else phase.session_minutes,
            pattern.form,
            pattern.kind,
            group_id if slot in fixed else None,
        )
        for slot, pattern in zip(week, laid, strict=True)
    ]
    return Week(sessions, problems)


def _first_varied(
    week: list[Slot],
    fixed: dict[Slot, SessionPattern],
    rest: list[SessionPattern],
    rules: PlanningRules,
) -> list[SessionPattern] | None:
    """The first order of the free sessions that keeps the variety rules, if any."""
    tried: set[tuple[SessionPattern, ...]] = set()
    for order in islice(permutations(rest), 5000):
        if order in tried:  # the rotation repeats forms: many orders are the same
            continue
        tried.add(order)
        it = iter(order)
        laid = [fixed.get(slot) or next(it) for slot in week]
        if not check_variety([p.form for p in laid], rules.variety):
            return laid
    return None
