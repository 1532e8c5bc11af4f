"""The CP-SAT model of one chunk of one level band (see ``solver`` for the whole picture).

Variables: ``a[p, s]`` participant ``p`` joins a new group meeting in slot set ``s``;
``n[s]`` how many new groups meet in ``s``; ``b[p, g]`` ``p`` joins open group ``g``;
``keep[g]`` a group below the minimum is kept. Objective: placed first, then kept groups,
then fewer groups, then those who waited longest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zroute_planning.domain.grouping import Candidate, Slot, SlotSet, split_evenly

MAX_OPEN_GROUPS_PER_PARTICIPANT = 12
WAIT_BONUS_MAX = 4  # waiting counts in steps of four weeks, up to four steps


@dataclass(frozen=True)
class OpenGroup:
    """A group the chunk may join: its slots and size; ``tied`` names the remaining
    members of a group below the minimum, kept only if it gets enough members again."""

    slots: SlotSet
    size: int
    tied: tuple[str, ...] = ()


@dataclass
class ChunkPlan:
    joins: dict[str, int] = field(default_factory=dict)
    new_groups: list[tuple[SlotSet, tuple[str, ...]]] = field(default_factory=list)
    kept: set[int] = field(default_factory=set)
    dropped: set[int] = field(default_factory=set)
    unplaced: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    min_size: int
    max_size: int
    sessions_per_week: int
    seconds: float
    workers: int


def solve_chunk(
    chunk: Sequence[Candidate],
    sets: Sequence[SlotSet],
    opens: Sequence[OpenGroup],
    rooms: Mapping[Slot, int | None],
    limits: Limits,
    hint: ChunkPlan,
) -> ChunkPlan | None:
    """The best placement of ``chunk`` within the time limit, starting from ``hint``;
    None if none was found. OR-Tools is imported here, so that the service starts
    without loading it."""
    from ortools.sat.python import cp_model

    lo, hi = limits.min_size, limits.max_size
    m = cp_model.CpModel()
    n = len(chunk)
    w_group = WAIT_BONUS_MAX * n + 1
    w_keep = w_group * (n // lo + len(opens) + 1)
    w_place = w_keep * (n + 1)
    refs = {c.ref for c in chunk}
    weak = [i for i, g in enumerate(opens) if g.tied and set(g.tied) <= refs]
    keep = {i: m.new_bool_var(f"keep{i}") for i in weak}
    tied_to = {r: i for i in weak for r in opens[i].tied}
    a: dict[tuple[int, int], cp_model.IntVar] = {}
    b: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person: dict[int, list] = defaultdict(list)
    by_set: dict[int, list] = defaultdict(list)
    by_group: dict[int, list] = defaultdict(list)
    for pi, c in enumerate(chunk):
        for si, s in enumerate(sets):
            if set(s) <= c.slots:
                a[pi, si] = v = m.new_bool_var(f"a{pi}_{si}")
                by_person[pi].append(v)
                by_set[si].append(v)
        fitting = [
            gi
            for gi, g in enumerate(opens)
            if (gi in keep or (not g.tied and g.size < hi)) and set(g.slots) <= c.slots
        ]
        fitting.sort(key=lambda gi: (gi != tied_to.get(c.ref), -opens[gi].size))
        for gi in fitting[:MAX_OPEN_GROUPS_PER_PARTICIPANT]:
            b[pi, gi] = v = m.new_bool_var(f"b{pi}_{gi}")
            by_person[pi].append(v)
            by_group[gi].append(v)
    placed = [m.new_bool_var(f"placed{pi}") for pi in range(n)]
    for pi in range(n):
        m.add(sum(by_person[pi]) == placed[pi])
    count = {}
    for si in range(len(sets)):
        count[si] = m.new_int_var(0, len(by_set[si]) // lo, f"n{si}")
        m.add(sum(by_set[si]) >= lo * count[si])
        m.add(sum(by_set[si]) <= hi * count[si])
    for gi, g in enumerate(opens):
        if gi in keep:
            m.add(sum(by_group[gi]) >= lo * keep[gi])
            m.add(sum(by_group[gi]) <= hi * keep[gi])
            for pi, c in enumerate(chunk):
                if tied_to.get(c.ref) == gi:
                    m.add(b[pi, gi] == keep[gi])
        elif by_group[gi]:
            m.add(sum(by_group[gi]) <= hi - g.size)
    for slot in {t for s in sets for t in s}:
        if rooms.get(slot) is not None:
            m.add(sum(count[si] for si, s in enumerate(sets) if slot in s) <= rooms[slot])
    bonus = [min(c.waited_days // 28, WAIT_BONUS_MAX) for c in chunk]
    m.maximize(
        sum((w_place + bonus[pi]) * placed[pi] for pi in range(n))
        + sum(w_keep * len(opens[i].tied) * keep[i] for i in weak)
        - sum(w_group * v for v in count.values())
    )
    _hint(m, hint, chunk, sets, a, b, count, keep)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limits.seconds
    solver.parameters.num_workers = limits.workers
    solver.parameters.random_seed = 7
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan = ChunkPlan()
    members: dict[int, list[str]] = defaultdict(list)
    for (pi, gi), v in b.items():
        if solver.value(v):
            plan.joins[chunk[pi].ref] = gi
    for (pi, si), v in a.items():
        if solver.value(v):
            members[si].append(chunk[pi].ref)
    placed_refs = set(plan.joins) | {r for refs in members.values() for r in refs}
    plan.unplaced = [c for c in chunk if c.ref not in placed_refs]
    plan.kept = {gi for gi, v in keep.items() if solver.value(v)}
    plan.dropped = set(keep) - plan.kept
    for si, refs_in in sorted(members.items()):
        for part in split_evenly(sorted(refs_in), solver.value(count[si])):
            plan.new_groups.append((sets[si], part))
    return plan


def _hint(m, hint: ChunkPlan, chunk, sets, a, b, count, keep) -> None:
    """Start from ``hint`` (so the solver does at least as well as it)."""
    index = {s: si for si, s in enumerate(sets)}
    pos = {c.ref: pi for pi, c in enumerate(chunk)}
    chosen: dict[int, int] = {}
    groups: Counter = Counter()
    for slots, members in hint.new_groups:
        si = index.get(slots)
        if si is None:
            continue
        groups[si] += 1
        for r in members:
            chosen[pos[r]] = si
    joined = {pos[r]: gi for r, gi in hint.joins.items() if r in pos}
    for (pi, si), v in a.items():
        m.add_hint(v, chosen.get(pi) == si)
    for (pi, gi), v in b.items():
        m.add_hint(v, joined.get(pi) == gi)
    for si, v in count.items():
        m.add_hint(v, groups[si])
    for gi, v in keep.items():
        m.add_hint(v, gi in hint.kept)
