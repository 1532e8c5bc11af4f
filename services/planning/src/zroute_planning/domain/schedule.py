"""A participant's weekly schedule for a ramp-up phase (L9) with varied teaching forms (L10).

The group's sessions come first, in the group's slots; the other sessions of the phase go
to the participant's other free slots. Forms follow the configured rotation; when the
week as laid out would break a variety rule, the individual sessions are reordered until
it does not (the group's sessions are fixed). A week no order can save is never passed
off as a good one: it carries the rules it breaks, for the planner to see.

No day of the week holds more minutes than the ledger accepts for one participant on one
day (``attendance_max_minutes_per_day``): a session that would take a day over it goes to
the next free slot on a day with room, and when no free slot has room the week holds one
session fewer, as it does when the participant has fewer free slots than the phase asks
(``Week.left_out`` counts them, for the planner to see). Why not publish the full week and
flag it: the ledger refuses the minutes of such a session (``over_day_maximum``), so it
would be dated, taught and then impossible to record; and why not refuse the week: the
sessions that fit are still owed to the participant. The group's sessions count first, all
of them, as the calendar dates them all (they are taught once for every member and cannot
move for one member).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, permutations

from zroute_contract.events.codes import CurriculumModule, DayPart, HoursKind, TeachingForm, Weekday

from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.modules import ModuleSession
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
    module: CurriculumModule | None = None


@dataclass(frozen=True)
class Week:
    """A participant's week: its sessions in weekly order, and the variety rules it breaks
    (empty when it keeps them all)."""

    sessions: list[Session]
    variety_problems: tuple[str, ...] = ()
    left_out: int = 0
    """Sessions the phase (or a module) asks for that no free slot takes within the day's
    maximum of minutes: the week holds that many fewer."""


MAX_SESSIONS = 15
"""The most sessions a published week holds (``schedule-published``)."""

_Item = tuple[SessionPattern, CurriculumModule | None]
"""A session to lay: its form and kind, and the customised module it teaches, if any."""


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
    modules: Sequence[ModuleSession] = (),
) -> Week:
    """The week's sessions in weekly order, as many as the phase asks and slots allow, in
    the first order that keeps the variety rules; else the rotation's own order, flagged.

    A group session has the group's length (``group_minutes``, else
    ``groups.session_minutes``): it is taught once for every member, so no member's week
    may list it longer or shorter (issue 16). The phase's length holds for the others.

    Each customised module planned with hours (``modules``, issue 16 item 4) adds one
    session of the phase's length in a free slot left after the phase's own sessions, in
    the module's form and kind; the variety rules hold over the whole week. A module that
    finds no free slot is not in the week (nor, then, in the projection)."""
    phase = rules.phases[phase_index]
    slots = len(free_slots | set(group_slots))
    count = min(phase.sessions_per_week, slots)
    extra = list(modules)[: max(0, min(slots, MAX_SESSIONS) - count)]
    items: list[_Item] = [(rules.rotation[i % len(rules.rotation)], None) for i in range(count)]
    items += [(SessionPattern(form=m.form, kind=m.kind), m.module) for m in extra]
    in_group = sorted(group_slots, key=slot_order)[: min(count, len(group_slots))]
    fixed = {slot: items[i] for i, slot in enumerate(in_group)}
    in_group_minutes = group_minutes or rules.groups.session_minutes
    others = _slots_within_day_maximum(
        free_slots - set(group_slots),
        len(items) - len(fixed),
        phase.session_minutes,
        Counter(
            {day: in_group_minutes * n for day, n in Counter(d for d, _ in group_slots).items()}
        ),
        rules.attendance_max_minutes_per_day,
    )
    left_out = len(items) - len(fixed) - len(others)
    # The phase's own sessions before the modules': a module is the first to find no room.
    rest = items[len(fixed) : len(fixed) + len(others)]
    week = sorted([*fixed, *others], key=slot_order)
    laid = _first_varied(week, fixed, rest, rules)
    problems: tuple[str, ...] = ()
    if laid is None:
        it = iter(rest)
        laid = [fixed.get(slot) or next(it) for slot in week]
        problems = tuple(check_variety([p.form for p, _ in laid], rules.variety))
    sessions = [
        Session(
            slot,
            in_group_minutes if slot in fixed else phase.session_minutes,
            pattern.form,
            pattern.kind,
            group_id if slot in fixed else None,
            module,
        )
        for slot, (pattern, module) in zip(week, laid, strict=True)
    ]
    return Week(sessions, problems, left_out)


def _slots_within_day_maximum(
    free: frozenset[Slot] | set[Slot],
    wanted: int,
    minutes: int,
    taken: Counter[str],
    day_maximum: int,
) -> list[Slot]:
    """Up to ``wanted`` free slots in weekly order, skipping a slot whose day would go over
    ``day_maximum`` minutes with a session of ``minutes`` (``taken``: a day's minutes
    already planned, the group's sessions)."""
    chosen: list[Slot] = []
    load = Counter(taken)
    for slot in sorted(free, key=slot_order):
        if len(chosen) == wanted:
            break
        if load[slot[0]] + minutes > day_maximum:
            continue
        load[slot[0]] += minutes
        chosen.append(slot)
    return chosen


def _first_varied(
    week: list[Slot],
    fixed: dict[Slot, _Item],
    rest: list[_Item],
    rules: PlanningRules,
) -> list[_Item] | None:
    """The first order of the free sessions that keeps the variety rules, if any."""
    tried: set[tuple[_Item, ...]] = set()
    for order in islice(permutations(rest), 5000):
        if order in tried:  # the rotation repeats forms: many orders are the same
            continue
        tried.add(order)
        it = iter(order)
        laid = [fixed.get(slot) or next(it) for slot in week]
        if not check_variety([p.form for p, _ in laid], rules.variety):
            return laid
    return None
