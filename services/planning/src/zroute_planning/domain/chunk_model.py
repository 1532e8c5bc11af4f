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
from typing import Any

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


@dataclass
class _Vars:
    """The model's variables, and the sums the constraints are made of."""

    keep: dict[int, Any]
    tied_to: dict[str, int]
    a: dict[tuple[int, int], Any] = field(default_factory=dict)
    b: dict[tuple[int, int], Any] = field(default_factory=dict)
    by_person: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_set: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_group: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    placed: list[Any] = field(default_factory=list)
    count: dict[int, Any] = field(default_factory=dict)


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

    m = cp_model.CpModel()
    refs = {c.ref for c in chunk}
    weak = [i for i, g in enumerate(opens) if g.tied and set(g.tied) <= refs]
    v = _Vars(
        keep={i: m.new_bool_var(f"keep{i}") for i in weak},
        tied_to={r: i for i in weak for r in opens[i].tied},
    )
    for pi, c in enumerate(chunk):
        _choices(m, v, pi, c, sets, opens, limits.max_size)
    _sizes(m, v, chunk, sets, opens, limits)
    _rooms(m, v, sets, rooms)
    _objective(m, v, chunk, opens, weak, limits.min_size)
    _hint(m, hint, chunk, sets, v.a, v.b, v.count, v.keep)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limits.seconds
    solver.parameters.num_workers = limits.workers
    solver.parameters.random_seed = 7
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _read(solver, v, chunk, sets)


def _choices(
    m: Any,
    v: _Vars,
    pi: int,
    c: Candidate,
    sets: Sequence[SlotSet],
    opens: Sequence[OpenGroup],
    hi: int,
) -> None:
    """Participant ``pi``'s choices: a new group in each slot set they are free for, and
    up to MAX_OPEN_GROUPS_PER_PARTICIPANT open groups (their own weak group first)."""
    for si, s in enumerate(sets):
        if set(s) <= c.slots:
            v.a[pi, si] = x = m.new_bool_var(f"a{pi}_{si}")
            v.by_person[pi].append(x)
            v.by_set[si].append(x)
    fitting = [
        gi
        for gi, g in enumerate(opens)
        if (gi in v.keep or (not g.tied and g.size < hi)) and set(g.slots) <= c.slots
    ]
    fitting.sort(key=lambda gi: (gi != v.tied_to.get(c.ref), -opens[gi].size))
    for gi in fitting[:MAX_OPEN_GROUPS_PER_PARTICIPANT]:
        v.b[pi, gi] = x = m.new_bool_var(f"b{pi}_{gi}")
        v.by_person[pi].append(x)
        v.by_group[gi].append(x)


def _sizes(
    m: Any,
    v: _Vars,
    chunk: Sequence[Candidate],
    sets: Sequence[SlotSet],
    opens: Sequence[OpenGroup],
    limits: Limits,
) -> None:
    """Each participant placed at most once; new groups, kept weak groups and open groups
    within the size bounds; a weak group's own members stay exactly when it is kept."""
    lo, hi = limits.min_size, limits.max_size
    v.placed = [m.new_bool_var(f"placed{pi}") for pi in range(len(chunk))]
    for pi in range(len(chunk)):
        m.add(sum(v.by_person[pi]) == v.placed[pi])
    for si in range(len(sets)):
        v.count[si] = m.new_int_var(0, len(v.by_set[si]) // lo, f"n{si}")
        m.add(sum(v.by_set[si]) >= lo * v.count[si])
        m.add(sum(v.by_set[si]) <= hi * v.count[si])
    for gi, g in enumerate(opens):
        if gi in v.keep:
            m.add(sum(v.by_group[gi]) >= lo * v.keep[gi])
            m.add(sum(v.by_group[gi]) <= hi * v.keep[gi])
            for pi, c in enumerate(chunk):
                if v.tied_to.get(c.ref) == gi:
                    m.add(v.b[pi, gi] == v.keep[gi])
        elif v.by_group[gi]:
            m.add(sum(v.by_group[gi]) <= hi - g.size)


def _rooms(m: Any, v: _Vars, sets: Sequence[SlotSet], rooms: Mapping[Slot, int | None]) -> None:
    """No more new groups in a slot than it has rooms, where rooms are counted."""
    for slot in {t for s in sets for t in s}:
        if rooms.get(slot) is not None:
            m.add(sum(v.count[si] for si, s in enumerate(sets) if slot in s) <= rooms[slot])


def _objective(
    m: Any,
    v: _Vars,
    chunk: Sequence[Candidate],
    opens: Sequence[OpenGroup],
    weak: Sequence[int],
    lo: int,
) -> None:
    """Placed first, then kept groups, then fewer groups, then those who waited longest."""
    n = len(chunk)
    w_group = WAIT_BONUS_MAX * n + 1
    w_keep = w_group * (n // lo + len(opens) + 1)
    w_place = w_keep * (n + 1)
    bonus = [min(c.waited_days // 28, WAIT_BONUS_MAX) for c in chunk]
    m.maximize(
        sum((w_place + bonus[pi]) * v.placed[pi] for pi in range(n))
        + sum(w_keep * len(opens[i].tied) * v.keep[i] for i in weak)
        - sum(w_group * x for x in v.count.values())
    )


def _read(solver: Any, v: _Vars, chunk: Sequence[Candidate], sets: Sequence[SlotSet]) -> ChunkPlan:
    """The solution as a plan: joins, new groups split evenly, kept and dropped groups."""
    plan = ChunkPlan()
    members: dict[int, list[str]] = defaultdict(list)
    for (pi, gi), x in v.b.items():
        if solver.value(x):
            plan.joins[chunk[pi].ref] = gi
    for (pi, si), x in v.a.items():
        if solver.value(x):
            members[si].append(chunk[pi].ref)
    placed_refs = set(plan.joins) | {r for refs in members.values() for r in refs}
    plan.unplaced = [c for c in chunk if c.ref not in placed_refs]
    plan.kept = {gi for gi, x in v.keep.items() if solver.value(x)}
    plan.dropped = set(v.keep) - plan.kept
    for si, refs_in in sorted(members.items()):
        for part in split_evenly(sorted(refs_in), solver.value(v.count[si])):
            plan.new_groups.append((sets[si], part))
    return plan


def _hint(
    m: Any,
    hint: ChunkPlan,
    chunk: Sequence[Candidate],
    sets: Sequence[SlotSet],
    a: dict[tuple[int, int], Any],
    b: dict[tuple[int, int], Any],
    count: dict[int, Any],
    keep: dict[int, Any],
) -> None:
    """Start from ``hint`` (so the solver does at least as well as it)."""
    index = {s: si for si, s in enumerate(sets)}
    pos = {c.ref: pi for pi, c in enumerate(chunk)}
    chosen: dict[int, int] = {}
    groups: Counter[int] = Counter()
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
