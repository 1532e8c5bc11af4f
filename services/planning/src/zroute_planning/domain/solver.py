"""Group formation with OR-Tools CP-SAT: a pure function from candidates, the groups that
already meet and the rules, to groups and a waiting list. No I/O.

The model (per level band, per chunk of participants):

* ``a[p, s]`` (bool): participant ``p`` joins a *new* group meeting in slot set ``s``;
  only for slot sets ``s`` within ``p``'s free slots.
* ``n[s]`` (int): how many new groups meet in ``s``. Groups with the same slot set are
  interchangeable, so counting them is exact: ``min*n[s] <= sum_p a[p, s] <= max*n[s]``,
  and any such count of members splits into ``n[s]`` groups of ``min..max``.
* ``b[p, g]`` (bool): ``p`` joins the existing group ``g`` (slots within ``p``'s free
  slots, room left). A group that fell below ``min`` has ``keep[g]``: kept, its remaining
  members stay in it and it has ``min..max`` members; dropped, they are free.
* Each participant is in at most one group; groups per slot are bounded by the teachers
  (and, for bands that need one, the class assistants) free in that slot.

Objective, lexicographic through its weights: place as many participants as possible;
then keep existing groups; then use as few groups as possible (so groups are fuller);
then place those who waited longest.

Decomposition: bands are independent; a band's participants are sorted by availability
and solved in chunks of ``chunk_size``, each chunk seeing the groups earlier chunks
formed (so later chunks fill them); the unplaced of all chunks get one more round.
Only slot sets at least ``min_size`` chunk members share can host a group (exact
pruning); of those the ``max_slot_sets`` most shared are modelled. Every solve has a time
limit and starts from the greedy solution as a hint; should it find nothing, the greedy
solution is used. The hard rules hold by construction either way, and
:func:`~zroute_planning.domain.grouping.violations` checks them in the tests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from zroute_planning.domain.chunk_model import Limits, OpenGroup, solve_chunk
from zroute_planning.domain.greedy import greedy_groups
from zroute_planning.domain.grouping import (
    Candidate,
    Capacity,
    ExistingGroup,
    FormedGroup,
    Grouping,
    Slot,
    SlotSet,
    Waiting,
    slot_sets,
    wait_reason,
)


@dataclass(frozen=True)
class SolverOptions:
    min_size: int = 3
    max_size: int = 8
    sessions_per_week: int = 2
    seconds_per_solve: float = 5.0
    chunk_size: int = 240
    max_slot_sets: int = 40
    workers: int = 2
    needs_assistant: frozenset[str] = frozenset({"alpha"})
    capacity: Capacity = field(default_factory=Capacity)


@dataclass
class _Open:
    slots: SlotSet
    members: list[str]
    group_id: str | None = None
    tied: tuple[str, ...] = ()  # remaining members of a group that fell below min


@dataclass
class _Usage:
    teachers: Counter = field(default_factory=Counter)
    assistants: Counter = field(default_factory=Counter)


def form_groups(
    candidates: Sequence[Candidate],
    options: SolverOptions,
    existing: Sequence[ExistingGroup] = (),
    *,
    busy_teachers: Counter | None = None,
    busy_assistants: Counter | None = None,
) -> Grouping:
    """Groups and waiting list for ``candidates``, keeping ``existing`` groups stable.

    ``busy_*`` count, per slot, the staff already taken by groups outside this call.
    """
    by_band: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_band[c.band].append(c)
    usage = _Usage(Counter(busy_teachers or {}), Counter(busy_assistants or {}))
    result = Grouping()
    for band in sorted(by_band):
        groups, waiting = _Band(band, by_band[band], existing, options, usage).solve()
        result.groups += groups
        result.waiting += waiting
    return result


class _Band:
    def __init__(self, band, members, existing, options: SolverOptions, usage: _Usage) -> None:
        self.band = band
        self.members = members
        self.by_ref = {c.ref: c for c in members}
        self.o = options
        self.usage = usage
        self.assisted = band in options.needs_assistant
        self.opens: list[_Open] = []
        for group in existing:
            if group.band != band:
                continue
            stay = [
                r
                for r in group.members
                if r in self.by_ref and set(group.slots) <= self.by_ref[r].slots
            ]
            if not stay:
                continue
            weak = len(stay) < options.min_size
            self.opens.append(
                _Open(
                    group.slots, [] if weak else stay, group.group_id, tuple(stay) if weak else ()
                )
            )
            self._use(group.slots, 1)

    def _use(self, slots: SlotSet, count: int) -> None:
        for slot in slots:
            self.usage.teachers[slot] += count
            if self.assisted:
                self.usage.assistants[slot] += count

    def _room(self, slot: Slot) -> int | None:
        rooms = []
        if self.o.capacity.teachers is not None:
            rooms.append(self.o.capacity.teachers - self.usage.teachers[slot])
        if self.assisted and self.o.capacity.assistants is not None:
            rooms.append(self.o.capacity.assistants - self.usage.assistants[slot])
        return min(rooms) if rooms else None

    def solve(self) -> tuple[list[FormedGroup], list[Waiting]]:
        o = self.o
        placed = {r for g in self.opens for r in g.members}
        free = [c for c in self.members if c.ref not in placed]
        if len(self.members) >= o.min_size:
            tied = {r for g in self.opens for r in g.tied}
            free.sort(key=lambda c: (c.ref not in tied, sorted(c.slots), -c.waited_days, c.ref))
            for _round in range(2):
                chunks = [free[i : i + o.chunk_size] for i in range(0, len(free), o.chunk_size)]
                leftover: list[Candidate] = []
                for chunk in chunks:
                    leftover += self._solve_chunk(chunk)
                if len(chunks) <= 1 or not leftover:
                    free = leftover
                    break
                free = leftover
        for g in self.opens:  # weak groups nobody joined in any chunk are dropped
            if g.tied:
                self._use(g.slots, -1)
        kept = [g for g in self.opens if not g.tied]
        groups = [
            FormedGroup(self.band, g.slots, tuple(sorted(g.members)), g.group_id) for g in kept
        ]
        open_sets = [g.slots for g in kept if len(g.members) < o.max_size]
        waiting = [
            Waiting(
                c.ref,
                c.band,
                wait_reason(
                    c,
                    self.members,
                    open_sets,
                    min_size=o.min_size,
                    sessions_per_week=o.sessions_per_week,
                ),
            )
            for c in sorted(free, key=lambda c: c.ref)
        ]
        return groups, waiting

    def _slot_sets(self, chunk: Sequence[Candidate]) -> list[SlotSet]:
        cover: Counter = Counter()
        for c in chunk:
            cover.update(slot_sets(c.slots, self.o.sessions_per_week))
        usable = [
            s
            for s, n in cover.items()
            if n >= self.o.min_size and all(self._room(t) is None or self._room(t) > 0 for t in s)
        ]
        usable.sort(key=lambda s: (-cover[s], s))
        return usable[: self.o.max_slot_sets]

    def _solve_chunk(self, chunk: Sequence[Candidate]) -> list[Candidate]:
        """Place ``chunk``; update the open groups; return the unplaced."""
        o = self.o
        sets = self._slot_sets(chunk)
        views = [OpenGroup(g.slots, len(g.members), g.tied) for g in self.opens]
        rooms = {t: self._room(t) for s in sets for t in s}
        limits = Limits(o.min_size, o.max_size, o.sessions_per_week, o.seconds_per_solve, o.workers)
        plan = solve_chunk(chunk, sets, views, rooms, limits)
        if plan is None:
            return self._fallback(chunk)
        for ref, gi in plan.joins.items():
            self.opens[gi].members.append(ref)
        for gi in plan.kept:
            self.opens[gi].tied = ()
        for gi in plan.dropped:
            self._use(self.opens[gi].slots, -1)
        self.opens = [g for gi, g in enumerate(self.opens) if gi not in plan.dropped]
        for slots, members in plan.new_groups:
            self.opens.append(_Open(slots, list(members)))
            self._use(slots, 1)
        return plan.unplaced

    def _fallback(self, chunk: Sequence[Candidate]) -> list[Candidate]:
        o = self.o
        hint = greedy_groups(
            chunk,
            min_size=o.min_size,
            max_size=o.max_size,
            sessions_per_week=o.sessions_per_week,
        )
        placed = set()
        for g in hint.groups:
            if any((self._room(t) if self._room(t) is not None else 1) <= 0 for t in g.slots):
                continue
            self.opens.append(_Open(g.slots, list(g.members)))
            self._use(g.slots, 1)
            placed.update(g.members)
        return [c for c in chunk if c.ref not in placed]
