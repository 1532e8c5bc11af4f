"""Groups by hand (issue 16 item 6): a planner adds, excludes or moves a member, or
dissolves a group, with a reason, and L11's invariants are checked first: 3 to 8 members
(``GroupRules.min_size``/``max_size``), one level band, every group slot free for every
member. Each check returns every problem at once, as reasons a planner can act on."""

from __future__ import annotations

from dataclasses import dataclass

from zroute_contract.events.codes import LevelBand

from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.rules import GroupRules


@dataclass(frozen=True)
class GroupFacts:
    """What the checks need of a group: its band, its slots and its members."""

    band: LevelBand
    slots: tuple[Slot, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class MemberFacts:
    """What the checks need of a participant: band and free slots."""

    ref: str
    band: LevelBand
    availability: frozenset[Slot]


def add_problems(group: GroupFacts, member: MemberFacts, rules: GroupRules) -> list[str]:
    """Why ``member`` may not join ``group`` (none: they may)."""
    found = []
    if member.ref in group.members:
        found.append(f"{member.ref} is already a member")
    if member.band != group.band:
        found.append(f"{member.ref} is at level band {member.band}, the group at {group.band}")
    busy = sorted(set(group.slots) - member.availability)
    if busy:
        found.append(f"{member.ref} is not free on " + ", ".join(f"{d} {p}" for d, p in busy))
    if len(group.members) + 1 > rules.max_size:
        found.append(f"the group is full ({rules.max_size} members)")
    return found


def exclude_problems(group: GroupFacts, ref: str, rules: GroupRules) -> list[str]:
    """Why ``ref`` may not leave ``group`` by hand (a group below the minimum is dissolved
    instead, so that its members are placed again)."""
    if ref not in group.members:
        return [f"{ref} is not a member of this group"]
    if len(group.members) - 1 < rules.min_size:
        return [f"the group would have fewer than {rules.min_size} members: dissolve it instead"]
    return []


def move_problems(
    source: GroupFacts, target: GroupFacts, member: MemberFacts, rules: GroupRules
) -> list[str]:
    """Why ``member`` may not move from ``source`` to ``target``."""
    if source == target:
        return ["the member is already in that group"]
    return exclude_problems(source, member.ref, rules) + add_problems(target, member, rules)
