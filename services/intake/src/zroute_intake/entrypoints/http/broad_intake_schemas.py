"""Request body of the broad intake's written record (B 5.2), part of the outcome."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from zroute_contract.events.codes import LearnabilityBand, Route
from zroute_contract.types import ReasonCode

from zroute_intake.domain.broad_intake import (
    BroadIntake,
    LearnabilityTest,
    SchoolingLevel,
    SelfReliance,
    Summons,
    TestExemption,
    WorkProspects,
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SummonsIn(_Body):
    summoned_on: date
    respond_by: date = Field(description="The deadline the call set.")
    attended: bool
    after_warning: bool = Field(
        default=False, description="The call followed a written warning about a no-show."
    )


class LearnabilityTestIn(_Body):
    """The test's result and advice, or the exemption ground (W 14(5)-(6))."""

    taken_on: date | None = None
    result: LearnabilityBand | None = None
    advised_route: Route | None = Field(default=None, description="The designated body's advice.")
    exemption: TestExemption | None = None


class BroadIntakeIn(_Body):
    """What B 5.2 asks to record in writing; stays in intake, never on the bus."""

    summonses: list[SummonsIn] = Field(default=[], max_length=5, description="Up to three calls.")
    completed_in_absence: bool = Field(
        default=False, description="After three calls without an answer (W 14(2))."
    )
    learnability_test: LearnabilityTestIn | None = None
    schooling_years: int | None = Field(default=None, ge=0, le=40)
    schooling_level: SchoolingLevel | None = None
    work_experience_years: int | None = Field(default=None, ge=0, le=60)
    work_sectors: list[ReasonCode] = Field(default=[], max_length=10, description="As codes.")
    work_prospects: WorkProspects | None = None
    self_reliance: SelfReliance | None = None
    talks_alone: bool = Field(
        default=False, description="The participant chose to hold the talks alone (B 5.2(2))."
    )

    def to_domain(self) -> BroadIntake:
        test = self.learnability_test
        return BroadIntake(
            summonses=tuple(Summons(**s.model_dump()) for s in self.summonses),
            completed_in_absence=self.completed_in_absence,
            learnability_test=LearnabilityTest(**test.model_dump()) if test else None,
            schooling_years=self.schooling_years,
            schooling_level=self.schooling_level,
            work_experience_years=self.work_experience_years,
            work_sectors=tuple(self.work_sectors),
            work_prospects=self.work_prospects,
            self_reliance=self.self_reliance,
            talks_alone=self.talks_alone,
        )
