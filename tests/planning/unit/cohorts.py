"""Generated cohorts for the solver tests and the benchmark: mixed levels and availability."""

from __future__ import annotations

import random

from zroute_contract.events.codes import LevelBand
from zroute_planning.domain.grouping import Candidate, Slot

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
DAY_PARTS = ("morning", "afternoon", "evening")
ALL_SLOTS: tuple[Slot, ...] = tuple((d, p) for d in WEEKDAYS for p in DAY_PARTS)
BAND_WEIGHTS = {
    LevelBand.ALPHA: 30,
    LevelBand.A0: 25,
    LevelBand.A1: 25,
    LevelBand.A2: 15,
    LevelBand.B1: 5,
}
PART_WEIGHTS = {"morning": 5, "afternoon": 3, "evening": 1}


def cohort(n: int, seed: int = 1, *, slots: tuple[Slot, ...] = ALL_SLOTS) -> list[Candidate]:
    """``n`` candidates: level bands weighted as in a Z-route intake, 2 to 8 free slots
    each, mornings more often free than evenings."""
    rng = random.Random(seed)
    bands = list(BAND_WEIGHTS)
    weights = [PART_WEIGHTS[p] for _, p in slots]
    people = []
    for i in range(n):
        band = rng.choices(bands, [BAND_WEIGHTS[b] for b in bands])[0]
        free: set[Slot] = set()
        want = rng.randint(2, min(8, len(slots)))
        while len(free) < want:
            free.add(rng.choices(slots, weights)[0])
        people.append(
            Candidate(f"p{i:05d}", band, frozenset(free), waited_days=rng.randint(0, 120))
        )
    return people
