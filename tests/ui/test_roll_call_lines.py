"""The roll-call page's rules without a server: which days a session is offered on, the
same session id for the same session, and the ledger's refusal put beside its lines."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from zroute_planning.domain.roll_call import LineProblem, LinesRefused, Problem
from zroute_planning.ui.roll_call import line_errors, recent_days, session_id


def test_a_session_is_offered_on_its_weekday_this_week_and_last_never_in_the_future():
    wednesday = date(2027, 1, 20)
    assert recent_days("wednesday", wednesday) == [wednesday, date(2027, 1, 13)]
    assert recent_days("thursday", wednesday) == [date(2027, 1, 14), date(2027, 1, 7)]
    assert recent_days("monday", wednesday)[0] == date(2027, 1, 18)


def test_the_same_session_of_a_group_on_a_day_has_one_id():
    group = uuid4()
    day = date(2027, 1, 20)
    assert session_id(group, 0, day) == session_id(group, 0, day)
    assert session_id(group, 1, day) != session_id(group, 0, day)
    assert session_id(uuid4(), 0, day) != session_id(group, 0, day)


def _refusal(*found: Problem) -> dict:
    """The API's 422 detail for the ledger's refusal, as the command path builds it."""
    refused = LinesRefused(found)
    return {"error": refused.reason, "detail": refused.problems}


def test_the_ledgers_reasons_go_beside_the_lines_they_name_in_the_pages_language():
    members = ("zr-a", "zr-b", "zr-c")
    detail = _refusal(
        Problem.of(LineProblem.MINUTES_OUT_OF_RANGE, "zr-b", max=150),
        Problem.of(LineProblem.REASON_MISSING, "zr-c"),
        Problem.of(LineProblem.SESSION_IN_FUTURE, "zr-x"),  # not a member: left out
    )
    # The API keeps its English sentences beside the codes.
    assert detail["error"] == (
        "zr-b: present minutes must be between 1 and 150; "
        "zr-c: an excused absence names its reason; zr-x: the session is in the future"
    )
    assert detail["detail"][0] == {
        "participant_ref": "zr-b",
        "reason": "zr-b: present minutes must be between 1 and 150",
        "reason_code": "minutes_out_of_range",
        "reason_params": {"max": "150"},
    }
    dutch = line_errors(detail, members, "nl")
    assert dutch.items() == [
        ("minutes-1", "Vul de minuten aanwezig in, van 1 tot en met 150."),
        ("reason-2", "Kies de reden van de afwezigheid."),
    ]
    english = line_errors(
        _refusal(Problem.of(LineProblem.BEFORE_PLAN_START, "zr-a", day="2027-01-25")),
        members,
        "en",
    )
    assert english.items() == [
        ("status-0", "The session is before this participant's plan starts (2027-01-25).")
    ]
    # A reason of the session as a whole (the calendar's) goes on the first line.
    calendar = line_errors(
        _refusal(Problem.of(LineProblem.OTHER_DAY, day="2027-01-27")), members, "nl"
    )
    assert calendar.items() == [("status-0", "De kalender heeft deze les op 2027-01-27.")]


def test_every_code_of_the_ledger_is_worded_on_the_screens_in_dutch_and_english():
    from zroute_planning.ui.line_problems import WORDING
    from zroute_ui.i18n import translations

    assert set(WORDING) == set(LineProblem)
    dutch = translations("nl").gettext
    for _field, message in WORDING.values():
        assert dutch(message) != message, message  # a Dutch wording, not the English id
