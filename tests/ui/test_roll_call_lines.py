"""The roll-call page's rules without a server: which days a session is offered on, the
same session id for the same session, and the ledger's refusal put beside its lines."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

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


def test_the_ledgers_reasons_go_beside_the_lines_they_name_in_the_pages_language():
    members = ("zr-a", "zr-b", "zr-c")
    detail = (
        "zr-b: present minutes must be between 1 and 150; "
        "zr-c: an excused absence names its reason; "
        "zr-x: the session is in the future"  # not a member of this group: left out
    )
    dutch = line_errors(detail, members, "nl")
    assert dutch.items() == [
        ("minutes-1", "Vul de minuten aanwezig in, van 1 tot en met 150."),
        ("reason-2", "Kies de reden van de afwezigheid."),
    ]
    english = line_errors(
        "zr-a: the session is before the plan's start (2027-01-25)", members, "en"
    )
    assert english.items() == [
        ("status-0", "The session is before this participant's plan starts (2027-01-25).")
    ]
