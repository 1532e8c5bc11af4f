"""Response bodies of the PIP endpoints: the decision, its deadline and the term."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from zroute_intake.domain import pip_deadline
from zroute_intake.domain.pip import Objection, PipContent, PipVersion
from zroute_intake.domain.pip_case import PipCase, PipChange
from zroute_intake.domain.term import Extension, Release, Term


class DeadlineOut(BaseModel):
    duo_notice_on: date | None = Field(description="DUO's notice; null: the clock has not started.")
    brp_registered_on: date | None
    due_on: date | None = Field(description="Null while awaited information holds the clock.")
    state: pip_deadline.DeadlineState | None = Field(
        description="running, due_soon, paused, overdue; met or late once established."
    )
    information_waits: list[pip_deadline.InformationWait]


class TermOut(BaseModel):
    start: date = Field(description="The day after the first PIP's date (W 11).")
    end: date = Field(description="The end as it stands, with DUO's extensions.")
    original_end: date
    extended: bool
    ended_on: date | None = Field(description="The day a release or exemption ended it.")
    days_left: int

    @classmethod
    def of(cls, current: Term, today: date) -> TermOut:
        return cls(
            start=current.start,
            end=current.end,
            original_end=current.original_end,
            extended=current.extended,
            ended_on=current.ended_on,
            days_left=current.days_left(today),
        )


class PipOut(BaseModel):
    """A participant's PIP: draft, established versions, objections, deadline, term."""

    participant_ref: str
    version: int = Field(description="The PIP case's version, also its ETag.")
    draft: PipContent | None
    current: PipVersion | None = Field(description="The decision in force.")
    versions: list[PipVersion]
    objections: list[Objection]
    deadline: DeadlineOut
    term: TermOut | None = Field(description="Null until the PIP is established.")
    extensions: list[Extension] = Field(description="DUO's extensions as recorded.")
    release: Release | None = Field(description="DUO's exemption or release as recorded.")
    changes: list[PipChange] = Field(default=[], description="Who changed what, and when.")

    @classmethod
    def of(
        cls,
        case: PipCase,
        today: date,
        rules: pip_deadline.DeadlineRules,
        changes: list[PipChange] | None = None,
    ) -> PipOut:
        start = case.deadline_start
        current_term = case.term()
        return cls(
            participant_ref=case.participant_ref,
            version=case.version,
            draft=case.decision.draft,
            current=case.decision.current,
            versions=case.decision.versions,
            objections=case.decision.objections,
            deadline=DeadlineOut(
                duo_notice_on=start.duo_notice_on if start else None,
                brp_registered_on=start.brp_registered_on if start else None,
                due_on=case.due_on(rules),
                state=case.deadline_state(today, rules),
                information_waits=case.waits,
            ),
            term=TermOut.of(current_term, today) if current_term else None,
            extensions=case.extensions,
            release=case.release,
            changes=changes or [],
        )
