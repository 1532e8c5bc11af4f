"""The PIP's hours norm (issue 15 point 2, B 3.14): intake fills ``hours_norm`` on
``pip-established`` from the PIP content, in the law's structure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from zroute_contract.events.codes import Route, RouteReason
from zroute_contract.events.intake import PipAmended, PipEstablished, PipHoursNorm
from zroute_intake.adapters.report_repo import ParticipantRow
from zroute_intake.domain import report
from zroute_intake.domain.errors import InvalidRequest
from zroute_intake.domain.hours_norm import (
    Credit,
    CreditSource,
    NormPart,
    ParticipantCategory,
    PipNorm,
    ReductionGround,
)
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.pip import AmendmentReason, PipContent
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.service_layer import reports

from tests.intake.unit import fakes

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
TODAY = date(2027, 3, 1)
CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.COMBINED,
    support=(),
    pvt_hours_per_week=2,
    map_hours_per_week=1,
    route_hours_per_week=12,
    progress_meetings=4,
)


def established(content: PipContent) -> PipCase:
    case = PipCase(participant_ref="zr-" + "1" * 32, programme_id="programme-demo")
    case.prepare(content, "caseworker-anna", NOW)
    case.establish(TODAY, "caseworker-anna", NOW, TODAY)
    return case


def test_a_z_route_pip_without_departures_carries_the_full_norm():
    (event,) = established(CONTENT).events
    assert isinstance(event, PipEstablished)
    assert event.hours_norm == PipHoursNorm()  # 800 course + 800 participation, no credits
    norm = CONTENT.norm()
    assert norm is not None
    assert (norm.norm(NormPart.COURSE), norm.norm(NormPart.PARTICIPATION)) == (800, 800)


def test_a_family_migrant_has_course_hours_only():
    norm = PipNorm(category=ParticipantCategory.FAMILY_MIGRANT)
    (event,) = established(replace(CONTENT, hours_norm=norm)).events
    assert event.hours_norm == PipHoursNorm(family_migrant=True)
    assert norm.norm(NormPart.PARTICIPATION) == 0


def test_credits_and_a_reduced_norm_reach_the_event_per_counter():
    norm = PipNorm(
        reduction_ground=ReductionGround.VISUAL_IMPAIRMENT,
        reduced_course_hours=600,
        credits=(
            Credit(NormPart.COURSE, 40, CreditSource.INTAKE),
            Credit(NormPart.PARTICIPATION, 100, CreditSource.PARTICIPATIEWET),
            Credit(NormPart.PARTICIPATION, 20, CreditSource.SOCIAL_GUIDANCE),
        ),
    )
    (event,) = established(replace(CONTENT, hours_norm=norm)).events
    assert event.hours_norm == PipHoursNorm(
        reduced_course_hours=600, credited_course_hours=40, credited_participation_hours=120
    )


def test_an_amendment_carries_the_new_norm():
    case = established(CONTENT)
    norm = PipNorm(credits=(Credit(NormPart.COURSE, 80, CreditSource.SCHOOL),))
    case.prepare(replace(CONTENT, hours_norm=norm), "caseworker-anna", NOW)
    case.amend(TODAY, AmendmentReason.PROGRESS_MEETING, "caseworker-anna", NOW, TODAY)
    event = case.events[-1]
    assert isinstance(event, PipAmended)
    assert event.hours_norm is not None and event.hours_norm.credited_course_hours == 80


def test_another_route_carries_no_z_route_norm():
    content = replace(
        CONTENT, route=Route.B1_ROUTE, route_reason=RouteReason.LEARNABILITY_SUFFICIENT
    )
    (event,) = established(content).events
    assert event.hours_norm is None


@pytest.mark.parametrize(
    ("norm", "reason"),
    [
        (PipNorm(reduced_course_hours=600), "reduction_ground"),
        (PipNorm(reduction_ground=ReductionGround.AUDITORY_IMPAIRMENT), "without a reduced"),
        (
            PipNorm(reduction_ground=ReductionGround.AUDITORY_IMPAIRMENT, reduced_course_hours=900),
            "between 0 and 800",
        ),
        (
            PipNorm(
                category=ParticipantCategory.FAMILY_MIGRANT,
                credits=(Credit(NormPart.PARTICIPATION, 10, CreditSource.INTAKE),),
            ),
            "no participation hours to credit",
        ),
        (
            PipNorm(
                category=ParticipantCategory.OTHER_MIGRANT,
                reduction_ground=ReductionGround.VISUAL_IMPAIRMENT,
                reduced_participation_hours=400,
            ),
            "no participation hours",
        ),
        (PipNorm(credits=(Credit(NormPart.COURSE, 801, CreditSource.SCHOOL),)), "exceed"),
        (PipNorm(credits=(Credit(NormPart.COURSE, 0, CreditSource.SCHOOL),)), "more than 0"),
    ],
)
def test_a_norm_that_breaks_b_3_14_is_refused_with_its_reason(norm, reason):
    case = PipCase(participant_ref="zr-" + "1" * 32, programme_id="programme-demo")
    with pytest.raises(InvalidRequest, match=reason):
        case.prepare(replace(CONTENT, hours_norm=norm), "caseworker-anna", NOW)


def test_a_norm_on_another_route_is_refused():
    content = replace(
        CONTENT,
        route=Route.B1_ROUTE,
        route_reason=RouteReason.LEARNABILITY_SUFFICIENT,
        hours_norm=PipNorm(),
    )
    case = PipCase(participant_ref="zr-" + "1" * 32, programme_id="programme-demo")
    with pytest.raises(InvalidRequest, match="the Z-route's"):
        case.prepare(content, "caseworker-anna", NOW)


def test_the_management_report_counts_against_the_norm_the_pip_sets():
    # Issue 15 item 7: hours against the norms, the PIP's own (a family migrant's course
    # hours only, a reduced course norm), not the configured full norm for everyone.
    norm = PipNorm(
        category=ParticipantCategory.FAMILY_MIGRANT,
        reduction_ground=ReductionGround.VISUAL_IMPAIRMENT,
        reduced_course_hours=600,
    )
    case = established(replace(CONTENT, hours_norm=norm))
    row = ParticipantRow(case.participant_ref, case.programme_id, "GM0363", "intake_completed")
    series = MeetingSeries(case.participant_ref, case.programme_id)
    found = reports.facts_of(row, case, series, TODAY, fakes.deps())
    assert found.norm == report.HoursNorm(course=600, participation=0)
    full = reports.facts_of(row, established(CONTENT), series, TODAY, fakes.deps())
    assert full.norm == report.HoursNorm(course=800, participation=800)
