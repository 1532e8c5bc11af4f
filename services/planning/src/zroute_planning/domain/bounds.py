"""Proven bounds for group formation that respect availability. Pure functions, no I/O.

The solver maximises the people placed, then minimises the groups. For one level band:

* *most placed*: only someone with a slot set that at least ``min_size`` band members
  share can be in a group, so the count of those is an upper bound on the placed;
* *fewest groups*: the best solution places at least as many as any solution at hand
  (``placed``), so it needs at least ``ceil(placed / max_size)`` groups. When ``placed``
  reaches *most placed*, everybody who can be placed is placed, and the people who share
  a slot set with enough others in one slot set only (``forced``) must meet there:
  at least ``ceil(forced_s / max_size)`` groups in each such slot set ``s``, and the
  rest need groups of their own.

Bands are independent, so the bounds of a cohort are the sums over its bands. The naive
bound, ``ceil(n_band / max_size)`` summed, ignores availability and is not a bound when
someone cannot be placed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from zroute_planning.domain.grouping import Candidate, Grouping, SlotSet, slot_sets


@dataclass(frozen=True)
class Bounds:
    naive_groups: int  # sum over bands of ceil(n_band / max_size); ignores availability
    most_placed: int  # no solution places more
    fewest_groups: int  # the best solution has at least this many groups


def band_bounds(
    members: Sequence[Candidate], placed: int, min_size: int, max_size: int, k: int
) -> Bounds:
    """Bounds for one band, given that a solution placing ``placed`` of ``members`` exists."""
    own = {c.ref: slot_sets(c.slots, k) for c in members}
    cover: Counter[SlotSet] = Counter(s for sets in own.values() for s in sets)
    usable = {ref: [s for s in sets if cover[s] >= min_size] for ref, sets in own.items()}
    most = sum(1 for sets in usable.values() if sets)
    fewest = math.ceil(placed / max_size)
    if placed >= most:
        forced = Counter(sets[0] for sets in usable.values() if len(sets) == 1)
        groups = sum(math.ceil(n / max_size) for n in forced.values())
        rest = most - max_size * groups
        fewest = max(fewest, groups + math.ceil(max(0, rest) / max_size))
    return Bounds(math.ceil(len(members) / max_size), most, fewest)


def bounds(
    candidates: Sequence[Candidate],
    grouping: Grouping,
    *,
    min_size: int,
    max_size: int,
    sessions_per_week: int,
) -> Bounds:
    """The bounds of a cohort, taking ``grouping`` as the solution at hand."""
    by_band: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_band[c.band].append(c)
    placed_in: Counter[str] = Counter(g.band for g in grouping.groups for _ in g.members)
    parts = [
        band_bounds(members, placed_in[band], min_size, max_size, sessions_per_week)
        for band, members in sorted(by_band.items())
    ]
    return Bounds(
        sum(p.naive_groups for p in parts),
        sum(p.most_placed for p in parts),
        sum(p.fewest_groups for p in parts),
    )
