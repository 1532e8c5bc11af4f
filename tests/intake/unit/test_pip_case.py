"""The PIP case wires the decision, the deadline and the term: issue 15's rules as one
aggregate that records who changed what and emits codes only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from zroute_contract.events.codes import Route, RouteReason
from zroute_contract.events.intake import (
    ObligationReleased,
    PipAmended,
    PipEstablished,
    TermExtended,
)
from zroute_intake.domain.errors import Conflict, InvalidRequest, StaleVersion
from zroute_intake.domain.pip import AmendmentReason, PipContent
from zroute_intake.domain.pip_case import DeadlineStart, PipCase
from zroute_intake.domain.pip_deadline import DeadlineRules, DeadlineState
from zroute_intake.domain.recorded_dates import IN_FORCE
from zroute_intake.domain.term import (
    Extension,
    ExtensionGround,
    Release,
    ReleaseKind,
    three_years_on,
)

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
TODAY = date(2027, 3, 1)
RULES = DeadlineRules()
CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.COMBINED,
    support=("social_guidance",),
    pvt_hours_per_week=2,
    map_hours_per_week=1,
    route_hours_per_week=12,
    progress_meetings=4,
)


def case() -> PipCase:
    return PipCase(participant_ref="zr-" + "1" * 32, programme_id="programme-demo")


def established(dated: date = TODAY) -> PipCase:
    pip = case()
    pip.prepare(CONTENT, "caseworker-anna", NOW)
    pip.establish(dated, "caseworker-anna", NOW, TODAY)
    return pip


def test_establishing_starts_the_term_the_day_after_and_emits_the_decision():
    pip = established(date(2027, 2, 26))
    term = pip.term()
    assert term is not None and term.start == date(2027, 2, 27)
    assert term.end == three_years_on(date(2027, 2, 27))
    (event,) = pip.events
    assert isinstance(event, PipEstablished)
    assert (event.version, event.route, event.progress_meetings) == (1, Route.Z_ROUTE, 4)
    assert event.term_start == date(2027, 2, 27)
    assert [c.action for c in pip.changes] == ["pip_draft_prepared", "pip_established"]
    assert {c.by for c in pip.changes} == {"caseworker-anna"}


def test_a_decision_cannot_be_dated_after_today():
    pip = case()
    pip.prepare(CONTENT, "caseworker-anna", NOW)
    with pytest.raises(InvalidRequest):
        pip.establish(TODAY + timedelta(days=1), "caseworker-anna", NOW, TODAY)


def test_an_amendment_keeps_the_term_start_and_names_its_reason():
    pip = established(date(2027, 2, 1))
    pip.prepare(replace(CONTENT, progress_meetings=6), "cw-b", NOW)
    pip.amend(TODAY, AmendmentReason.PROGRESS_MEETING, "cw-b", NOW, TODAY)
    amended = pip.events[-1]
    assert isinstance(amended, PipAmended)
    assert (amended.version, amended.reason.value, amended.term_start) == (
        2,
        "progress_meeting",
        date(2027, 2, 2),
    )


def test_the_deadline_is_overdue_without_a_pip_and_late_after_it():
    pip = case()
    assert pip.deadline_state(TODAY, RULES) is None
    pip.record_deadline_start(DeadlineStart(TODAY - timedelta(weeks=11)), "cw", NOW, TODAY)
    assert pip.deadline_state(TODAY, RULES) is DeadlineState.OVERDUE
    pip.prepare(CONTENT, "cw", NOW)
    pip.establish(TODAY, "cw", NOW, TODAY)
    assert pip.deadline_state(TODAY, RULES) is DeadlineState.LATE
    with pytest.raises(Conflict):
        pip.record_deadline_start(DeadlineStart(TODAY), "cw", NOW, TODAY)


def test_awaited_information_holds_the_deadline_one_wait_at_a_time():
    pip = case()
    pip.record_deadline_start(DeadlineStart(TODAY - timedelta(weeks=9)), "cw", NOW, TODAY)
    assert pip.await_information(TODAY - timedelta(days=1), "cw", NOW, TODAY) == 1
    assert pip.due_on(RULES) is None
    with pytest.raises(Conflict):
        pip.await_information(TODAY, "cw", NOW, TODAY)
    with pytest.raises(InvalidRequest):
        pip.receive_information(1, TODAY - timedelta(days=2), "cw", NOW, TODAY)
    pip.receive_information(1, TODAY, "cw", NOW, TODAY)
    assert pip.due_on(RULES) == TODAY + timedelta(weeks=2)


def test_only_duo_moves_the_end_and_a_release_ends_the_term():
    with pytest.raises(Conflict):
        case().record_extension(
            Extension(ExtensionGround.NOT_BLAMEWORTHY, TODAY, TODAY), "cw", NOW, TODAY
        )
    pip = established(date(2027, 2, 1))
    end = three_years_on(date(2027, 2, 2))
    pip.record_extension(
        Extension(ExtensionGround.NOT_BLAMEWORTHY, TODAY, end + timedelta(days=90)),
        "cw",
        NOW,
        TODAY,
    )
    extended = pip.events[-1]
    assert isinstance(extended, TermExtended) and extended.term_end == end + timedelta(days=90)
    pip.record_release(Release(ReleaseKind.EXEMPTION, TODAY, TODAY), "cw", NOW, TODAY)
    assert isinstance(pip.events[-1], ObligationReleased)
    term = pip.term()
    assert term is not None and term.ended_on == TODAY and term.days_left(TODAY) == 0
    with pytest.raises(Conflict):
        pip.record_release(Release(ReleaseKind.EXEMPTION, TODAY, TODAY), "cw", NOW, TODAY)
    with pytest.raises(Conflict):
        pip.record_extension(
            Extension(ExtensionGround.NOT_BLAMEWORTHY, TODAY, end + timedelta(days=400)),
            "cw",
            NOW,
            TODAY,
        )


def test_dates_of_what_happened_lie_neither_ahead_nor_before_the_act():
    pip = case()
    for notice in (TODAY + timedelta(days=1), date(4151, 1, 1), date(2021, 12, 31), date(10, 1, 1)):
        with pytest.raises(InvalidRequest, match="duo_notice_on"):
            pip.record_deadline_start(DeadlineStart(notice), "cw", NOW, TODAY)
    with pytest.raises(InvalidRequest, match="brp_registered_on"):
        pip.record_deadline_start(DeadlineStart(TODAY, TODAY + timedelta(days=1)), "cw", NOW, TODAY)
    # The first day of the act, today, and a registration from before the act are taken.
    pip.record_deadline_start(DeadlineStart(IN_FORCE), "cw", NOW, TODAY)
    pip.record_deadline_start(DeadlineStart(TODAY, date(2019, 5, 1)), "cw", NOW, TODAY)
    with pytest.raises(InvalidRequest, match="requested_on"):
        pip.await_information(date(2264, 1, 1), "cw", NOW, TODAY)
    pip.await_information(TODAY - timedelta(days=3), "cw", NOW, TODAY)
    with pytest.raises(InvalidRequest, match="received_on"):
        pip.receive_information(1, TODAY + timedelta(days=1), "cw", NOW, TODAY)
    assert pip.waits[0].received_on is None and len(pip.changes) == 3  # nothing refused kept


def test_duos_decisions_are_of_the_past_and_a_release_falls_within_the_term():
    pip = established(date(2027, 2, 1))
    end = three_years_on(date(2027, 2, 2))
    with pytest.raises(InvalidRequest, match="decided_on"):
        pip.record_extension(
            Extension(
                ExtensionGround.NOT_BLAMEWORTHY, TODAY + timedelta(days=1), end + timedelta(days=90)
            ),
            "cw",
            NOW,
            TODAY,
        )
    with pytest.raises(InvalidRequest, match="decided_on"):
        pip.record_release(
            Release(ReleaseKind.EXEMPTION, date(7306, 1, 1), date(7306, 1, 1)), "cw", NOW, TODAY
        )
    with pytest.raises(InvalidRequest, match="term has ended"):
        pip.record_release(
            Release(ReleaseKind.EXEMPTION, TODAY, date(7306, 1, 1)), "cw", NOW, TODAY
        )
    assert pip.release is None and pip.extensions == []
    pip.record_release(Release(ReleaseKind.EXEMPTION, TODAY, end), "cw", NOW, TODAY)  # its last day
    assert pip.release is not None


def test_a_stale_version_is_refused():
    pip = case()
    pip.version = 3
    with pytest.raises(StaleVersion):
        pip.check_version(2)
    pip.check_version(None)
    pip.check_version(3)
