"""Ramp-up per participant (issue 16 item 7): the deployment's profile is the default, and a
planner can slow one participant down. A pace of 150 makes every phase last half as long
again (the phase that starts in route week 9 starts in week 13); sessions and their length
per phase stay the profile's, so the variety the profile was checked for still holds."""

from __future__ import annotations

from math import ceil

from zroute_planning.domain.errors import InvalidRequest
from zroute_planning.domain.rules import Phase, PlanningRules

DEFAULT_PACE = 100
SLOWEST_PACE = 400


def check_pace(pace_percent: int) -> None:
    """A pace slows down (100 is the profile), up to four times as slow."""
    if not DEFAULT_PACE <= pace_percent <= SLOWEST_PACE:
        raise InvalidRequest(
            f"a ramp-up pace is between {DEFAULT_PACE} and {SLOWEST_PACE} percent of the profile"
        )


def paced_phases(phases: tuple[Phase, ...], pace_percent: int) -> tuple[Phase, ...]:
    """The profile's phases with their start weeks stretched by ``pace_percent``."""
    return tuple(
        p.model_copy(update={"from_week": 1 + ceil((p.from_week - 1) * pace_percent / 100)})
        for p in phases
    )


def rules_at_pace(rules: PlanningRules, pace_percent: int | None) -> PlanningRules:
    """The rules for one participant: the deployment's, with the phases at their pace."""
    if pace_percent is None or pace_percent == DEFAULT_PACE:
        return rules
    return rules.model_copy(update={"phases": paced_phases(rules.phases, pace_percent)})
