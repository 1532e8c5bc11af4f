"""Request bodies of the PIP endpoints: strict, codes and numbers and dates only."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from zroute_contract.events.codes import Route, RouteReason
from zroute_contract.types import ReasonCode

from zroute_intake.domain import term
from zroute_intake.domain.pip import (
    AmendmentReason,
    ExamPart,
    ObjectionOutcome,
    ObjectionStage,
    PipContent,
)
from zroute_intake.domain.pip_case import DeadlineStart
from zroute_intake.entrypoints.requests import Body, Distinct

Hours = float


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
