"""Fast group formation for one level band: greedy groups, then repair by moving people
along augmenting paths. Pure Python, no solver, deterministic.

People go into *bins*: one bin per slot set for new groups (``groups`` of them, holding
``3*groups..8*groups`` movable members, split evenly at the end) and one bin per group that
already meets (its members fixed, joiners movable, at most ``max`` in all). Moves keep
every bin within its bounds, so the hard rules hold after every step:

1. join: free people fill the groups that already meet;
2. open: again and again, a new group where most free people share a slot set (greedy);
3. place: each free person enters a bin with room, or a full bin whose movable member
   moves on to another bin, and so on (a shortest augmenting path over the bins);
4. close: a new group whose members all fit elsewhere is closed, its members moved along
   augmenting paths into room left in other bins, fewest members first, until no group
   can be closed. Each close is one group fewer for the same people placed.

Placed people never become unplaced, so the result places at least as many as greedy.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from zroute_planning.domain.grouping import Candidate, SlotSet, slot_sets


@dataclass
class Bin:
    slots: SlotSet
    groups: int  # new groups in this slot set; 1 for a group that already meets
    lo: int  # the fewest members the bin must hold (both kinds)
    hi: int  # the most
    fixed: tuple[str, ...] = ()
    movable: dict[str, None] = field(default_factory=dict)  # insertion-ordered set
    group_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.fixed) + len(self.movable)


class Packing:
    """The bins of one band and who is where; ``room(slots)`` says whether one more group
    may meet in ``slots`` (staff capacity) and ``use(slots, count)`` books it."""

    def __init__(
        self,
        members: Sequence[Candidate],
        *,
        min_size: int,
        max_size: int,
        sessions_per_week: int,
        room: Callable[[SlotSet], bool] = lambda slots: True,
        use: Callable[[SlotSet, int], None] = lambda slots, count: None,
    ) -> None:
        self.lo, self.hi, self.k = min_size, max_size, sessions_per_week
        self.room, self.use = room, use
        self.people = {c.ref: c for c in members}
        self.order = sorted(members, key=lambda c: (-c.waited_days, c.ref))
        self.bins: list[Bin] = []
        self.where: dict[str, int] = {}
        self.fits: dict[str, list[int]] = {}
        self.pair_bin: dict[SlotSet, int] = {}
        self.edges: list[Counter[int]] = []  # edges[b][c]: movable members of b that fit c
        cover: Counter[SlotSet] = Counter()
        own = {c.ref: slot_sets(c.slots, self.k) for c in members}
        for sets in own.values():
            cover.update(sets)
        for s in sorted(s for s, n in cover.items() if n >= min_size):
            self._add_bin(Bin(s, 0, 0, 0))
        for ref, sets in own.items():
            self.fits[ref] = [self.pair_bin[s] for s in sets if s in self.pair_bin]

    def _add_bin(self, b: Bin) -> int:
        self.bins.append(b)
        self.edges.append(Counter())
        index = len(self.bins) - 1
        if b.group_id is None:
            self.pair_bin[b.slots] = index
        return index

    def add_existing(self, group_id: str, slots: SlotSet, fixed: Sequence[str]) -> int:
        """A group that already meets, with the members who stay in it; one with fewer
        than ``min_size`` of them is kept by :meth:`settle_weak` only if it fills up."""
        index = self._add_bin(Bin(slots, 1, self.lo, self.hi, tuple(fixed), group_id=group_id))
        wanted = set(slots)
        for ref in fixed:
            self.where[ref] = index
        for ref, c in self.people.items():
            if wanted <= c.slots and ref not in fixed:
                self.fits[ref].insert(0, index)  # joining a meeting group comes first
        return index

    def settle_weak(self) -> list[int]:
        """Fill each group below the minimum from free people, or drop it (its members
        become free); the dropped bins."""
        dropped = []
        for b, bin_ in enumerate(self.bins):
            if bin_.group_id is None or len(bin_.fixed) >= self.lo:
                continue
            joiners = [c.ref for c in self.free() if b in self.fits[c.ref]]
            joiners = joiners[: self.lo - len(bin_.fixed)]
            if len(bin_.fixed) + len(joiners) >= self.lo:
                for ref in joiners:
                    self._put(ref, b)
                continue
            for ref in bin_.fixed:
                del self.where[ref]
            bin_.fixed, bin_.lo, bin_.hi, bin_.groups = (), 0, 0, 0
            self.use(bin_.slots, -1)
            dropped.append(b)
        return dropped

    # -- moves -------------------------------------------------------------------------

    def _put(self, ref: str, b: int) -> None:
        self.bins[b].movable[ref] = None
        self.where[ref] = b
        for c in self.fits[ref]:
            if c != b:
                self.edges[b][c] += 1

    def _take(self, ref: str) -> int:
        b = self.where.pop(ref)
        del self.bins[b].movable[ref]
        for c in self.fits[ref]:
            if c != b:
                self.edges[b][c] -= 1
                if not self.edges[b][c]:
                    del self.edges[b][c]
        return b

    def _spare(self, b: int) -> int:
        return self.bins[b].hi - self.bins[b].size

    def _path(self, starts: Sequence[int], banned: int = -1) -> list[int] | None:
        """Shortest chain of bins from one of ``starts`` to a bin with room: each bin on
        it passes one movable member to the next."""
        bins, edges = self.bins, self.edges
        parent: dict[int, int] = {banned: banned}
        queue: deque[int] = deque()
        found = -1
        for b in starts:
            if b not in parent and bins[b].hi:
                parent[b] = -1
                if self._spare(b) > 0:
                    found = b
                    break
                queue.append(b)
        while queue and found < 0:
            b = queue.popleft()
            for c in edges[b]:
                if c not in parent and bins[c].hi:
                    parent[c] = b
                    if self._spare(c) > 0:
                        found = c
                        break
                    queue.append(c)
        if found < 0:
            return None
        chain = [found]
        while parent[chain[-1]] != -1:
            chain.append(parent[chain[-1]])
        return chain[::-1]

    def _shift(self, chain: list[int], log: list[tuple[str, int]]) -> None:
        """Move one member along ``chain`` (bin i to bin i + 1), last bin first."""
        for b, c in reversed(list(pairwise(chain))):
            ref = next(r for r in self.bins[b].movable if c in self.fits[r])
            log.append((ref, self._take(ref)))
            self._put(ref, c)

    def _place(self, ref: str) -> bool:
        chain = self._path(self.fits[ref])
        if chain is None:
            return False
        self._shift(chain, [])
        self._put(ref, chain[0])
        return True

    # -- the steps -----------------------------------------------------------------------

    def free(self) -> list[Candidate]:
        return [c for c in self.order if c.ref not in self.where]

    def join_existing(self) -> None:
        for c in self.free():
            for b in self.fits[c.ref]:
                if self.bins[b].group_id is not None and self._spare(b) > 0:
                    self._put(c.ref, b)
                    break

    def open_greedy(self) -> None:
        """A new group where most free people share a slot set, until none has enough."""
        fitting: dict[int, list[str]] = {b: [] for b in self.pair_bin.values()}
        cover: Counter[int] = Counter()
        for c in self.free():
            for b in self.fits[c.ref]:
                if b in fitting:
                    fitting[b].append(c.ref)
                    cover[b] += 1
        while True:
            best = max(
                (b for b, n in cover.items() if n >= self.lo),
                key=lambda b: (cover[b], self.bins[b].slots),
                default=None,
            )
            if best is None:
                return
            if not self.room(self.bins[best].slots):  # staff only get busier here
                del cover[best]
                continue
            self._grow(best)
            chosen = [r for r in fitting[best] if r not in self.where][: self.hi]
            for ref in chosen:
                self._put(ref, best)
                for b in self.fits[ref]:
                    if b in fitting:
                        cover[b] -= 1

    def _grow(self, b: int) -> None:
        bin_ = self.bins[b]
        bin_.groups += 1
        bin_.lo, bin_.hi = self.lo * bin_.groups, self.hi * bin_.groups
        self.use(bin_.slots, 1)

    def _shrink(self, b: int) -> None:
        bin_ = self.bins[b]
        bin_.groups -= 1
        bin_.lo, bin_.hi = self.lo * bin_.groups, self.hi * bin_.groups
        self.use(bin_.slots, -1)

    def place_free(self) -> None:
        """Each free person into a bin with room, else a new group with free people who
        share its slot set and members other bins can spare."""
        for c in self.free():
            if c.ref not in self.where and not self._place(c.ref):
                self._open_with(c.ref)

    def _open_with(self, ref: str) -> bool:
        for b in self.fits[ref]:
            bin_ = self.bins[b]
            if bin_.group_id is not None or not self.room(bin_.slots):
                continue
            others = [c.ref for c in self.free() if c.ref != ref and b in self.fits[c.ref]]
            others = others[: self.hi - 1]
            pulls: list[str] = []
            for c, source in enumerate(self.bins):
                spare = source.size - source.lo
                if c == b or spare <= 0 or not self.edges[c].get(b):
                    continue
                fit = [r for r in source.movable if b in self.fits[r]]
                pulls += fit[: min(spare, self.lo - 1 - len(others) - len(pulls))]
                if 1 + len(others) + len(pulls) >= self.lo:
                    break
            if 1 + len(others) + len(pulls) < self.lo:
                continue
            self._grow(b)
            for r in pulls:
                self._take(r)
            for r in [ref, *others, *pulls]:
                self._put(r, b)
            return True
        return False

    def close_groups(self) -> None:
        """Close new groups whose members fit elsewhere, fewest to move first."""
        failed: set[tuple[int, int]] = set()
        while True:
            todo = sorted(
                (self.bins[b].size - self.hi * (self.bins[b].groups - 1), b)
                for b in self.pair_bin.values()
                if self.bins[b].groups and (b, self.bins[b].size) not in failed
            )
            for excess, b in todo:
                if self._close(b, excess):
                    break
                failed.add((b, self.bins[b].size))
            else:
                return

    def _close(self, b: int, excess: int) -> bool:
        log: list[tuple[str, int]] = []
        bin_ = self.bins[b]
        bin_.hi -= self.hi  # no room here while closing
        for _ in range(excess):
            chain = self._path(list(self.edges[b]), banned=b)
            if chain is None:
                bin_.hi += self.hi
                for ref, origin in reversed(log):
                    self._take(ref)
                    self._put(ref, origin)
                return False
            ref = next(r for r in bin_.movable if chain[0] in self.fits[r])
            self._shift(chain, log)
            log.append((ref, self._take(ref)))
            self._put(ref, chain[0])
        bin_.hi += self.hi
        self._shrink(b)
        return True
