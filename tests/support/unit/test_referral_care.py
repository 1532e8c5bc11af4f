"""Issue 17 in the fast tier: a referral's context and thread (the care partner once it
accepted), the audited emergency override of consent, and the coordinator's reassignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from zroute_contract.events.codes import CareCategory, NeedSeverity, ReferralCancelReason, Urgency
from zroute_contract.events.support import (
    ConsentOverridden,
    ReferralCancelled,
    ReferralReassigned,
    ReferralRequested,
)
from zroute_runtime.auth import Principal, Role
from zroute_support.domain.commands import (
    OverrideConsent,
    Reassign,
    ReferralReason,
    RequestReferral,
)
from zroute_support.domain.errors import Conflict, Forbidden, Refused
from zroute_support.domain.placements import PlacementStatus
from zroute_support.domain.referral_context import NOT_YET_ACCEPTED
from zroute_support.domain.referrals import Outcome
from zroute_support.domain.routing import WaitCode, WaitingReason
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import reassignment, referral_actions, referral_thread

from tests.support.unit.test_handlers import (
    COORDINATOR,
    DEPS,
    GM,
    NOW,
    REF,
    care_consent,
    open_placement,
    requested_referral,
    staff_of,
    uow_with,
)

CASEWORKER = Principal("cw-1", frozenset({Role.CASEWORKER}), municipality=GM)
SECRET = "sleeps badly since the eviction"


def command(**kw) -> RequestReferral:
    fields = {
        "participant_ref": REF,
        "category": CareCategory.MENTAL_HEALTH_CARE,
        "severity": NeedSeverity.SEVERE,
        "urgency": Urgency.STAT,
        "consent_id": None,
    }
    return RequestReferral(**(fields | kw))


OVERRIDE = OverrideConsent("vital_interest", "acute crisis, participant cannot be reached")
REASON = ReferralReason("crisis", ("intake_report",), SECRET)


# --- the emergency override of consent ---------------------------------------------------


async def test_without_consent_and_without_override_a_referral_is_refused_as_ever():
    uow = uow_with()
    with pytest.raises(Refused, match="no care-referral consent"):
        await referral_actions.request_referral(uow, DEPS, COORDINATOR, command())
    await uow.commit()
    assert uow.events == [] and uow.overrides.written == []


async def test_a_coordinator_overrides_consent_on_a_legal_ground_and_it_is_audited():
    uow = uow_with()
    referred = await referral_actions.request_referral(
        uow, DEPS, COORDINATOR, command(override=OVERRIDE)
    )
    await uow.commit()

    assert referred.referral is not None
    requested = next(e for e in uow.events if isinstance(e, ReferralRequested))
    overridden = next(e for e in uow.events if isinstance(e, ConsentOverridden))
    assert requested.consent_overridden is True
    assert requested.consent_id == overridden.override_id
    assert overridden.legal_ground == "vital_interest"
    assert overridden.overridden_by == "coordinator-1" and overridden.overridden_at == NOW
    assert overridden.referral_id == referred.referral.referral_id
    # The reason in words is in the audit trail, not on the bus.
    [record] = await views.consent_overrides(uow, CASEWORKER, REF)
    assert record.reason == OVERRIDE.reason and record.overridden_by == "coordinator-1"
    assert OVERRIDE.reason not in overridden.model_dump_json()


async def test_only_a_coordinator_overrides_and_only_on_a_listed_ground():
    uow = uow_with()
    with pytest.raises(Forbidden, match="only a coordinator"):
        await referral_actions.request_referral(uow, DEPS, CASEWORKER, command(override=OVERRIDE))
    with pytest.raises(Refused, match="legal ground"):
        await referral_actions.request_referral(
            uow, DEPS, COORDINATOR, command(override=OverrideConsent("because", "x"))
        )
    with pytest.raises(Refused, match="empty"):
        await referral_actions.request_referral(
            uow, DEPS, COORDINATOR, command(override=OverrideConsent("vital_interest", "  "))
        )
    await uow.commit()
    assert uow.events == []


# --- context, thread and output ------------------------------------------------------------


async def referral_with_context():
    consent = care_consent()
    uow = uow_with(consents=[consent])
    referred = await referral_actions.request_referral(
        uow, DEPS, COORDINATOR, command(consent_id=consent.consent_id, context=REASON)
    )
    await uow.commit()
    assert referred.referral is not None
    return referred.referral, uow


async def test_the_care_partner_sees_context_and_thread_only_once_it_accepted():
    referral, uow = await referral_with_context()
    rid = referral.referral_id
    with pytest.raises(Forbidden, match=NOT_YET_ACCEPTED):
        await views.referral_context(uow, staff_of("care-a"), rid)
    with pytest.raises(Forbidden):
        await referral_thread.post_message(uow, staff_of("care-a"), rid, "hello")
    # The referrer sees it at once, and writes.
    _, context, _ = await views.referral_context(uow, COORDINATOR, rid)
    assert context is not None and context.note == SECRET
    assert context.recorded_by == "coordinator-1" and context.recorded_at == NOW
    await referral_thread.post_message(uow, COORDINATOR, rid, "please call first")

    await referral_actions.act(uow, DEPS, staff_of("care-a"), rid, "accept")
    await referral_thread.post_message(uow, staff_of("care-a"), rid, "will do")
    _, context, thread = await views.referral_context(uow, staff_of("care-a"), rid)
    assert context is not None and context.supporting_info == ("intake_report",)
    assert [(m.side.value, m.author, m.body) for m in thread] == [
        ("referrer", "coordinator-1", "please call first"),
        ("performer", "staff-1", "will do"),
    ]
    await uow.commit()
    # Words never reach an event.
    assert all(SECRET not in e.model_dump_json() for e in uow.events)
    assert all("will do" not in e.model_dump_json() for e in uow.events)
    with pytest.raises(Forbidden):
        await views.referral_context(uow, staff_of("care-b"), rid)


async def test_context_codes_come_from_the_configured_lists():
    consent = care_consent()
    uow = uow_with(consents=[consent])
    bad = ReferralReason("crisis", ("horoscope",), None)
    with pytest.raises(Refused, match="horoscope"):
        await referral_actions.request_referral(
            uow, DEPS, COORDINATOR, command(consent_id=consent.consent_id, context=bad)
        )


async def test_the_outcome_says_what_was_delivered_in_codes_and_words():
    referral, uow = await requested_referral(care_consent())
    rid = referral.referral_id
    partner = staff_of("care-a")
    await referral_actions.act(uow, DEPS, partner, rid, "accept")
    outcome = Outcome(True, True, NOW.date(), "goal_reached", ("counselling",), "six sessions")
    done = await referral_actions.act(uow, DEPS, partner, rid, "complete", outcome=outcome)
    assert done.outcome is not None and done.outcome.delivered == ("counselling",)
    await uow.commit()
    assert "six sessions" not in uow.events[-1].model_dump_json()
    off_list = Outcome(True, True, NOW.date(), None, ("magic",))
    again, uow2 = await requested_referral(care_consent())
    await referral_actions.act(uow2, DEPS, partner, again.referral_id, "accept")
    with pytest.raises(Refused, match="magic"):
        await referral_actions.act(
            uow2, DEPS, partner, again.referral_id, "complete", outcome=off_list
        )


# --- reassignment ----------------------------------------------------------------------------


async def test_the_coordinator_reassigns_a_referral_as_a_recorded_exception():
    referral, uow = await referral_with_context()
    moved = await reassignment.reassign_referral(
        uow, DEPS, COORDINATOR, Reassign(referral.referral_id, "care-b", "no_answer")
    )
    await uow.commit()

    cancelled = next(e for e in uow.events if isinstance(e, ReferralCancelled))
    assert cancelled.partner_id == "care-a"
    assert cancelled.reason is ReferralCancelReason.REASSIGNED
    requested = uow.events[-2]
    assert isinstance(requested, ReferralRequested) and requested.partner_id == "care-b"
    assert requested.rerouted_from == referral.referral_id
    reassigned = uow.events[-1]
    assert isinstance(reassigned, ReferralReassigned)
    assert reassigned.exception is True  # care-a is responsible under the agreement
    assert reassigned.reassigned_by == "coordinator-1" and reassigned.reason == "no_answer"
    # The context goes along with it.
    assert (await uow.referrals.context(moved.referral_id)).note == SECRET
    [record] = uow.reassignments.written
    assert record.reassigned_at == NOW and record.from_partner == "care-a"


async def test_a_reassignment_needs_a_listed_reason_and_a_capable_partner():
    referral, uow = await requested_referral(care_consent())
    rid = referral.referral_id
    with pytest.raises(Refused, match="reassign reason"):
        await reassignment.reassign_referral(uow, DEPS, COORDINATOR, Reassign(rid, "care-b", "x1"))
    with pytest.raises(Refused, match="lacks the capability"):
        await reassignment.reassign_referral(
            uow, DEPS, COORDINATOR, Reassign(rid, "work-a", "expertise")
        )
    with pytest.raises(Conflict, match="already"):
        await reassignment.reassign_referral(
            uow, DEPS, COORDINATOR, Reassign(rid, "care-a", "expertise")
        )


async def test_the_coordinator_hands_a_waiting_referral_to_a_chosen_partner():
    consent = care_consent()
    uow = uow_with(consents=[consent])
    uow.partners.rows["care-a"].capacity = {c: 0 for c in uow.partners.rows["care-a"].capabilities}
    for pid in ("care-b", "all-round"):
        uow.partners.rows[pid].capacity = {c: 0 for c in uow.partners.rows[pid].capabilities}
    waiting = await referral_actions.request_referral(
        uow, DEPS, COORDINATOR, command(consent_id=consent.consent_id)
    )
    assert waiting.referral is None and waiting.waiting_entry is not None
    uow.clock.advance(timedelta(hours=2))
    sent = await reassignment.assign_waiting(
        uow, DEPS, COORDINATOR, Reassign(waiting.waiting_entry, "care-a", "partner_at_capacity")
    )
    await uow.commit()
    assert sent.partner_id == "care-a"
    assert await uow.waiting.waiting() == []
    reassigned = uow.events[-1]
    assert isinstance(reassigned, ReferralReassigned)
    assert reassigned.exception is False and reassigned.previous_referral_id is None


async def test_the_coordinator_hands_a_waiting_placement_to_a_chosen_partner():
    waiting = open_placement()
    waiting.route_to(
        None, WaitingReason.of(WaitCode.AT_CAPACITY, capability="participation_workplaces")
    )
    uow = uow_with(placements_=[waiting])
    rid = waiting.placement_request_id
    with pytest.raises(Refused, match="lacks the capability"):
        await reassignment.assign_waiting(
            uow, DEPS, COORDINATOR, Reassign(rid, "care-a", "partner_at_capacity")
        )
    await reassignment.assign_waiting(
        uow, DEPS, COORDINATOR, Reassign(rid, "all-round", "partner_at_capacity")
    )
    assert waiting.partner_id == "all-round" and waiting.status is PlacementStatus.OPEN
    [record] = uow.reassignments.written
    assert record.kind == "placement" and record.exception is True
    assert record.reassigned_by == "coordinator-1"
