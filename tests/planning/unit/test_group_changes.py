"""Groups by hand (issue 16 item 6): L11's invariants before a change by hand."""

from __future__ import annotations

from zroute_contract.events.codes import LevelBand
from zroute_planning.domain.group_changes import (
    GroupFacts,
    MemberFacts,
    add_problems,
    exclude_problems,
    move_problems,
)
from zroute_planning.domain.rules import GroupRules

RULES = GroupRules()
SLOTS = (("monday", "morning"), ("thursday", "morning"))
FREE = frozenset(SLOTS) | {("friday", "afternoon")}


def _group(n: int, band: LevelBand = LevelBand.A1, slots=SLOTS) -> GroupFacts:
    return GroupFacts(band, slots, tuple(f"zr-{i}" for i in range(n)))


def _member(band: LevelBand = LevelBand.A1, free=FREE) -> MemberFacts:
    return MemberFacts("zr-new", band, frozenset(free))


def test_a_member_joins_only_a_group_of_their_band_free_in_every_slot_with_room():
    assert add_problems(_group(4), _member(), RULES) == []
    assert add_problems(_group(8), _member(), RULES) == ["the group is full (8 members)"]
    [band] = add_problems(_group(4), _member(LevelBand.B1), RULES)
    assert "level band b1" in band
    [busy] = add_problems(_group(4), _member(free={("monday", "morning")}), RULES)
    assert "not free on thursday morning" in busy
    everything = add_problems(_group(8), _member(LevelBand.B1, free=()), RULES)
    assert len(everything) == 3  # every reason at once


def test_no_exclusion_takes_a_group_below_three():
    assert exclude_problems(_group(4), "zr-0", RULES) == []
    [below] = exclude_problems(_group(3), "zr-0", RULES)
    assert "dissolve it instead" in below
    assert exclude_problems(_group(4), "zr-x", RULES) == ["zr-x is not a member of this group"]


def test_a_move_checks_both_groups():
    source, target = _group(4), GroupFacts(LevelBand.A1, SLOTS, ("zr-a", "zr-b", "zr-c"))
    mover = MemberFacts("zr-0", LevelBand.A1, FREE)
    assert move_problems(source, target, mover, RULES) == []
    full = GroupFacts(LevelBand.A1, SLOTS, tuple(f"zr-f{i}" for i in range(8)))
    assert move_problems(_group(3), full, mover, RULES) == [
        "the group would have fewer than 3 members: dissolve it instead",
        "the group is full (8 members)",
    ]
