"""Pause and resume of a participant's route (issue 15 point 5): the ground stays in
intake, the events carry the coarse reason; one pause at a time; the acting user and the
time are recorded for both ends. Against the code before: there was no pause at all."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from zroute_contract.events.codes import PauseReason, WithdrawalReason
from zroute_contract.events.intake import ParticipantPaused, ParticipantResumed
from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound
from zroute_intake.domain.pauses import Pause, PauseGround

from tests.intake.unit.factories import NOW, TODAY, completed, registered


def pause(ground: PauseGround = PauseGround.TREATMENT, **changes) -> Pause:
    values = {
        "pause_id": uuid4(), "ground": ground, "paused_from": TODAY, "by": "caseworker-anna",
        "at": NOW, "expected_until": TODAY + timedelta(days=60),
    }  # fmt: skip
    return Pause(**(values | changes))


@pytest.mark.parametrize(
    ("ground", "reason"),
    [
        (PauseGround.ILLNESS, PauseReason.CARE),
        (PauseGround.PREGNANCY, PauseReason.CARE),
        (PauseGround.TREATMENT, PauseReason.CARE),
        (PauseGround.CARE_ADMISSION, PauseReason.CARE),
        (PauseGround.PARTICIPANT_REQUEST, PauseReason.PARTICIPANT_REQUEST),
    ],
)
def test_a_pause_emits_the_coarse_reason_and_keeps_the_ground_in_intake(ground, reason):
    participant = completed()
    participant.pause(pause(ground), today=TODAY)
    event = participant.events[-1]
    assert isinstance(event, ParticipantPaused) and event.reason is reason
    assert ground.value not in event.model_dump_json() or ground is PauseGround.PARTICIPANT_REQUEST
    assert participant.open_pause is not None and participant.open_pause.ground is ground
    change = participant.changes[-1]
    assert (change.action, change.reason, change.by) == (
        "participant_paused",
        ground.value,
        "caseworker-anna",
    )


def test_resuming_ends_the_pause_with_the_acting_user_and_emits_resumed():
    participant = completed()
    started = pause()
    participant.pause(started, today=TODAY)
    later = TODAY + timedelta(days=30)
    ended = participant.resume(
        started.pause_id, resumed_on=later, today=later, by="caseworker-bram", at=NOW
    )
    assert ended.resumed_by == "caseworker-bram" and ended.days(later) == 30
    assert participant.open_pause is None
    event = participant.events[-1]
    assert isinstance(event, ParticipantResumed)
    assert (event.paused_from, event.resumed_on, event.reason) == (TODAY, later, PauseReason.CARE)
    assert participant.changes[-1].action == "participant_resumed"


def test_one_pause_at_a_time_and_a_new_one_after_the_last_ended():
    participant = completed()
    first = pause()
    participant.pause(first, today=TODAY)
    with pytest.raises(Conflict, match="paused already"):
        participant.pause(pause(), today=TODAY)
    end = TODAY + timedelta(days=10)
    participant.resume(first.pause_id, resumed_on=end, today=end, by="x", at=NOW)
    with pytest.raises(InvalidRequest, match="previous pause ended"):
        participant.pause(pause(paused_from=end - timedelta(days=1)), today=end)
    participant.pause(pause(paused_from=end + timedelta(days=3)), today=end + timedelta(days=3))
    assert len(participant.pauses) == 2


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"paused_from": TODAY - timedelta(days=40)}, "a month back"),
        ({"paused_from": TODAY + timedelta(days=93)}, "three months ahead"),
        ({"expected_until": TODAY - timedelta(days=1)}, "expected_until"),
    ],
)
def test_a_pause_outside_what_may_be_recorded_is_refused(changes, reason):
    with pytest.raises(InvalidRequest, match=reason):
        completed().pause(pause(**changes), today=TODAY)


def test_only_a_route_under_way_pauses():
    with pytest.raises(Conflict, match="complete the broad intake"):
        registered().pause(pause(), today=TODAY)
    withdrawn = completed()
    withdrawn.withdraw(WithdrawalReason.STOPPED, effective_on=TODAY, today=TODAY)
    with pytest.raises(Conflict, match="withdrawn"):
        withdrawn.pause(pause(), today=TODAY)


def test_a_resumption_is_after_the_first_day_not_too_far_ahead_and_of_an_open_pause():
    participant = completed()
    started = pause()
    participant.pause(started, today=TODAY)
    with pytest.raises(InvalidRequest, match="after the pause's first day"):
        participant.resume(started.pause_id, resumed_on=TODAY, today=TODAY, by="x", at=NOW)
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(InvalidRequest, match="three months ahead"):
        far = TODAY + timedelta(days=93)
        participant.resume(started.pause_id, resumed_on=far, today=TODAY, by="x", at=NOW)
    with pytest.raises(NotFound):
        participant.resume(uuid4(), resumed_on=tomorrow, today=tomorrow, by="x", at=NOW)
    participant.resume(started.pause_id, resumed_on=tomorrow, today=tomorrow, by="x", at=NOW)
    with pytest.raises(Conflict, match="ended already"):
        participant.resume(started.pause_id, resumed_on=tomorrow, today=tomorrow, by="x", at=NOW)


def test_a_pause_and_its_resumption_may_be_dated_ahead():
    """A planned treatment is known ahead: the pause is recorded before its first day
    (planning holds the plan from that day), and so is its end. Before: both were refused
    ("not after today")."""
    participant = completed()
    ahead = pause(paused_from=TODAY + timedelta(days=14))
    participant.pause(ahead, today=TODAY)
    event = participant.events[-1]
    assert isinstance(event, ParticipantPaused) and event.paused_from == TODAY + timedelta(days=14)
    back = TODAY + timedelta(days=45)
    participant.resume(ahead.pause_id, resumed_on=back, today=TODAY, by="x", at=NOW)
    event = participant.events[-1]
    assert isinstance(event, ParticipantResumed) and event.resumed_on == back
    # the next pause starts no earlier than the day this one ends
    with pytest.raises(InvalidRequest, match="previous pause ended"):
        participant.pause(pause(paused_from=back - timedelta(days=1)), today=TODAY)
