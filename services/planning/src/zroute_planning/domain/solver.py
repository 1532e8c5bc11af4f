"""Group formation: a pure function from candidates, the groups that
already meet and the rules, to groups and a waiting list. No I/O.

The model (per level band):

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

Decomposition: bands are independent (staff per slot is booked band after band). Each
band is first packed (:mod:`~zroute_planning.domain.packing`: greedy, then augmenting
paths to place everybody who can be and to close groups), then checked against the
proven bounds of :mod:`~zroute_planning.domain.bounds`; a packing that reaches them is
optimal and taken. A band of at most ``chunk_size`` people the packing did not solve
provably goes to CP-SAT (imported only then), started from the packing and limited to
``seconds_per_solve``; its answer is taken only if it is better. Only slot sets at least
``min_size`` band members share can host a group (exact pruning); of those the
``max_slot_sets`` most shared are modelled, plus those the packing used and those its
unplaced could meet in. Existing members never move. The hard rules hold by construction either way, and
:func:`~zroute_planning.domain.grouping.violations` checks them in the tests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from zroute_contract.events.codes import LevelBand

from zroute_planning.domain.bounds import band_bounds
from zroute_planning.domain.chunk_model import ChunkPlan
from zroute_planning.domain.grouping import (
    Candidate,
    Capacity,
    ExistingGroup,
    FormedGroup,
    Grouping,
    Slot,
    SlotSet,
    Waiting,
    slot_set_cover,
    slot_sets,
    split_evenly,
    wait_reason,
)
from zroute_planning.domain.packing import Packing


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
    teachers: Counter[Slot] = field(default_factory=Counter)
    assistants: Counter[Slot] = field(default_factory=Counter)


def form_groups(
    candidates: Sequence[Candidate],
    options: SolverOptions,
    existing: Sequence[ExistingGroup] = (),
    *,
    busy_teachers: Counter[Slot] | None = None,
    busy_assistants: Counter[Slot] | None = None,
) -> Grouping:
    """Groups and waiting list for ``candidates``, keeping ``existing`` groups stable.

    ``busy_*`` count, per slot, the staff already taken by groups outside this call.
    """
    by_band: dict[LevelBand, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_band[c.band].append(c)
    usage = _Usage(Counter(busy_teachers or {}), Counter(busy_assistants or {}))
    by_ref = {c.ref: c for c in candidates}
    for group in existing:  # every band's meeting groups hold their staff from the start
        if any(_stays(by_ref.get(r), group) for r in group.members):
            for slot in group.slots:
                usage.teachers[slot] += 1
                if group.band in options.needs_assistant:
                    usage.assistants[slot] += 1
    result = Grouping()
    for band in sorted(by_band):
        groups, waiting = _Band(band, by_band[band], existing, options, usage).solve()
        result.groups += groups
        result.waiting += waiting
    return result


def _stays(candidate: Candidate | None, group: ExistingGroup) -> bool:
    """Whether ``candidate`` may stay in ``group``: same band, free in its slots."""
    return (
        candidate is not None
        and candidate.band == group.band
        and set(group.slots) <= candidate.slots
    )


class _Band:
    def __init__(
        self,
        band: LevelBand,
        members: list[Candidate],
        existing: Sequence[ExistingGroup],
        options: SolverOptions,
        usage: _Usage,
    ) -> None:
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
            stay = [r for r in group.members if _stays(self.by_ref.get(r), group)]
            if not stay:
                continue
            weak = len(stay) < options.min_size
            self.opens.append(
                _Open(
                    group.slots, [] if weak else stay, group.group_id, tuple(stay) if weak else ()
                )
            )

    def _use(self, slots: SlotSet, count: int, usage: _Usage | None = None) -> None:
        usage = usage or self.usage
        for slot in slots:
            usage.teachers[slot] += count
            if self.assisted:
                usage.assistants[slot] += count

    def _room(self, slot: Slot, usage: _Usage | None = None) -> int | None:
        usage = usage or self.usage
        rooms = []
        if self.o.capacity.teachers is not None:
            rooms.append(self.o.capacity.teachers - usage.teachers[slot])
        if self.assisted and self.o.capacity.assistants is not None:
            rooms.append(self.o.capacity.assistants - usage.assistants[slot])
        return min(rooms) if rooms else None

    def solve(self) -> tuple[list[FormedGroup], list[Waiting]]:
        o = self.o
        placed = {r for g in self.opens for r in g.members}
        free = [c for c in self.members if c.ref not in placed]
        if len(self.members) >= o.min_size and free:
            plan, optimal = self._pack(free)
            if not optimal and len(self.members) <= o.chunk_size:
                plan = self._better(plan, self._cp_sat(free, plan))
            self._apply(plan)
            free = plan.unplaced
        for g in self.opens:  # weak groups nobody joined are dropped
            if g.tied:
                self._use(g.slots, -1)
        kept = [g for g in self.opens if not g.tied]
        groups = [
            FormedGroup(self.band, g.slots, tuple(sorted(g.members)), g.group_id) for g in kept
        ]
        open_sets = [g.slots for g in kept if len(g.members) < o.max_size]
        cover = slot_set_cover(self.members, o.sessions_per_week) if free else None
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
                    cover=cover,
                ),
            )
            for c in sorted(free, key=lambda c: c.ref)
        ]
        return groups, waiting

    def _pack(self, free: Sequence[Candidate]) -> tuple[ChunkPlan, bool]:
        """The packing heuristic's plan, and whether it is proven optimal (as many placed
        as can be, every group below the minimum kept, and no fewer groups possible)."""
        o = self.o
        scratch = _Usage(Counter(self.usage.teachers), Counter(self.usage.assistants))

        def room(slots: SlotSet) -> bool:
            return all((r := self._room(t, scratch)) is None or r > 0 for t in slots)

        packing = Packing(
            self.members,
            min_size=o.min_size,
            max_size=o.max_size,
            sessions_per_week=o.sessions_per_week,
            room=room,
            use=lambda slots, count: self._use(slots, count, scratch),
        )
        bins = [
            packing.add_existing(str(gi), g.slots, g.members or g.tied)
            for gi, g in enumerate(self.opens)
        ]
        dropped = set(packing.settle_weak())
        packing.join_existing()
        packing.open_greedy()
        packing.place_free()
        packing.close_groups()
        plan = ChunkPlan()
        for gi, b in enumerate(bins):
            for ref in packing.bins[b].movable:
                plan.joins[ref] = gi
            if self.opens[gi].tied and b in dropped:
                plan.dropped.add(gi)
            elif self.opens[gi].tied:
                plan.kept.add(gi)
                plan.joins.update(dict.fromkeys(self.opens[gi].tied, gi))
        for b in packing.pair_bin.values():
            bin_ = packing.bins[b]
            if bin_.groups:
                for part in split_evenly(sorted(bin_.movable), bin_.groups):
                    plan.new_groups.append((bin_.slots, part))
        plan.unplaced = [c for c in free if c.ref not in packing.where]
        placed = len(self.members) - len(plan.unplaced)
        best = band_bounds(self.members, placed, o.min_size, o.max_size, o.sessions_per_week)
        groups = len(plan.new_groups) + len(self.opens) - len(plan.dropped)
        optimal = placed == best.most_placed and not plan.dropped and groups == best.fewest_groups
        return plan, optimal

    def _better(self, first: ChunkPlan, second: ChunkPlan | None) -> ChunkPlan:
        """The plan with more placed, then more kept, then fewer groups; ``first`` on a tie."""
        if second is None:
            return first

        def score(plan: ChunkPlan) -> tuple[int, int, int]:
            kept = sum(len(self.opens[gi].tied) for gi in plan.kept)
            return -len(plan.unplaced), kept, -len(plan.new_groups)

        return second if score(second) > score(first) else first

    def _slot_sets(self, chunk: Sequence[Candidate], hint: ChunkPlan) -> list[SlotSet]:
        cover: Counter[SlotSet] = Counter()
        for c in chunk:
            cover.update(slot_sets(c.slots, self.o.sessions_per_week))
        usable = [
            s
            for s, n in cover.items()
            if n >= self.o.min_size and all((r := self._room(t)) is None or r > 0 for t in s)
        ]
        usable.sort(key=lambda s: (-cover[s], s))
        chosen = usable[: self.o.max_slot_sets]
        wanted = {s for s, _ in hint.new_groups}  # the hint's, and those the unplaced need
        wanted |= {s for s in usable if any(set(s) <= c.slots for c in hint.unplaced)}
        return chosen + sorted(wanted - set(chosen))

    def _cp_sat(self, chunk: Sequence[Candidate], hint: ChunkPlan) -> ChunkPlan | None:
        """CP-SAT on the whole band, started from ``hint``; None if it found nothing."""
        from zroute_planning.domain.chunk_model import Limits, OpenGroup, solve_chunk

        o = self.o
        sets = self._slot_sets(chunk, hint)
        views = [OpenGroup(g.slots, len(g.members), g.tied) for g in self.opens]
        rooms = {t: self._room(t) for s in sets for t in s}
        limits = Limits(o.min_size, o.max_size, o.sessions_per_week, o.seconds_per_solve, o.workers)
        return solve_chunk(chunk, sets, views, rooms, limits, hint)

    def _apply(self, plan: ChunkPlan) -> None:
        """Update the open groups and the staff in use with ``plan``."""
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
