"""A simple greedy grouping: the baseline the solver is measured against, and its hint.

Per level band, again and again: take the slot set most still-unplaced participants
are free in, and fill one group from them (longest waiting first), until no slot set
has enough people for a group. It keeps every hard rule, but never looks ahead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from zroute_planning.domain.grouping import (
    Candidate,
    FormedGroup,
    Grouping,
    SlotSet,
    Waiting,
    slot_set_cover,
    slot_sets,
    wait_reason,
)


def greedy_groups(
    candidates: Sequence[Candidate], *, min_size: int, max_size: int, sessions_per_week: int
) -> Grouping:
    """Greedy groups and waiting list for ``candidates`` (no existing groups)."""
    result = Grouping()
    by_band: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_band[candidate.band].append(candidate)
    for band_members in by_band.values():
        groups, rest = _band(band_members, min_size, max_size, sessions_per_week)
        result.groups += groups
        opened = [g.slots for g in groups if len(g.members) < max_size]
        cover = slot_set_cover(band_members, sessions_per_week)
        for c in rest:
            reason = wait_reason(
                c,
                band_members,
                opened,
                min_size=min_size,
                sessions_per_week=sessions_per_week,
                cover=cover,
            )
            result.waiting.append(Waiting(c.ref, c.band, reason))
    return result


def _band(
    members: Sequence[Candidate], min_size: int, max_size: int, k: int
) -> tuple[list[FormedGroup], list[Candidate]]:
    cover: Counter[SlotSet] = Counter()
    fits: dict[SlotSet, set[str]] = defaultdict(set)
    sets_of: dict[str, list[SlotSet]] = {}
    for c in members:
        sets_of[c.ref] = slot_sets(c.slots, k)
        for s in sets_of[c.ref]:
            cover[s] += 1
            fits[s].add(c.ref)
    order = {c.ref: (-c.waited_days, c.ref) for c in members}
    by_ref = {c.ref: c for c in members}
    unplaced = set(by_ref)
    groups: list[FormedGroup] = []
    while cover:
        best, count = max(cover.items(), key=lambda item: (item[1], item[0]))
        if count < min_size:
            break
        chosen = sorted(fits[best], key=order.__getitem__)[:max_size]
        groups.append(FormedGroup(by_ref[chosen[0]].band, best, tuple(sorted(chosen))))
        for ref in chosen:
            unplaced.discard(ref)
            for s in sets_of[ref]:
                cover[s] -= 1
                fits[s].discard(ref)
                if cover[s] == 0:
                    del cover[s]
    return groups, [by_ref[r] for r in sorted(unplaced)]
