"""Group formation (L11, L7): the shapes the solver works on, and the hard rules it must keep.

A *slot* is one part of one weekday (``("monday", "morning")``). A group meets in
``sessions_per_week`` slots, all of them free for every member; it has ``min_size`` to
``max_size`` members of one level band. Everything here is plain data and pure functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from zroute_contract.events.codes import LevelBand, WaitReason

Slot = tuple[str, str]
"""(weekday, day part), for example ``("monday", "morning")``."""

SlotSet = tuple[Slot, ...]


@dataclass(frozen=True)
class Candidate:
    """A participant to place: level band, free slots, and how long they have waited."""

    ref: str
    band: LevelBand
    slots: frozenset[Slot]
    waited_days: int = 0


@dataclass(frozen=True)
class ExistingGroup:
    """A group that already meets: its slots are fixed, its members stay where possible."""

    group_id: str
    band: LevelBand
    slots: SlotSet
    members: tuple[str, ...]


@dataclass(frozen=True)
class FormedGroup:
    """A group in a solution; ``group_id`` is None for a new group."""

    band: LevelBand
    slots: SlotSet
    members: tuple[str, ...]
    group_id: str | None = None


@dataclass(frozen=True)
class Waiting:
    """A participant no group fits yet, with the reason."""

    ref: str
    band: LevelBand
    reason: WaitReason


@dataclass
class Grouping:
    """A solution: groups and the waiting list."""

    groups: list[FormedGroup] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return sum(len(g.members) for g in self.groups)


@dataclass(frozen=True)
class Capacity:
    """How many groups may meet in one slot at once (teachers, and assistants for the
    bands that need one); None is unlimited."""

    teachers: int | None = None
    assistants: int | None = None


def slot_sets(slots: Iterable[Slot], size: int) -> list[SlotSet]:
    """Every set of ``size`` slots drawn from ``slots``, each sorted."""
    return [tuple(c) for c in combinations(sorted(slots), size)]


def violations(
    grouping: Grouping,
    candidates: Sequence[Candidate],
    *,
    min_size: int,
    max_size: int,
    sessions_per_week: int,
    existing: Sequence[ExistingGroup] = (),
) -> list[str]:
    """Every hard rule the solution breaks; empty when it keeps them all."""
    by_ref = {c.ref: c for c in candidates}
    problems: list[str] = []
    for index, group in enumerate(grouping.groups):
        name = group.group_id or f"new group {index}"
        problems += _shape_problems(name, group, min_size, max_size, sessions_per_week)
        problems += _member_problems(name, group, by_ref)
    problems += _placement_problems(grouping, by_ref)
    problems += _identity_problems(grouping, existing)
    return problems


def _shape_problems(
    name: str, group: FormedGroup, min_size: int, max_size: int, sessions_per_week: int
) -> list[str]:
    """A group's size within the bounds, and as many distinct slots as sessions a week."""
    problems: list[str] = []
    if not min_size <= len(group.members) <= max_size:
        problems.append(f"{name} has {len(group.members)} members")
    if len(set(group.slots)) != sessions_per_week:
        problems.append(f"{name} meets in {len(set(group.slots))} slots")
    return problems


def _member_problems(name: str, group: FormedGroup, by_ref: Mapping[str, Candidate]) -> list[str]:
    """Each member a candidate of the group's band, free when the group meets."""
    problems: list[str] = []
    for ref in group.members:
        member = by_ref.get(ref)
        if member is None:
            problems.append(f"{name} holds {ref}, who is not a candidate")
            continue
        if member.band != group.band:
            problems.append(f"{name} ({group.band}) holds {ref} of band {member.band}")
        if not set(group.slots) <= member.slots:
            problems.append(f"{name} meets when {ref} is not free")
    return problems


def _placement_problems(grouping: Grouping, by_ref: Mapping[str, Candidate]) -> list[str]:
    """Each candidate exactly once: in one group or on the waiting list."""
    seen: Counter[str] = Counter()
    for group in grouping.groups:
        seen.update(group.members)
    seen.update(w.ref for w in grouping.waiting)
    problems = [f"{ref} appears {n} times" for ref, n in seen.items() if n > 1]
    return problems + [f"{ref} is neither placed nor waiting" for ref in by_ref if ref not in seen]


def _identity_problems(grouping: Grouping, existing: Sequence[ExistingGroup]) -> list[str]:
    """Group ids unique, and an existing group keeps its slots and band."""
    problems: list[str] = []
    ids = [g.group_id for g in grouping.groups if g.group_id]
    if len(ids) != len(set(ids)):
        problems.append("a group id is used twice")
    known = {g.group_id: g for g in existing}
    for group in grouping.groups:
        old = known.get(group.group_id or "")
        if old is not None and (old.slots != group.slots or old.band != group.band):
            problems.append(f"{group.group_id} changed its slots or band")
    return problems


def split_evenly(members: Sequence[str], groups: int) -> list[tuple[str, ...]]:
    """``members`` in ``groups`` parts whose sizes differ by at most one."""
    size, extra = divmod(len(members), groups)
    parts, start = [], 0
    for i in range(groups):
        end = start + size + (1 if i < extra else 0)
        parts.append(tuple(members[start:end]))
        start = end
    return parts


def wait_reason(
    candidate: Candidate,
    band_members: Sequence[Candidate],
    open_slot_sets: Iterable[SlotSet],
    *,
    min_size: int,
    sessions_per_week: int,
    cover: Mapping[SlotSet, int] | None = None,
) -> WaitReason:
    """Why ``candidate`` could not be placed: too few at the level, no shared slots, or
    no group (capacity, or others fitted better). ``cover`` (see :func:`slot_set_cover`)
    saves counting the band again for each candidate."""
    if len(band_members) < min_size:
        return WaitReason.TOO_FEW_AT_LEVEL
    if any(set(s) <= candidate.slots for s in open_slot_sets):
        return WaitReason.NO_GROUP_AT_LEVEL
    for slot_set in slot_sets(candidate.slots, sessions_per_week):
        if cover is not None:
            sharing = cover.get(slot_set, 0)
        else:
            wanted = set(slot_set)
            sharing = sum(1 for other in band_members if wanted <= other.slots)
        if sharing >= min_size:
            return WaitReason.NO_GROUP_AT_LEVEL
    return WaitReason.NO_AVAILABILITY_OVERLAP


def slot_set_cover(members: Iterable[Candidate], sessions_per_week: int) -> Counter[SlotSet]:
    """How many of ``members`` are free in each slot set."""
    cover: Counter[SlotSet] = Counter()
    for c in members:
        cover.update(slot_sets(c.slots, sessions_per_week))
    return cover


def first_session_on(today: date, lead_days: int, member_starts: Iterable[date | None]) -> date:
    """A new group's first day: the configured lead time after ``today``, and never before
    a member's own plan start (issue 16 item 7: the group does not start a route early)."""
    return max([today + timedelta(days=lead_days), *(d for d in member_starts if d)])


def joins_on(today: date, plan_start: date | None) -> date:
    """The day a participant joins an existing group: today, or their plan's start."""
    return max(today, plan_start or today)
