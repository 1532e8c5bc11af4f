"""Interpreter requests in the domain (issue 17 item 6): asked of the partner named, not
asked twice for an unchanged appointment, asked anew when moved, answered once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from zroute_contract.events.codes import InterpreterAppointment
from zroute_contract.events.support import (
    InterpreterConfirmed,
    InterpreterDeclined,
    InterpreterRequested,
)
from zroute_support.domain.errors import Conflict
from zroute_support.domain.interpreters import Appointment, InterpreterRequest, RequestStatus

NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)
MEETING = Appointment(
    "zr-" + "a" * 32,
    "prog",
    InterpreterAppointment.PROGRESS_MEETING,
    "2",
    NOW + timedelta(days=7),
    "ti",
)


def test_a_request_is_asked_once_per_time_and_answered_once():
    request = InterpreterRequest.new(MEETING, NOW)
    request.ask(MEETING, "tolken", NOW)
    request.ask(MEETING, "tolken", NOW)  # republished unchanged
    [asked] = request.events
    assert isinstance(asked, InterpreterRequested)
    assert (asked.partner_id, asked.meeting_number, asked.intake_id) == ("tolken", 2, None)

    request.confirm("desk", NOW)
    assert isinstance(request.events[-1], InterpreterConfirmed)
    with pytest.raises(Conflict):
        request.decline("other", "desk", NOW)

    moved = Appointment(**{**MEETING.__dict__, "starts_at": MEETING.starts_at + timedelta(days=1)})
    request.ask(moved, "tolken", NOW)
    assert request.status is RequestStatus.REQUESTED and request.decided_by is None
    assert isinstance(request.events[-1], InterpreterRequested)
    request.decline("too_short_notice", "desk", NOW)
    assert isinstance(request.events[-1], InterpreterDeclined)


def test_without_a_partner_nobody_is_asked_and_nothing_can_be_answered():
    request = InterpreterRequest.new(MEETING, NOW)
    request.ask(MEETING, None, NOW)
    assert request.status is RequestStatus.UNROUTED and request.events == []
    with pytest.raises(Conflict):
        request.confirm("desk", NOW)
