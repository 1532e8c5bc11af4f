"""Request and response bodies of the PIP endpoints: requests strict, codes and numbers and
dates only; responses the decision, its deadline and the term."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field
from zroute_contract.events.codes import Route, RouteReason
from zroute_contract.events.parts import Hours as LedgerHours
from zroute_contract.types import ReasonCode

from zroute_intake.domain import hours_norm as hn
from zroute_intake.domain import pip_deadline, term
from zroute_intake.domain.pip import (
    AmendmentReason,
    ExamPart,
    Objection,
    ObjectionOutcome,
    ObjectionStage,
    PipContent,
    PipVersion,
)
from zroute_intake.domain.pip_case import DeadlineStart, PipCase, PipChange
from zroute_intake.domain.term import Extension, Release, Term
from zroute_intake.entrypoints.http.schemas import Body, Distinct

Hours = float


class CreditIn(Body):
    """Hours credited toward one counter (B 3.14(6), (9)-(10); B 5.4(4)(c))."""

    part: hn.NormPart
    hours: LedgerHours = Field(gt=0, description="In quarters of an hour.")
    source: hn.CreditSource

    def to_credit(self) -> hn.Credit:
        return hn.Credit(self.part, self.hours, self.source)


class HoursNormIn(Body):
    """The Z-route's hours norm (B 3.14): 800 course hours (NT2 and KNM) and 800
    participation hours (PVT and MAP within them); course hours only for family and other
    migrants; credited hours; a lower norm for an impairment."""

    category: hn.ParticipantCategory = hn.ParticipantCategory.ASYLUM_PERMIT_HOLDER
    reduction_ground: hn.ReductionGround | None = None
    reduced_course_hours: LedgerHours | None = None
    reduced_participation_hours: LedgerHours | None = None
    credits: list[CreditIn] = Field(default=[], max_length=20)

    def to_norm(self) -> hn.PipNorm:
        return hn.PipNorm(
            category=self.category,
            reduction_ground=self.reduction_ground,
            reduced_course_hours=self.reduced_course_hours,
            reduced_participation_hours=self.reduced_participation_hours,
            credits=tuple(c.to_credit() for c in self.credits),
        )


class PipContentIn(Body):
    """The PIP's content (W 15; B 5.3(4), 3.14(7)), in codes and numbers."""

    route: Route
    route_reason: RouteReason
    support: Distinct[ReasonCode] = Field(
        default=[], max_length=20, description="Support and guidance, as codes."
    )
    pvt_hours_per_week: Hours = Field(ge=0, le=60, description="PVT intensity.")
    map_hours_per_week: Hours = Field(ge=0, le=60, description="MAP intensity.")
    route_hours_per_week: Hours = Field(ge=0, le=60, description="Route intensity.")
    progress_meetings: int = Field(ge=1, le=100, description="Progress meetings the PIP fixes.")
    early_childhood_agreements: Distinct[ReasonCode] = Field(default=[], max_length=20)
    participatiewet_decisions: Distinct[ReasonCode] = Field(
        default=[], max_length=20, description="Attached decisions, e.g. ontzorgen_56a."
    )
    exam_wish: Distinct[ExamPart] = Field(
        default=[], description="Z-route only, when the college judges the participant able."
    )
    hours_norm: HoursNormIn | None = Field(
        default=None,
        description="Z-route only; absent: the full norm of an asylum permit holder.",
    )

    def to_content(self) -> PipContent:
        return PipContent(
            route=self.route,
            route_reason=self.route_reason,
            support=tuple(self.support),
            pvt_hours_per_week=self.pvt_hours_per_week,
            map_hours_per_week=self.map_hours_per_week,
            route_hours_per_week=self.route_hours_per_week,
            progress_meetings=self.progress_meetings,
            early_childhood_agreements=tuple(self.early_childhood_agreements),
            participatiewet_decisions=tuple(self.participatiewet_decisions),
            exam_wish=tuple(self.exam_wish),
            hours_norm=self.hours_norm.to_norm() if self.hours_norm else None,
        )


class EstablishmentIn(Body):
    dated: date = Field(description="The decision's date (dagtekening); not after today.")


class AmendmentIn(Body):
    dated: date = Field(description="The new version's date; not before the current one.")
    reason: AmendmentReason


class ObjectionIn(Body):
    stage: ObjectionStage
    lodged_on: date


class ObjectionOutcomeIn(Body):
    outcome: ObjectionOutcome
    decided_on: date


class DeadlineStartIn(Body):
    duo_notice_on: date = Field(description="DUO's notice that the person must integrate.")
    brp_registered_on: date | None = Field(
        default=None, description="Registration in the municipality's BRP, when after the notice."
    )

    def to_start(self) -> DeadlineStart:
        return DeadlineStart(self.duo_notice_on, self.brp_registered_on)


class InformationRequestIn(Body):
    requested_on: date = Field(description="The day information was asked of a third party.")


class InformationArrivalIn(Body):
    received_on: date


class ExtensionIn(Body):
    """DUO's extension of the term, as DUO decided it (W 12)."""

    ground: term.ExtensionGround
    decided_on: date
    new_end: date

    def to_extension(self) -> term.Extension:
        return term.Extension(self.ground, self.decided_on, self.new_end)


class ReleaseIn(Body):
    """DUO's exemption (W 4) or release (W 5), as DUO decided it."""

    kind: term.ReleaseKind
    decided_on: date
    effective_on: date

    def to_release(self) -> term.Release:
        return term.Release(self.kind, self.decided_on, self.effective_on)


# -- responses --------------------------------------------------------------------------


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
