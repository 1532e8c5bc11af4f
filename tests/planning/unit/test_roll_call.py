"""Roll-call lines are checked against the session and the plan; excused absence is not missed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from zroute_contract.events.codes import AttendanceStatus as A
from zroute_planning.domain.roll_call import (
    AbsenceReason,
    Correction,
    Mark,
    PlanWindow,
    RollCallRules,
    SessionFacts,
    attendance_share,
    counts_as_missed,
    mark_problems,
)

SESSION = SessionFacts(session_on=date(2027, 3, 3), minutes=150)
PLAN = PlanWindow(start_on=date(2027, 2, 1))
TODAY = date(2027, 3, 4)


def present(minutes: int = 150) -> Mark:
    return Mark("zr-1", A.PRESENT, minutes)


def test_a_full_present_line_passes_and_counts_in_quarter_hours():
    assert mark_problems(present(), SESSION, PLAN, TODAY) == []
    assert present(100).hours == 1.75


@pytest.mark.parametrize(
    ("mark", "session", "plan", "reason"),
    [
        (present(), SESSION, PlanWindow(date(2027, 3, 10)), "before the plan's start"),
        (present(), SESSION, PlanWindow(None), "before the plan's start"),
        (
            present(),
            SESSION,
            PlanWindow(date(2027, 1, 1), date(2027, 3, 1)),
            "after the plan's end",
        ),
        (present(), SessionFacts(date(2027, 3, 5), 150), PLAN, "in the future"),
        (present(180), SESSION, PLAN, "between 1 and 150"),
        (present(0), SESSION, PLAN, "between 1 and 150"),
        (Mark("zr-1", A.ABSENT_WITHOUT_REASON, 30), SESSION, PLAN, "no minutes"),
        (Mark("zr-1", A.ABSENT_WITH_REASON), SESSION, PLAN, "names its reason"),
        (Mark("zr-1", A.PRESENT, 60, AbsenceReason.ILLNESS), SESSION, PLAN, "only an excused"),
    ],
)
def test_a_line_that_does_not_fit_is_refused_with_its_reason(mark, session, plan, reason):
    problems = mark_problems(mark, session, plan, TODAY)
    assert any(reason in p for p in problems), problems


def test_at_most_the_configured_minutes_on_one_day():
    rules = RollCallRules(max_minutes_per_day=240)
    assert mark_problems(present(), SESSION, PLAN, TODAY, 60, rules) == []
    [problem] = mark_problems(present(), SESSION, PLAN, TODAY, 120, rules)
    assert "more than 240 minutes" in problem


def test_an_excused_absence_is_not_missed_unless_configured():
    assert not counts_as_missed(A.ABSENT_WITH_REASON)
    assert counts_as_missed(A.ABSENT_WITHOUT_REASON)
    strict = RollCallRules(excused_counts_as_missed=True)
    assert counts_as_missed(A.ABSENT_WITH_REASON, strict)
    week = [A.PRESENT, A.ABSENT_WITH_REASON, A.ABSENT_WITHOUT_REASON, A.PRESENT]
    assert attendance_share(week, RollCallRules()) == 0.75
    assert attendance_share(week, strict) == 0.5
    assert attendance_share([], strict) is None


def test_a_correction_keeps_both_values_and_needs_a_change_and_a_reason():
    at = datetime(2027, 3, 5, 10, tzinfo=UTC)
    fixed = Correction("s-1", "zr-1", present(150), present(120), "teacher-1", at, "left early")
    assert (fixed.old.minutes, fixed.new.minutes) == (150, 120)
    with pytest.raises(ValueError, match="changes"):
        Correction("s-1", "zr-1", present(), present(), "teacher-1", at, "typo")
    with pytest.raises(ValueError, match="says why"):
        Correction("s-1", "zr-1", present(), present(90), "teacher-1", at, " ")
