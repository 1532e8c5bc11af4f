"""Care referrals: sending them (from care signals or a caseworker), their lifecycle,
escalation when unanswered, re-routing when declined, cancelling when consent goes."""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from uuid import UUID, uuid4

from zroute_contract.events.codes import (
    PartnerCapability,
    ReferralCancelReason,
    ReferralSide,
)
from zroute_runtime import timers
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_support.adapters.participants_repo import Participant, ParticipantRepository
from zroute_support.adapters.referrals_repo import ReferralRepository
from zroute_support.adapters.waiting_repo import WaitingList
from zroute_support.domain.errors import NotFound
from zroute_support.domain.partners import CARE_TASK
from zroute_support.domain.referrals import Referral
from zroute_support.service_layer import lookups
from zroute_support.service_layer.referral_requests import ReferralRequest, Referred
from zroute_support.service_layer.rules import Rules, local_date

ANSWER_TIMER = "referral-answer-due"


def answer_timer_key(referral_id: UUID, level: int) -> str:
    """One timer per escalation level: a timer cannot re-arm itself while it fires."""
    return f"{referral_id}/{level}"


async def refer(
    uow: UnitOfWork,
    rules: Rules,
    who: Participant,
    request: ReferralRequest,
    *,
    preferred: str | None = None,
    waitlist: bool = True,
) -> Referred:
    """Send a referral to the care partner responsible for its category, or the next
    capable one with room; put it on the waiting list when there is none."""
    now = uow.clock.now()
    choice = await lookups.route(
        uow.conn,
        who=who,
        task=CARE_TASK[request.category],
        capability=PartnerCapability(request.category.value),
        day=local_date(now),
        load=partial(ReferralRepository(uow.conn).open_load, request.category),
        preferred=preferred,
        exclude=request.exclude,
    )
    if choice.partner_id is None:
        assert choice.reason is not None
        if not waitlist:
            return Referred(None, None, choice.reason)
        entry = await WaitingList(uow.conn).add(
            kind="referral",
            participant_ref=who.participant_ref,
            programme_id=who.programme_id,
            capability=PartnerCapability(request.category.value),
            reason=choice.reason,
            request=request.to_json(),
            now=now,
        )
        return Referred(None, entry, choice.reason)
    referral = Referral.request(
        referral_id=uuid4(),
        participant_ref=who.participant_ref,
        programme_id=who.programme_id,
        partner_id=choice.partner_id,
        category=request.category,
        severity=request.severity,
        urgency=request.urgency,
        consent_id=request.consent_id,
        referrer=request.referrer,
        answer_due_by=now + rules.answer_within,
        signal_id=request.signal_id,
        rerouted_from=request.rerouted_from,
    )
    await ReferralRepository(uow.conn).save(referral, now)
    uow.track(referral)
    await timers.schedule(
        uow.conn,
        kind=ANSWER_TIMER,
        key=answer_timer_key(referral.referral_id, 1),
        due_at=referral.answer_due_by,
    )
    return Referred(referral)


async def refer_covered_signals(uow: UnitOfWork, rules: Rules, ref: str) -> list[Referred]:
    """Refer every current care signal that consent covers and nothing refers yet.

    Runs whenever signals, consents or the contact person (the referrer) change, so the
    order in which those events arrive does not matter.
    """
    participants = ParticipantRepository(uow.conn)
    who = await participants.get(ref)
    if who is None or not who.active or who.contact is None:
        return []
    day = local_date(uow.clock.now())
    consents = await participants.consents(ref)
    taken = await ReferralRepository(uow.conn).referred_signals(ref)
    for entry in await WaitingList(uow.conn).waiting(programme_id=who.programme_id):
        if entry.participant_ref == ref and entry.request.get("signal_id"):
            taken.add(UUID(entry.request["signal_id"]))
    sent = []
    for signal in await participants.current_signals(ref):
        if signal.signal_id in taken:
            continue
        consent = next(
            (
                c
                for c in consents
                if (c.consent_id == signal.consent_id or signal.signal_id in c.care_signal_ids)
                and c.covers_referral(day, signal.signal_id)
            ),
            None,
        )
        if consent is None:
            continue
        request = ReferralRequest(
            category=signal.category,
            severity=signal.severity,
            urgency=signal.urgency,
            consent_id=consent.consent_id,
            referrer=who.contact,
            signal_id=signal.signal_id,
        )
        sent.append(await refer(uow, rules, who, request))
    return sent


