"""The fast handler tier: support's handlers on a fake unit of work and in-memory
repositories, no broker and no database (the same rules are proven for real in
tests/support/integration). Each test asserts the events a commit would write, or the
refusal and that nothing would be written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from zroute_contract.events.codes import (
    CareCategory,
    ConsentPurpose,
    NeedSeverity,
    ParticipationActivity,
    PartnerCapability,
    ReferralCancelReason,
    RouteTask,
    Urgency,
)
from zroute_contract.events.intake import ConsentWithdrawn
from zroute_contract.events.support import (
    JobCoachAssigned,
    PlacementConfirmed,
    ReferralAccepted,
    ReferralCancelled,
    ReferralDeclined,
    ReferralEscalated,
    ReferralRequested,
)
from zroute_runtime.auth import Principal, Role
from zroute_runtime.timers import DueTimer
from zroute_support.domain.agreements import Agreement, AgreementTerms
from zroute_support.domain.commands import RequestReferral
from zroute_support.domain.consents import Consent
from zroute_support.domain.errors import Forbidden, Refused, TransitionNotAllowed
from zroute_support.domain.participants import Participant
from zroute_support.domain.partners import Partner
from zroute_support.domain.placements import Placement, Workplace
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import intake, placements, referral_actions
from zroute_support.service_layer.handlers.referrals import ANSWER_TIMER, escalate_unanswered
from zroute_support.settings import Settings

from tests.fakes import FixedClock
from tests.support.unit.fakes import (
    FakeAgreements,
    FakeContext,
    FakeParticipants,
    FakePartners,
    FakePlacements,
    FakeReferrals,
    unit_of_work,
)

GM = "GM0363"
PROGRAMME = "amsterdam-z"
REF = "zr-" + "a" * 32
NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)
DEPS = Deps.from_settings(Settings())
CAP = PartnerCapability

COORDINATOR = Principal("coordinator-1", frozenset({Role.COORDINATOR}), municipality=GM)


def staff_of(partner_id: str) -> Principal:
    return Principal("staff-1", frozenset({Role.PARTNER_STAFF}), partner_id=partner_id)


def _partner(partner_id: str, *capabilities: PartnerCapability) -> Partner:
    return Partner(partner_id, partner_id, (GM,), capabilities)


PARTNERS = (
    _partner("care-a", CAP.MENTAL_HEALTH_CARE, CAP.PHYSICAL_CARE, CAP.DEBT_FINANCE),
    _partner("care-b", CAP.MENTAL_HEALTH_CARE),
    _partner("work-a", CAP.PARTICIPATION_WORKPLACES),
    _partner("coaches", CAP.JOB_COACHING),
    _partner("all-round", *CAP),
)
RESPONSIBLE = dict.fromkeys(RouteTask, "all-round") | {
    RouteTask.CARE_REFERRAL_MENTAL_HEALTH: "care-a",
    RouteTask.PARTICIPATION_PLACEMENT: "work-a",
    RouteTask.JOB_COACHING: "coaches",
}
AGREEMENT = Agreement(
    uuid4(),
    1,
    AgreementTerms(PROGRAMME, GM, date(2027, 1, 1), None, "all-round", tuple(RESPONSIBLE.items())),
)


def participant() -> Participant:
    return Participant(REF, PROGRAMME, GM, None, None)


def care_consent() -> Consent:
    return Consent(uuid4(), REF, ConsentPurpose.CARE_REFERRAL, given_on=date(2027, 1, 4))


def uow_with(*, consents=(), referrals=(), placements_=()):
    return unit_of_work(
        participants=FakeParticipants(participant(), consents=consents),
        partners=FakePartners(*PARTNERS),
        agreements=FakeAgreements(AGREEMENT),
        referrals=FakeReferrals(*referrals),
        placements=FakePlacements(*placements_),
        clock=FixedClock(NOW),
    )


async def request(uow, consent: Consent, **kw):
    command = RequestReferral(
        participant_ref=REF,
        category=CareCategory.MENTAL_HEALTH_CARE,
        severity=NeedSeverity.MODERATE,
        urgency=kw.pop("urgency", Urgency.ROUTINE),
        consent_id=consent.consent_id,
        **kw,
    )
    return await referral_actions.request_referral(uow, DEPS, COORDINATOR, command)


async def requested_referral(consent: Consent):
    """A referral to care-a, committed; returns it and a fresh unit of work holding it."""
    uow = uow_with(consents=[consent])
    referred = await request(uow, consent)
    await uow.commit()
    assert referred.referral is not None
    return referred.referral, uow


async def test_a_referral_under_consent_goes_to_the_responsible_partner_with_its_deadline():
    consent = care_consent()
    uow = uow_with(consents=[consent])
    referred = await request(uow, consent)
    await uow.commit()

    [event] = uow.events
    assert isinstance(event, ReferralRequested)
    assert event.partner_id == "care-a" and event.consent_id == consent.consent_id
    assert event.answer_due_by == NOW + timedelta(days=5)  # routine (the default settings)
    assert referred.referral is not None
    key = (ANSWER_TIMER, f"{referred.referral.referral_id}/1")
    assert uow.timers.scheduled[key] == event.answer_due_by


async def test_a_referral_without_a_covering_consent_is_refused_and_writes_nothing():
    partner_sharing = Consent(
        uuid4(), REF, ConsentPurpose.PARTNER_SHARING, given_on=date(2027, 1, 4)
    )
    uow = uow_with(consents=[partner_sharing])
    with pytest.raises(Refused, match="no care-referral consent"):
        await request(uow, partner_sharing)
    await uow.commit()
    assert uow.events == []


async def test_the_care_partner_accepts_and_the_answer_timer_stops():
    referral, uow = await requested_referral(care_consent())
    await referral_actions.act(uow, DEPS, staff_of("care-a"), referral.referral_id, "accept")
    await uow.commit()

    assert [type(e) for e in uow.events] == [ReferralRequested, ReferralAccepted]
    assert (ANSWER_TIMER, f"{referral.referral_id}/1") in uow.timers.cancelled


async def test_only_the_care_partner_accepts():
    referral, uow = await requested_referral(care_consent())
    with pytest.raises(TransitionNotAllowed, match="only the care partner"):
        await referral_actions.act(uow, DEPS, COORDINATOR, referral.referral_id, "accept")
    with pytest.raises(Forbidden):
        await referral_actions.act(uow, DEPS, staff_of("care-b"), referral.referral_id, "accept")
    await uow.commit()
    assert [type(e) for e in uow.events] == [ReferralRequested]


async def test_a_declined_referral_goes_to_the_next_capable_partner():
    referral, uow = await requested_referral(care_consent())
    await referral_actions.act(
        uow,
        DEPS,
        staff_of("care-a"),
        referral.referral_id,
        "decline",
        reason="no_capacity",
        reroute=None,
    )
    await uow.commit()

    _, declined, rerouted = uow.events
    assert isinstance(declined, ReferralDeclined)
    assert declined.reason == "no_capacity" and declined.rerouting is True
    assert isinstance(rerouted, ReferralRequested)
    # care-a declined; care-b was registered before all-round (no longer the alphabet)
    assert rerouted.partner_id == "care-b"
    assert rerouted.rerouted_from == referral.referral_id


async def test_a_declined_referral_overflows_in_the_configured_order():
    referral, uow = await requested_referral(care_consent())
    deps = Deps.from_settings(Settings(overflow_order=["all-round", "care-b"]))
    await referral_actions.act(
        uow, deps, staff_of("care-a"), referral.referral_id, "decline", reason="other", reroute=None
    )
    await uow.commit()
    assert uow.events[-1].partner_id == "all-round"


async def test_a_decline_reason_off_the_list_is_refused():
    referral, uow = await requested_referral(care_consent())
    with pytest.raises(Refused, match="decline reason"):
        await referral_actions.act(
            uow,
            DEPS,
            staff_of("care-a"),
            referral.referral_id,
            "decline",
            reason="bored",
            reroute=None,
        )


async def test_withdrawing_consent_cancels_the_referrals_it_covered():
    consent = care_consent()
    referral, uow = await requested_referral(consent)
    event = ConsentWithdrawn(
        participant_ref=REF,
        programme_id=PROGRAMME,
        consent_id=consent.consent_id,
        purpose=ConsentPurpose.CARE_REFERRAL,
        withdrawn_on=NOW.date(),
    )
    await intake.withdraw_consent(event, FakeContext(uow), deps=DEPS)  # type: ignore[arg-type]
    await uow.commit()

    cancelled = uow.events[-1]
    assert isinstance(cancelled, ReferralCancelled)
    assert cancelled.referral_id == referral.referral_id
    assert cancelled.reason is ReferralCancelReason.CONSENT_WITHDRAWN


def open_placement() -> Placement:
    return Placement(
        uuid4(),
        REF,
        PROGRAMME,
        ParticipationActivity.WORKPLACE_LEARNING,
        date(2027, 2, 1),
        8,
        "work-a",
    )


WORKPLACE = Workplace("bakery-west", "bakery-west-1", date(2027, 2, 1), 8)


async def test_the_participation_partner_confirms_a_placement_with_its_job_coach():
    placement = open_placement()
    uow = uow_with(placements_=[placement])
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), placement.placement_request_id, WORKPLACE, "coach-1", None
    )
    await uow.commit()

    confirmed, coach = uow.events
    assert isinstance(confirmed, PlacementConfirmed)
    assert confirmed.employer_id == "bakery-west" and confirmed.partner_id == "work-a"
    assert isinstance(coach, JobCoachAssigned)
    assert coach.partner_id == "coaches"  # responsible for job coaching under the agreement


async def test_another_partner_cannot_confirm_the_placement():
    placement = open_placement()
    uow = uow_with(placements_=[placement])
    with pytest.raises(Forbidden):
        await placements.confirm_as(
            uow,
            DEPS,
            staff_of("coaches"),
            placement.placement_request_id,
            WORKPLACE,
            "coach-1",
            None,
        )
    await uow.commit()
    assert uow.events == []


def test_the_rules_come_from_the_settings_once():
    deps = Deps.from_settings(Settings(referral_answer_within=timedelta(days=3)))
    assert deps.urgency_rules[Urgency.ROUTINE].answer_within == timedelta(days=3)
    assert deps.urgency_rules[Urgency.URGENT].answer_within == timedelta(days=2)


def test_a_more_urgent_referral_may_not_be_given_longer_than_a_routine_one():
    with pytest.raises(ValueError, match="urgency urgent must be answered no later than routine"):
        Settings(referral_answer_within=timedelta(days=1))


async def test_an_urgent_referral_gets_its_shorter_deadline_and_escalation_rhythm():
    consent = care_consent()
    uow = uow_with(consents=[consent])
    referred = await request(uow, consent, urgency=Urgency.URGENT)
    await uow.commit()
    [event] = uow.events
    assert event.answer_due_by == NOW + timedelta(days=2)

    assert referred.referral is not None
    rid = referred.referral.referral_id
    uow.clock.advance(timedelta(days=2))
    await escalate_unanswered(DueTimer(1, ANSWER_TIMER, f"{rid}/1", NOW, {}), uow, deps=DEPS)
    await uow.commit()
    assert isinstance(uow.events[-1], ReferralEscalated)
    assert uow.timers.scheduled[(ANSWER_TIMER, f"{rid}/2")] == uow.clock.now() + timedelta(days=2)


async def test_freed_capacity_goes_to_the_urgent_referral_before_the_longer_waiting_routine():
    full = (
        _partner("care-a", CAP.MENTAL_HEALTH_CARE),
        Partner(
            "all-round", "all-round", (GM,), (CAP.MENTAL_HEALTH_CARE,), {CAP.MENTAL_HEALTH_CARE: 0}
        ),
    )
    uow = unit_of_work(
        participants=FakeParticipants(participant(), consents=[consent := care_consent()]),
        partners=FakePartners(*full),
        agreements=FakeAgreements(AGREEMENT),
        clock=FixedClock(NOW),
    )
    uow.partners.rows["care-a"].capacity = {CAP.MENTAL_HEALTH_CARE: 1}
    taken = (await request(uow, consent)).referral
    routine = await request(uow, consent)
    uow.clock.advance(timedelta(hours=1))
    urgent = await request(uow, consent, urgency=Urgency.URGENT)
    assert taken is not None and routine.referral is None and urgent.referral is None
    await uow.commit()

    await referral_actions.act(
        uow,
        DEPS,
        COORDINATOR,
        taken.referral_id,
        "cancel",
        reason=ReferralCancelReason.REFERRER_CANCELLED,
    )
    await uow.commit()
    handed_out = uow.events[-1]
    assert isinstance(handed_out, ReferralRequested)
    assert handed_out.urgency is Urgency.URGENT and handed_out.partner_id == "care-a"
    [still_waiting] = await uow.waiting.waiting()
    assert still_waiting.entry_id == routine.waiting_entry
