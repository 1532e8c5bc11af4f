"""The referral lifecycle (HL7 FHIR Task states): every (from, to, side) combination."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zroute_contract.events.codes import (
    CareCategory,
    ContactRole,
    NeedSeverity,
    ReferralCancelReason,
    ReferralSide,
    ReferralStatus,
    Urgency,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_contract.events.support import (
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralEscalated,
    ReferralRequested,
    ReferralStatusChanged,
)
from zroute_support.domain import referral_states
from zroute_support.domain.errors import Refused, TransitionNotAllowed
from zroute_support.domain.referral_states import OPEN, TERMINAL, TRANSITIONS, allowed, check
from zroute_support.domain.referrals import Outcome, Referral

S, Side = ReferralStatus, ReferralSide
ALL = list(itertools.product(S, S, Side))


@pytest.mark.parametrize(("current", "target", "side"), ALL)
def test_check_refuses_exactly_the_combinations_allowed_refuses(current, target, side):
    if allowed(current, target, side):
        check(current, target, side)
    else:
        with pytest.raises(TransitionNotAllowed):
            check(current, target, side)


def test_every_open_referral_can_be_cancelled_by_the_referrer_or_the_system_only():
    for status in OPEN:
        assert allowed(status, S.CANCELLED, Side.REFERRER)
        assert allowed(status, S.CANCELLED, Side.SYSTEM)
        assert not allowed(status, S.CANCELLED, Side.PERFORMER)


def test_a_requested_referral_is_answered_before_anything_else_happens():
    reachable = {target for (current, target) in TRANSITIONS if current is S.REQUESTED}
    assert reachable == {S.ACCEPTED, S.REJECTED, S.CANCELLED}


def test_nothing_returns_to_requested_and_nothing_is_rejected_once_accepted():
    assert not [key for key in TRANSITIONS if key[1] is S.REQUESTED]
    assert [key for key in TRANSITIONS if key[1] is S.REJECTED] == [(S.REQUESTED, S.REJECTED)]


def test_a_held_referral_resumes_before_it_can_complete():
    assert not allowed(S.ON_HOLD, S.COMPLETED, Side.PERFORMER)
    assert allowed(S.ON_HOLD, S.IN_PROGRESS, Side.PERFORMER)


def test_terminal_statuses_have_no_way_out():
    assert {S.REJECTED, S.FAILED, S.COMPLETED, S.CANCELLED} == TERMINAL
    assert not [key for key in TRANSITIONS if key[0] in TERMINAL]


def test_the_care_partner_owns_execution_and_the_referrer_owns_the_request():
    for (_, target), sides in TRANSITIONS.items():
        if target is S.CANCELLED:
            assert Side.PERFORMER not in sides
        else:
            assert sides == {Side.PERFORMER}


def test_every_status_is_reachable_from_requested():
    reached, frontier = {S.REQUESTED}, [S.REQUESTED]
    while frontier:
        current = frontier.pop()
        for a, b in TRANSITIONS:
            if a is current and b not in reached:
                reached.add(b)
                frontier.append(b)
    assert reached == set(S)


def test_a_refusal_names_who_may_make_the_change():
    with pytest.raises(
        TransitionNotAllowed, match="only the care partner may make a referral accepted"
    ):
        check(S.REQUESTED, S.ACCEPTED, Side.REFERRER)
    with pytest.raises(TransitionNotAllowed, match="that is completed cannot become"):
        check(S.COMPLETED, S.IN_PROGRESS, Side.PERFORMER)


# -- the aggregate --------------------------------------------------------------------

REFERRER = ContactPersonRef(staff_ref="cw-1", role=ContactRole.CASEWORKER, municipality="GM0363")


def referral(**overrides) -> Referral:
    fields = (
        dict(
            referral_id=uuid4(),
            participant_ref=f"zr-{uuid4().hex}",
            programme_id="amsterdam-z",
            partner_id="care-a",
            category=CareCategory.MENTAL_HEALTH_CARE,
            severity=NeedSeverity.MODERATE,
            urgency=Urgency.ROUTINE,
            consent_id=uuid4(),
            referrer=REFERRER,
            answer_due_by=datetime(2027, 1, 9, tzinfo=UTC),
        )
        | overrides
    )
    return Referral.request(**fields)


def test_a_new_referral_is_requested_and_its_addressed_event_names_the_category():
    r = referral()
    [event] = r.events
    assert isinstance(event, ReferralRequested)
    assert event.category is CareCategory.MENTAL_HEALTH_CARE
    assert event.routing_key() == "support.referral.requested.care-a"


def test_the_whole_loop_emits_one_event_per_status_change():
    r = referral()
    r.accept(Side.PERFORMER)
    r.start(Side.PERFORMER)
    r.hold(Side.PERFORMER, "participant_ill")
    r.start(Side.PERFORMER)
    r.complete(Side.PERFORMER, Outcome(True, True, date(2027, 3, 1), "goal_reached"))
    kinds = [type(e) for e in r.events]
    assert kinds == [
        ReferralRequested,
        ReferralAccepted,
        ReferralStatusChanged,
        ReferralStatusChanged,
        ReferralStatusChanged,
        ReferralCompleted,
    ]
    assert r.status is S.COMPLETED
    assert r.events[3].previous_status is S.IN_PROGRESS and r.events[3].reason == "participant_ill"


def test_a_declined_referral_says_whether_it_is_rerouted():
    r = referral()
    r.decline(Side.PERFORMER, "no_capacity", rerouting=True)
    assert isinstance(r.events[-1], ReferralDeclined) and r.events[-1].rerouting
    assert r.status is S.REJECTED


def test_cancelling_is_addressed_to_the_partner():
    r = referral()
    r.cancel(Side.SYSTEM, ReferralCancelReason.CONSENT_WITHDRAWN)
    event = r.events[-1]
    assert isinstance(event, ReferralCancelled)
    assert event.routing_key() == "support.referral.cancelled.care-a"


def test_an_outcome_must_be_actionable():
    r = referral(status=S.ACCEPTED)
    with pytest.raises(Refused, match="needs a reason"):
        r.complete(Side.PERFORMER, Outcome(False, False))
    with pytest.raises(Refused, match="delivered_on"):
        r.complete(Side.PERFORMER, Outcome(True, True))
    assert r.status is S.ACCEPTED


def test_only_an_unanswered_referral_escalates_and_the_level_grows():
    r = referral()
    assert r.escalate() and r.escalate()
    assert [e.level for e in r.events if isinstance(e, ReferralEscalated)] == [1, 2]
    r.accept(Side.PERFORMER)
    assert not r.escalate()


ACTIONS = {
    "accept": lambda r, side: r.accept(side),
    "decline": lambda r, side: r.decline(side, "other", rerouting=False),
    "start": lambda r, side: r.start(side),
    "hold": lambda r, side: r.hold(side, "other"),
    "fail": lambda r, side: r.fail(side, "other"),
    "complete": lambda r, side: r.complete(side, Outcome(True, False)),
    "cancel": lambda r, side: r.cancel(side, ReferralCancelReason.REFERRER_CANCELLED),
}


@given(
    st.lists(st.tuples(st.sampled_from(sorted(ACTIONS)), st.sampled_from(list(Side))), max_size=12)
)
def test_any_sequence_of_commands_follows_the_table(steps):
    r = referral(answer_due_by=datetime(2027, 1, 9, tzinfo=UTC) + timedelta(days=1))
    for action, side in steps:
        before, events = r.status, len(r.events)
        try:
            ACTIONS[action](r, side)
        except TransitionNotAllowed:
            assert r.status is before and len(r.events) == events
            continue
        assert (before, r.status) in TRANSITIONS and side in TRANSITIONS[(before, r.status)]
        assert len(r.events) == events + 1
        assert r.events[-1].status is r.status
    assert r.is_open is (r.status in OPEN)
    assert set(S) == referral_states.OPEN | referral_states.TERMINAL
