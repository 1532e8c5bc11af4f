"""The PIP as a versioned decision (W 15, 17; B 5.3, 3.14(7))."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from zroute_contract.events.codes import Route, RouteReason
from zroute_intake.domain.errors import Conflict, InvalidRequest
from zroute_intake.domain.pip import (
    AmendmentReason,
    ExamPart,
    ObjectionOutcome,
    ObjectionStage,
    Pip,
    PipContent,
)

CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.LITERACY,
    support=("social_guidance",),
    pvt_hours_per_week=2,
    map_hours_per_week=2,
    route_hours_per_week=12,
    progress_meetings=4,
    exam_wish=(ExamPart.KNM,),
)
DATED = date(2027, 3, 10)
TERM_START = date(2027, 3, 11)


def established() -> Pip:
    pip = Pip("zr-1")
    pip.prepare(CONTENT)
    pip.establish(DATED, "cw-1")
    return pip


def test_establishing_fixes_the_first_date_and_clears_the_draft():
    pip = established()
    assert pip.first_dated == DATED
    assert pip.current is not None and pip.current.number == 1 and pip.current.reason is None
    assert pip.draft is None


def test_content_that_breaks_the_rules_is_refused_with_every_reason():
    bad = replace(CONTENT, progress_meetings=0, route=Route.B1_ROUTE, map_hours_per_week=-1)
    with pytest.raises(InvalidRequest) as refused:
        Pip("zr-1").prepare(bad)
    assert "progress_meetings" in refused.value.reason
    assert "map_hours_per_week" in refused.value.reason
    assert "exam_wish" in refused.value.reason


def test_a_second_establishment_is_refused_and_an_amendment_needs_changed_content():
    pip = established()
    pip.prepare(CONTENT)
    with pytest.raises(Conflict):
        pip.establish(date(2027, 4, 1), "cw-1")
    with pytest.raises(InvalidRequest, match="changed content"):
        pip.amend(date(2027, 4, 1), "cw-1", AmendmentReason.PROGRESS_MEETING, term_start=TERM_START)


def test_an_amendment_after_a_progress_meeting_is_a_new_version_and_keeps_the_first_date():
    pip = established()
    pip.prepare(replace(CONTENT, progress_meetings=5))
    version = pip.amend(
        date(2027, 9, 1), "cw-2", AmendmentReason.PROGRESS_MEETING, term_start=TERM_START
    )
    assert version.number == 2 and version.reason is AmendmentReason.PROGRESS_MEETING
    assert pip.first_dated == DATED


def test_a_route_switch_is_possible_within_18_months_only():
    pip = established()
    other = replace(
        CONTENT,
        route=Route.B1_ROUTE,
        route_reason=RouteReason.LEARNABILITY_SUFFICIENT,
        exam_wish=(),
    )
    pip.prepare(other)
    with pytest.raises(InvalidRequest, match="18 months"):
        pip.amend(date(2028, 9, 11), "cw-1", AmendmentReason.ROUTE_SWITCH, term_start=TERM_START)
    with pytest.raises(InvalidRequest, match="keeps the route"):
        pip.amend(date(2027, 9, 1), "cw-1", AmendmentReason.MOVE, term_start=TERM_START)
    version = pip.amend(
        date(2028, 9, 10), "cw-1", AmendmentReason.ROUTE_SWITCH, term_start=TERM_START
    )
    assert version.content.route is Route.B1_ROUTE


def test_one_objection_at_a_time_and_its_outcome_is_recorded():
    pip = established()
    objection = pip.lodge(ObjectionStage.OBJECTION, date(2027, 4, 1))
    assert objection.against_version == 1
    with pytest.raises(Conflict, match="pending"):
        pip.lodge(ObjectionStage.APPEAL, date(2027, 4, 2))
    with pytest.raises(InvalidRequest):
        pip.decide(ObjectionOutcome.DISMISSED, date(2027, 3, 1))
    decided = pip.decide(ObjectionOutcome.DISMISSED, date(2027, 5, 1))
    assert decided.outcome is ObjectionOutcome.DISMISSED
    appeal = pip.lodge(ObjectionStage.APPEAL, date(2027, 5, 20))
    assert appeal.stage is ObjectionStage.APPEAL
    with pytest.raises(Conflict, match="no decision"):
        Pip("zr-2").lodge(ObjectionStage.OBJECTION, date(2027, 4, 1))
