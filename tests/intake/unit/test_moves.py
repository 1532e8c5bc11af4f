"""A move to another municipality (issue 15 point 5, W 15(4)), the domain's rules: the old
case is closed as moved, only the destination imports, the new PIP's ten weeks run from
the move and an amendment for the reason ``move`` meets them (it may keep the content)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from zroute_contract.events.intake import ParticipantMovedIn, ParticipantMovedOut
from zroute_intake.domain.errors import Conflict, Forbidden, InvalidRequest
from zroute_intake.domain.moves import Move
from zroute_intake.domain.pip import AmendmentReason
from zroute_intake.domain.pip_deadline import DeadlineRules, DeadlineState

from tests.intake.unit.factories import NOW, TODAY, completed
from tests.intake.unit.test_pip_case import CONTENT, case


def move(**changes) -> Move:
    values = {"from_municipality": "GM0363", "to_municipality": "GM0599", "moved_on": TODAY,
              "exported_by": "caseworker-anna", "exported_at": NOW}  # fmt: skip
    return Move(**(values | changes))


def test_moving_out_closes_the_case_until_the_destination_imports_it():
    participant = completed()
    participant.move_out(move(), today=TODAY)
    assert isinstance(participant.events[-1], ParticipantMovedOut)
    with pytest.raises(Conflict, match="closed as moved"):
        participant.move_out(move(), today=TODAY)
    with pytest.raises(Forbidden):
        participant.move_in("GM0228", by="x", at=NOW, pip_due_on=TODAY)
    participant.move_in("GM0599", by="caseworker-nieuw", at=NOW, pip_due_on=TODAY)
    assert participant.municipality == "GM0599"
    event = participant.events[-1]
    assert isinstance(event, ParticipantMovedIn) and event.from_municipality == "GM0363"
    with pytest.raises(Conflict, match="waits for an import"):
        participant.move_in("GM0599", by="x", at=NOW, pip_due_on=TODAY)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"to_municipality": "GM0363"}, "already lives there"),
        ({"moved_on": TODAY + timedelta(days=40)}, "a month ahead"),
        ({"moved_on": TODAY - timedelta(days=200)}, "three months back"),
    ],
)
def test_a_move_nowhere_or_far_from_today_is_refused(changes, reason):
    with pytest.raises(InvalidRequest, match=reason):
        completed().move_out(move(**changes), today=TODAY)


def test_after_a_move_the_new_pip_is_due_in_ten_weeks_and_a_move_amendment_meets_it():
    rules = DeadlineRules()
    pip = case()
    first = date(2027, 2, 1)
    pip.prepare(CONTENT, "caseworker-anna", NOW)
    pip.establish(first, "caseworker-anna", NOW, first)
    moved = date(2027, 3, 1)
    pip.move_in(moved, "caseworker-nieuw", NOW)
    assert pip.due_on(rules) == moved + timedelta(weeks=10)
    assert pip.deadline_state(moved, rules) is DeadlineState.RUNNING
    assert pip.deadline_state(moved + timedelta(weeks=11), rules) is DeadlineState.OVERDUE
    pip.prepare(CONTENT, "caseworker-nieuw", NOW)  # the same content: allowed for a move
    pip.amend(moved + timedelta(days=3), AmendmentReason.MOVE, "caseworker-nieuw", NOW,
              moved + timedelta(days=3))  # fmt: skip
    assert pip.deadline_state(moved + timedelta(weeks=11), rules) is DeadlineState.MET
    assert pip.term().start == first + timedelta(days=1)  # the term goes on
