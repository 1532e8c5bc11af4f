"""The group solver keeps every hard rule on generated cohorts, and misses no grouping
with fewer groups on small cases (compared with brute force)."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zroute_contract.events.codes import LevelBand, WaitReason
from zroute_planning.domain.greedy import greedy_groups
from zroute_planning.domain.grouping import (
    Candidate,
    Capacity,
    ExistingGroup,
    violations,
)
from zroute_planning.domain.solver import SolverOptions, form_groups

from tests.planning.unit.cohorts import ALL_SLOTS, cohort

FAST = SolverOptions(seconds_per_solve=2.0, workers=1)
RULES = {"min_size": 3, "max_size": 8, "sessions_per_week": 2}


@pytest.mark.parametrize(("n", "seed"), [(150, 1), (300, 2), (500, 3)])
def test_every_group_of_a_generated_cohort_keeps_every_hard_rule(n, seed):
    people = cohort(n, seed)
    options = SolverOptions(seconds_per_solve=1.0, workers=1, chunk_size=120)
    result = form_groups(people, options)
    assert violations(result, people, **RULES) == []
    assert result.placed >= greedy_groups(people, **RULES).placed * 0.95


def test_staff_capacity_bounds_the_groups_per_slot():
    people = cohort(200, 4)
    options = SolverOptions(seconds_per_solve=1.0, workers=1, capacity=Capacity(2, 1))
    result = form_groups(people, options)
    assert violations(result, people, **RULES) == []
    per_slot: dict = {}
    for group in result.groups:
        for slot in group.slots:
            per_slot.setdefault(slot, []).append(group.band)
    for bands in per_slot.values():
        assert len(bands) <= 2
        assert bands.count(LevelBand.ALPHA) <= 1


def _best_by_brute_force(people: list[Candidate], k: int) -> tuple[int, int]:
    """(most placed, fewest groups for that) over every valid grouping."""
    best = (0, 0)

    def valid(block: tuple[Candidate, ...]) -> bool:
        if not 3 <= len(block) <= 8 or len({c.band for c in block}) != 1:
            return False
        return len(frozenset.intersection(*(c.slots for c in block))) >= k

    def search(rest: list[Candidate], placed: int, groups: int) -> None:
        nonlocal best
        if (placed, -groups) > (best[0], -best[1]):
            best = (placed, groups)
        if not rest:
            return
        first, others = rest[0], rest[1:]
        search(others, placed, groups)  # first waits
        for size in range(2, min(7, len(others)) + 1):
            for mates in combinations(others, size):
                block = (first, *mates)
                if valid(block):
                    left = [c for c in others if c not in mates]
                    search(left, placed + len(block), groups + 1)

    search(people, 0, 0)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_no_valid_grouping_with_fewer_groups_is_missed_on_small_cases(seed):
    rng = random.Random(seed)
    slots = ALL_SLOTS[:4]
    people = [
        Candidate(
            f"p{i}",
            rng.choice([LevelBand.A0, LevelBand.A1]),
            frozenset(rng.sample(slots, rng.randint(2, 4))),
        )
        for i in range(rng.randint(6, 11))
    ]
    result = form_groups(people, FAST)
    assert violations(result, people, **RULES) == []
    assert (result.placed, len(result.groups)) == _best_by_brute_force(people, 2)


def test_existing_groups_keep_their_members_and_slots_and_take_newcomers():
    people = cohort(60, 5)
    first = form_groups(people, FAST)
    existing = [
        ExistingGroup(f"g{i}", g.band, g.slots, g.members) for i, g in enumerate(first.groups)
    ]
    newcomers = cohort(30, 6)
    newcomers = [Candidate("n" + c.ref, c.band, c.slots, 0) for c in newcomers]
    second = form_groups(people + newcomers, FAST, existing)
    assert violations(second, people + newcomers, **RULES, existing=existing) == []
    by_id = {g.group_id: g for g in second.groups if g.group_id}
    for old in existing:
        assert set(old.members) <= set(by_id[old.group_id].members)


def test_a_group_that_lost_members_is_kept_when_a_newcomer_can_fill_it():
    slots = frozenset(ALL_SLOTS[:2])
    stay = [Candidate(f"s{i}", LevelBand.A1, slots) for i in range(2)]
    newcomer = Candidate("new", LevelBand.A1, slots)
    existing = [ExistingGroup("g1", LevelBand.A1, tuple(sorted(slots)), ("s0", "s1", "gone"))]
    result = form_groups([*stay, newcomer], FAST, existing)
    assert [(g.group_id, g.members) for g in result.groups] == [("g1", ("new", "s0", "s1"))]


def test_waiting_reasons_say_why_nobody_fits():
    a, b = ALL_SLOTS[0], ALL_SLOTS[1]
    lonely = [Candidate("b1", LevelBand.B1, frozenset({a, b}))]
    apart = [
        Candidate(f"x{i}", LevelBand.A2, frozenset({ALL_SLOTS[2 * i], ALL_SLOTS[2 * i + 1]}))
        for i in range(3)
    ]
    result = form_groups(lonely + apart, FAST)
    reasons = {w.ref: w.reason for w in result.waiting}
    assert reasons == {
        "b1": WaitReason.TOO_FEW_AT_LEVEL,
        "x0": WaitReason.NO_AVAILABILITY_OVERLAP,
        "x1": WaitReason.NO_AVAILABILITY_OVERLAP,
        "x2": WaitReason.NO_AVAILABILITY_OVERLAP,
    }


def test_staff_are_never_in_two_groups_at_once_and_alpha_groups_get_an_assistant():
    from zroute_planning.domain.staffing import assign_staff

    mon, tue = ALL_SLOTS[0], ALL_SLOTS[3]
    busy_t: dict = {}
    busy_a: dict = {}
    staff = {
        "teachers": ("t1", "t2"),
        "assistants": ("s1",),
        "assistant_bands": (LevelBand.ALPHA,),
        "busy_teachers": busy_t,
        "busy_assistants": busy_a,
    }
    assert assign_staff((mon, tue), LevelBand.ALPHA, **staff) == ("t1", "s1")
    assert assign_staff((mon,), LevelBand.A1, **staff) == ("t2", None)
    assert assign_staff((mon,), LevelBand.A1, **staff) is None  # both teach on monday
    assert assign_staff((tue,), LevelBand.ALPHA, **staff) is None  # the assistant is taken


@st.composite
def cohorts_with_groups(draw):
    slots = ALL_SLOTS[:6]
    size = draw(st.integers(0, 40))
    people = [
        Candidate(
            f"p{i}",
            draw(st.sampled_from([LevelBand.ALPHA, LevelBand.A1])),
            frozenset(draw(st.sets(st.sampled_from(slots), min_size=1, max_size=6))),
            draw(st.integers(0, 200)),
        )
        for i in range(size)
    ]
    existing = []
    for gi in range(draw(st.integers(0, 3))):
        band = draw(st.sampled_from([LevelBand.ALPHA, LevelBand.A1]))
        group_slots = tuple(sorted(draw(st.sets(st.sampled_from(slots), min_size=2, max_size=2))))
        fits = [c.ref for c in people if c.band == band and set(group_slots) <= c.slots]
        taken = {m for g in existing for m in g.members}
        members = [r for r in fits if r not in taken][: draw(st.integers(1, 8))]
        if members:
            existing.append(ExistingGroup(f"g{gi}", band, group_slots, tuple(members)))
    return people, existing


@settings(max_examples=40, deadline=None)
@given(cohorts_with_groups(), st.integers(4, 12))
def test_any_cohort_with_any_existing_groups_gets_a_solution_keeping_every_hard_rule(
    case, chunk_size
):
    people, existing = case
    options = SolverOptions(seconds_per_solve=0.5, workers=1, chunk_size=chunk_size)
    result = form_groups(people, options, existing)
    assert violations(result, people, **RULES, existing=existing) == []
    kept = {g.group_id: g for g in result.groups if g.group_id}
    for old in existing:  # a group that still has 3 members stays, members kept
        if len(old.members) >= 3:
            assert set(old.members) <= set(kept[old.group_id].members)
