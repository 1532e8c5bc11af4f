"""Group formation at scale: the proven bounds hold, the solver never places fewer than the
greedy baseline, and a second run on its own groups keeps them."""

from __future__ import annotations

import random

import pytest
from zroute_contract.events.codes import LevelBand
from zroute_planning.domain.bounds import bounds
from zroute_planning.domain.greedy import greedy_groups
from zroute_planning.domain.grouping import (
    Candidate,
    Capacity,
    ExistingGroup,
    Grouping,
    slot_set_cover,
    violations,
    wait_reason,
)
from zroute_planning.domain.solver import SolverOptions, form_groups

from tests.planning.unit.cohorts import ALL_SLOTS, cohort
from tests.planning.unit.test_group_solver import _best_by_brute_force

RULES = {"min_size": 3, "max_size": 8, "sessions_per_week": 2}
PACKING = SolverOptions(seconds_per_solve=0.5, workers=1, chunk_size=8)  # no CP-SAT for n > 8
EXACT = SolverOptions(seconds_per_solve=2.0, workers=1)


def _small_case(seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    slots = ALL_SLOTS[:5]
    return [
        Candidate(
            f"p{i}",
            rng.choice([LevelBand.A0, LevelBand.A1]),
            frozenset(rng.sample(slots, rng.randint(2, 3))),
        )
        for i in range(rng.randint(6, 11))
    ]


@pytest.mark.parametrize("seed", range(16))
def test_the_proven_bounds_never_pass_the_brute_force_optimum(seed):
    people = _small_case(seed)
    most, fewest = _best_by_brute_force(people, 2)
    for options in (EXACT, PACKING):
        result = form_groups(people, options)
        found = bounds(people, result, **RULES)
        assert found.most_placed >= most
        assert found.fewest_groups <= fewest
        assert found.fewest_groups <= len(result.groups)


def test_the_bound_counts_groups_availability_forces_apart():
    people = [
        Candidate(f"{pair}{i}", LevelBand.A1, frozenset(ALL_SLOTS[2 * pair : 2 * pair + 2]))
        for pair in range(3)
        for i in range(3)
    ]
    result = form_groups(people, PACKING)
    found = bounds(people, result, **RULES)
    assert (found.naive_groups, found.most_placed, found.fewest_groups) == (2, 9, 3)
    assert (result.placed, len(result.groups)) == (9, 3) == _best_by_brute_force(people, 2)


def test_nobody_who_shares_no_slots_with_enough_others_counts_as_placeable():
    apart = [
        Candidate(f"x{i}", LevelBand.A2, frozenset(ALL_SLOTS[2 * i : 2 * i + 2])) for i in range(3)
    ]
    found = bounds(apart, Grouping(), **RULES)
    assert (found.naive_groups, found.most_placed, found.fewest_groups) == (1, 0, 0)


@pytest.mark.parametrize(("n", "seed"), [(40, 1), (150, 2), (400, 3), (1200, 4)])
@pytest.mark.parametrize("options", [PACKING, EXACT], ids=["packing", "cp-sat"])
def test_never_fewer_placed_than_greedy_in_any_band(n, seed, options):
    people = cohort(n, seed)
    result = form_groups(people, options)
    greedy = greedy_groups(people, **RULES)
    assert violations(result, people, **RULES) == []
    for band in LevelBand:
        ours = sum(len(g.members) for g in result.groups if g.band == band)
        theirs = sum(len(g.members) for g in greedy.groups if g.band == band)
        assert ours >= theirs, band
    found = bounds(people, result, **RULES)
    assert result.placed <= found.most_placed
    assert len(result.groups) >= found.fewest_groups


@pytest.mark.parametrize("options", [PACKING, EXACT], ids=["packing", "cp-sat"])
def test_a_second_run_on_its_own_groups_changes_nothing(options):
    people = cohort(300, 7)
    first = form_groups(people, options)
    existing = [
        ExistingGroup(f"g{i}", g.band, g.slots, g.members) for i, g in enumerate(first.groups)
    ]
    second = form_groups(people, options, existing)
    assert violations(second, people, **RULES, existing=existing) == []
    by_id = {g.group_id: g for g in second.groups if g.group_id}
    for old in existing:  # CP-SAT under a time limit may still place someone who waited
        assert set(old.members) <= set(by_id[old.group_id].members)
    if options is PACKING:
        assert sorted((g.group_id, g.members) for g in second.groups) == sorted(
            (g.group_id, g.members) for g in existing
        )
        assert sorted(w.ref for w in second.waiting) == sorted(w.ref for w in first.waiting)


def test_newcomers_and_leavers_move_nobody_who_stays_and_fits():
    people = cohort(1200, 8)
    first = form_groups(people, PACKING)
    existing = [
        ExistingGroup(f"g{i}", g.band, g.slots, g.members) for i, g in enumerate(first.groups)
    ]
    leavers = {ref for g in existing[::5] for ref in g.members[:2]}
    newcomers = [Candidate("n" + c.ref, c.band, c.slots, 0) for c in cohort(300, 9)]
    now = [c for c in people if c.ref not in leavers] + newcomers
    second = form_groups(now, PACKING, existing)
    assert violations(second, now, **RULES, existing=existing) == []
    by_id = {g.group_id: g for g in second.groups if g.group_id}
    for old in existing:
        stay = set(old.members) - leavers
        if len(stay) >= RULES["min_size"]:
            assert stay <= set(by_id[old.group_id].members)
    assert sum(1 for g in second.groups if g.group_id) >= len(existing) - len(existing[::5])


def test_the_same_cohort_gets_the_same_groups():
    people = cohort(1500, 10)
    first, second = form_groups(people, PACKING), form_groups(list(reversed(people)), PACKING)
    assert sorted((g.slots, g.members) for g in first.groups) == sorted(
        (g.slots, g.members) for g in second.groups
    )


@pytest.mark.parametrize("options", [PACKING, EXACT], ids=["packing", "cp-sat"])
def test_a_meeting_group_of_a_later_band_holds_its_teacher_for_the_earlier_bands(options):
    slots = (ALL_SLOTS[0], ALL_SLOTS[3])
    alpha = [Candidate(f"al{i}", LevelBand.ALPHA, frozenset(slots)) for i in range(3)]
    a0 = [Candidate(f"a0{i}", LevelBand.A0, frozenset(slots)) for i in range(9)]
    existing = [ExistingGroup("g1", LevelBand.ALPHA, slots, tuple(c.ref for c in alpha))]
    one_teacher = SolverOptions(
        seconds_per_solve=options.seconds_per_solve,
        workers=1,
        chunk_size=options.chunk_size,
        capacity=Capacity(teachers=1),
    )
    result = form_groups(alpha + a0, one_teacher, existing)
    assert [(g.group_id, g.band) for g in result.groups] == [("g1", LevelBand.ALPHA)]
    assert sorted(w.ref for w in result.waiting) == sorted(c.ref for c in a0)


def test_wait_reasons_from_a_counted_cover_are_the_same_as_counted_one_by_one():
    people = [c for c in cohort(400, 11) if c.band == LevelBand.A2]
    cover = slot_set_cover(people, 2)
    opened = [(ALL_SLOTS[0], ALL_SLOTS[3])]
    for c in people:
        assert wait_reason(c, people, opened, min_size=3, sessions_per_week=2) == wait_reason(
            c, people, opened, min_size=3, sessions_per_week=2, cover=cover
        )