async def load(uow: UnitOfWork, referral_id: UUID) -> Referral:
    referral = await ReferralRepository(uow.conn).get(referral_id, for_update=True)
    if referral is None:
        raise NotFound(f"unknown referral {referral_id}")
    return referral


async def save(uow: UnitOfWork, rules: Rules, referral: Referral) -> None:
    """Store a changed referral; an answered one stops its escalation, a closed one frees
    the partner's capacity for whoever waits."""
    await ReferralRepository(uow.conn).save(referral, uow.clock.now())
    uow.track(referral)
    if referral.status.value != "requested":
        await timers.cancel(
            uow.conn,
            kind=ANSWER_TIMER,
            key=answer_timer_key(referral.referral_id, referral.escalation_level + 1),
        )
    if not referral.is_open:
        from zroute_support.service_layer.waiting import dispatch_waiting

        await dispatch_waiting(uow, rules)


async def decline(
    uow: UnitOfWork,
    rules: Rules,
    referral: Referral,
    side: ReferralSide,
    reason: str,
    reroute: bool,
) -> Referred | None:
    """The care partner declines; with ``reroute`` the next capable partner gets a new
    referral naming this one, or it waits with the reason."""
    chain = await ReferralRepository(uow.conn).chain_partners(referral)
    who = await lookups.participant(uow.conn, referral.participant_ref)
    request = ReferralRequest(
        category=referral.category,
        severity=referral.severity,
        urgency=referral.urgency,
        consent_id=referral.consent_id,
        referrer=referral.referrer,
        signal_id=referral.signal_id,
        rerouted_from=referral.referral_id,
        exclude=tuple(sorted(chain)),
    )
    choice = None
    if reroute:
        choice = await lookups.route(
            uow.conn,
            who=who,
            task=CARE_TASK[referral.category],
            capability=PartnerCapability(referral.category.value),
            day=local_date(uow.clock.now()),
            load=partial(ReferralRepository(uow.conn).open_load, referral.category),
            exclude=chain,
        )
    referral.decline(side, reason, rerouting=bool(choice and choice.partner_id))
    await save(uow, rules, referral)
    if not reroute:
        return None
    return await refer(uow, rules, who, request, preferred=choice.partner_id if choice else None)


async def cancel_open(
    uow: UnitOfWork,
    rules: Rules,
    ref: str,
    reason: ReferralCancelReason,
    *,
    consent_id: UUID | None = None,
    signals_kept: Collection[UUID] | None = None,
) -> list[Referral]:
    """Cancel the participant's open referrals (under one consent, or for signals no
    longer current) at once; each care partner gets the addressed cancellation."""
    cancelled = []
    for referral in await ReferralRepository(uow.conn).open_for(ref, consent_id=consent_id):
        if signals_kept is not None and (
            referral.signal_id is None or referral.signal_id in signals_kept
        ):
            continue
        referral.cancel(ReferralSide.SYSTEM, reason)
        await save(uow, rules, referral)
        cancelled.append(referral)
    return cancelled


async def escalate_unanswered(timer: DueTimer, uow: UnitOfWork, *, rules: Rules) -> None:
    """Timer ``referral-answer-due``: a referral still requested escalates, and again
    after each repeat interval up to the configured level."""
    referral = await ReferralRepository(uow.conn).get(
        UUID(timer.key.split("/")[0]), for_update=True
    )
    if referral is None or not referral.escalate():
        return
    await ReferralRepository(uow.conn).save(referral, uow.clock.now())
    uow.track(referral)
    if referral.escalation_level < rules.max_escalations:
        await timers.schedule(
            uow.conn,
            kind=ANSWER_TIMER,
            key=answer_timer_key(referral.referral_id, referral.escalation_level + 1),
            due_at=uow.clock.now() + rules.escalation_repeat,
        )
