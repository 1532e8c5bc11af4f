"""The management report's rules (issue 15 item 7) and the DUO import's line checks,
without I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from zroute_intake.domain import duo, report
from zroute_intake.domain.report import ParticipantFacts, Phase, Referral

TODAY = date(2027, 6, 1)


def facts(ref: str, phase: Phase = Phase.ON_ROUTE, **changes) -> ParticipantFacts:
    return ParticipantFacts(participant_ref=ref, phase=phase, **changes)


def test_pips_are_due_within_ten_weeks_overdue_or_late_by_their_deadline():
    found = report.build(
        [
            facts("due", Phase.PIP_PENDING, pip_due_on=TODAY + timedelta(weeks=3)),
            facts("later", Phase.PIP_PENDING, pip_due_on=TODAY + timedelta(weeks=11)),
            facts("overdue", Phase.PIP_PENDING, pip_due_on=TODAY - timedelta(days=1)),
            facts(
                "late", pip_due_on=TODAY - timedelta(weeks=5), pip_dated=TODAY - timedelta(weeks=4)
            ),
            facts("in_time", pip_due_on=TODAY, pip_dated=TODAY - timedelta(weeks=1)),
        ],
        TODAY,
        "GM0363",
    )
    assert found.pips_due_soon == ("due",)
    assert found.pips_overdue == ("overdue",)
    assert found.pips_late == ("late",)
    assert found.by_phase["pip_pending"] == 3 and found.by_phase["on_route"] == 2


def test_terms_ending_within_six_months_count_only_on_the_route():
    soon = TODAY + timedelta(days=100)
    found = report.build(
        [
            facts("soon", pip_dated=TODAY, term_end=soon),
            facts("far", pip_dated=TODAY, term_end=TODAY + timedelta(days=400)),
            facts("released", Phase.RELEASED, pip_dated=TODAY, term_end=soon),
        ],
        TODAY,
        None,
    )
    assert found.terms_ending == ("soon",)


def test_hours_follow_b_3_14_course_with_knm_and_participation_with_map():
    line = report.hours_line(
        facts("a", pip_dated=TODAY, hours={"language": 10, "knm": 4, "participation": 6, "map": 2})
    )
    assert (line.course_hours, line.knm_hours) == (14, 4)
    assert (line.participation_hours, line.map_hours) == (8, 2)
    assert (line.course_norm, line.participation_norm) == (800, 800)


def test_referral_lead_times_are_medians_in_days():
    t0 = datetime(2027, 1, 1, tzinfo=UTC)
    figures = report.referral_figures(
        [
            Referral("1", t0, t0 + timedelta(days=2), "accepted", t0 + timedelta(days=10)),
            Referral("2", t0, t0 + timedelta(days=4), "declined"),
            Referral("3", t0),
        ]
    )
    assert figures.by_answer == {"accepted": 1, "declined": 1, "open": 1}
    assert figures.median_days_to_answer == 3
    assert figures.median_days_to_completion == 10


def test_the_rows_carry_every_section():
    found = report.build(
        [facts("a", pip_dated=TODAY, meetings_planned=4, meetings_held=1)], TODAY, None
    )
    sections = {row[0] for row in report.rows(found)}
    assert sections == {"phase", "hours", "meetings", "referrals"}
    assert ("meetings", "planned", "", "4") in report.rows(found)


VALID_BSN = "111222333"


def test_a_duo_line_is_checked_on_its_own_with_a_reason():
    line = duo.parse_line({"record": "extension", "bsn": VALID_BSN, "decided_on": "2027-01-02",
                           "ground": "not_blameworthy", "new_end": "2030-01-01"})  # fmt: skip
    assert (
        line.record is duo.DuoRecord.EXTENSION
        and duo.extension_ground(line).value == "not_blameworthy"
    )
    with pytest.raises(duo.RowError, match="bsn: not a valid BSN"):
        duo.parse_line({"record": "obligation", "bsn": "123", "decided_on": "2027-01-02"})
    with pytest.raises(duo.RowError, match="record: one of"):
        duo.parse_line({"record": "fine", "bsn": VALID_BSN, "decided_on": "2027-01-02"})
    with pytest.raises(duo.RowError, match="decided_on: a date"):
        duo.parse_line({"record": "obligation", "bsn": VALID_BSN, "decided_on": ""})
    with pytest.raises(duo.RowError, match="unknown columns: colour"):
        duo.parse_line(
            {"record": "obligation", "bsn": VALID_BSN, "decided_on": "2027-01-02", "colour": "x"}
        )
