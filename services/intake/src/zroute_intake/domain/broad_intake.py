"""What the broad intake records in writing besides the needs (W 14; B 5.2).

The summons log (up to three calls; after a no-show a written warning and a new call;
after the third, completion in the participant's absence, W 14(1)-(2)); the learnability
test's result and advice, or the ground of the exemption from it (W 14(5)-(6));
schooling and work history, work prospects and self-reliance (W 14(3)(b); B 5.2(1));
and whether the participant chose to hold the talks alone (B 5.2(2)). The language
level is the outcome's own field. Codes, numbers and dates only; it stays in intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise

from zroute_contract.events.codes import LearnabilityBand, Route

MAX_SUMMONSES = 3


class TestExemption(StrEnum):
    """Why the college exempted the participant from the learnability test (W 14(6))."""

    VISUAL_IMPAIRMENT = "visual_impairment"
    AUDITORY_IMPAIRMENT = "auditory_impairment"


class SchoolingLevel(StrEnum):
    """The highest schooling followed in the country of origin."""

    NONE = "none"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    HIGHER = "higher"


class WorkProspects(StrEnum):
    """The prospects of taking part in work (B 5.2(1))."""

    NOT_FORESEEN = "not_foreseen"
    LONG_TERM = "long_term"
    WITH_SUPPORT = "with_support"
    SHORT_TERM = "short_term"


class SelfReliance(StrEnum):
    """The degree of self-reliance (*mate van zelfredzaamheid*, B 5.2(1))."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@dataclass(frozen=True)
class Summons:
    """One call to the broad intake, with its deadline, and whether the person came."""

    summoned_on: date
    respond_by: date
    attended: bool
    after_warning: bool = False
    """The call followed a written warning about an earlier no-show (W 14(2))."""


@dataclass(frozen=True)
class LearnabilityTest:
    """The designated body's result and advice (W 14(5)), or the college's exemption."""

    taken_on: date | None = None
    result: LearnabilityBand | None = None
    advised_route: Route | None = None
    exemption: TestExemption | None = None

    def problems(self) -> list[str]:
        if self.exemption is not None:
            if self.result is not None or self.taken_on is not None:
                return ["learnability_test: an exempted participant has no test result"]
            return []
        if self.result is None or self.taken_on is None:
            return ["learnability_test: give taken_on and result, or the exemption ground"]
        return []


@dataclass(frozen=True)
class BroadIntake:
    """The written record B 5.2 asks for, next to the outcome's needs and route."""

    summonses: tuple[Summons, ...] = ()
    completed_in_absence: bool = False
    learnability_test: LearnabilityTest | None = None
    schooling_years: int | None = None
    schooling_level: SchoolingLevel | None = None
    work_experience_years: int | None = None
    work_sectors: tuple[str, ...] = ()
    work_prospects: WorkProspects | None = None
    self_reliance: SelfReliance | None = None
    talks_alone: bool = False
    """The participant chose to hold the talks with the college alone (B 5.2(2))."""

    def problems(self) -> list[str]:
        found = self._summons_problems()
        if self.learnability_test is not None:
            found += self.learnability_test.problems()
        return found

    def _summons_problems(self) -> list[str]:
        calls = self.summonses
        found = []
        if len(calls) > MAX_SUMMONSES:
            found.append(f"summonses: at most {MAX_SUMMONSES} calls (W 14(1)-(2))")
        if any(c.respond_by < c.summoned_on for c in calls):
            found.append("summonses: respond_by is before summoned_on")
        if any(b.summoned_on < a.summoned_on for a, b in pairwise(calls)):
            found.append("summonses: list the calls in the order they were made")
        if any(not a.attended and not b.after_warning for a, b in pairwise(calls)):
            found.append("summonses: a call after a no-show follows a written warning")
        if self.completed_in_absence and (
            len(calls) < MAX_SUMMONSES or any(c.attended for c in calls)
        ):
            found.append(
                "completed_in_absence: only after three calls the participant did not answer"
            )
        return found
