"""Care referrals: sending them (from care signals or a caseworker), their lifecycle,
escalation when unanswered, re-routing when declined, cancelling when consent goes."""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from uuid import UUID, uuid4

from zroute_contract.events.codes import PartnerCapability, ReferralCancelReason, ReferralSide
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_support.domain.errors import NotFound
from zroute_support.domain.participants import Participant
from zroute_support.domain.partners import CARE_TASK
from zroute_support.domain.referral_requests import ReferralRequest, Referred
from zroute_support.domain.referrals import Referral
from zroute_support.domain.urgency import answer_due, next_escalation
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import interpreters, routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

ANSWER_TIMER = "referral-answer-due"

_log = get_logger(__name__)


def answer_timer_key(referral_id: UUID, level: int) -> str:
    """One timer per escalation level: a timer cannot re-arm itself while it fires."""
    return f"{referral_id}/{level}"


async def refer(
    uow: SupportUnitOfWork,
    deps: Deps,
    who: Participant,
    request: ReferralRequest,
    *,
    preferred: str | None = None,
    waitlist: bool = True,
) -> Referred:
    """Send a referral to the care partner responsible for its category, or the next
    capable one with room, to be answered within its urgency's deadline; put it on the
    waiting list when there is none."""
    now = uow.clock.now()
    choice = await routing.route(
        uow,
        who=who,
        task=CARE_TASK[request.category],
        capability=PartnerCapability(request.category.value),
        day=local_day(now),
        load=partial(uow.referrals.open_load, request.category),
        preferred=preferred,
        exclude=request.exclude,
        overflow_order=deps.overflow_order,
    )
    if choice.partner_id is None:
        assert choice.reason is not None
        if not waitlist:
            return Referred(None, None, choice.reason)
        entry = await uow.waiting.add(
            kind="referral",
            participant_ref=who.participant_ref,
            programme_id=who.programme_id,
            capability=PartnerCapability(request.category.value),
            reason=choice.reason,
            request=request.to_json(),
            now=now,
        )
        _log.info("referral_waitlisted", waiting_entry=str(entry), category=request.category.value)
        return Referred(None, entry, choice.reason)
    return Referred(await send(uow, deps, who, request, choice.partner_id))


async def send(
    uow: SupportUnitOfWork,
    deps: Deps,
    who: Participant,
    request: ReferralRequest,
    partner_id: str,
    *,
    by: str | None = None,
) -> Referral:
    """Send the referral to ``partner_id``, to be answered within its urgency's deadline;
    its context (words and codes) stays with it, in support. ``by`` is who sends it
    (default: who requested it)."""
    now = uow.clock.now()
    referral = Referral.request(
        referral_id=uuid4(),
        participant_ref=who.participant_ref,
        programme_id=who.programme_id,
        partner_id=partner_id,
        category=request.category,
        severity=request.severity,
        urgency=request.urgency,
        consent_id=request.consent_id,
        referrer=request.referrer,
        answer_due_by=answer_due(now, request.urgency, deps.urgency_rules),
        signal_id=request.signal_id,
        rerouted_from=request.rerouted_from,
        consent_overridden=request.consent_overridden,
        acted_by=by or request.requested_by,
    )
    await uow.referrals.save(referral, now)
    if request.context is not None:
        await uow.referrals.save_context(referral.referral_id, request.context)
    await uow.timers.schedule(
        kind=ANSWER_TIMER,
        key=answer_timer_key(referral.referral_id, 1),
        due_at=referral.answer_due_by,
    )
    _log.info(
        "referral_requested",
        referral_id=str(referral.referral_id),
        partner_id=referral.partner_id,
        urgency=referral.urgency.value,
        consent_overridden=referral.consent_overridden,
    )
    return referral


async def refer_covered_signals(uow: SupportUnitOfWork, deps: Deps, ref: str) -> list[Referred]:
    """Refer every current care signal that consent covers and nothing refers yet.

    Runs whenever signals, consents or the contact person (the referrer) change, so the
    order in which those events arrive does not matter.
    """
    who = await uow.participants.get(ref)
    if who is None or not who.active or who.contact is None:
        return []
    day = local_day(uow.clock.now())
    consents = await uow.participants.consents(ref)
    taken = await uow.referrals.referred_signals(ref)
    for entry in await uow.waiting.waiting(programme_id=who.programme_id):
        if entry.participant_ref == ref and entry.request.get("signal_id"):
            taken.add(UUID(entry.request["signal_id"]))
    sent = []
    for signal in await uow.participants.current_signals(ref):
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
        sent.append(await refer(uow, deps, who, request))
    return sent


async def load(uow: SupportUnitOfWork, referral_id: UUID) -> Referral:
    """The referral, locked for the change, or :class:`NotFound`."""
    referral = await uow.referrals.get(referral_id, for_update=True)
    if referral is None:
        raise NotFound(f"unknown referral {referral_id}")
    return referral


async def save(uow: SupportUnitOfWork, deps: Deps, referral: Referral) -> None:
    """Store a changed referral; an answered one stops its escalation, a closed one frees
    the partner's capacity for whoever waits."""
    await uow.referrals.save(referral, uow.clock.now())
    _log.info(
        "referral_changed", referral_id=str(referral.referral_id), status=referral.status.value
    )
    if referral.status.value != "requested":
        await uow.timers.cancel(
            kind=ANSWER_TIMER,
            key=answer_timer_key(referral.referral_id, referral.escalation_level + 1),
        )
    if not referral.is_open:
        # Its intake's interpreter, still to come, is withdrawn from the partner (issue 18).
        await interpreters.withdraw_for_referral(uow, referral)
        # Late import: the waiting list refers again through this module.
        from zroute_support.service_layer.handlers.waiting import dispatch_waiting

        await dispatch_waiting(uow, deps)


async def decline(
    uow: SupportUnitOfWork,
    deps: Deps,
    referral: Referral,
    side: ReferralSide,
    reason: str,
    reroute: bool,
) -> Referred | None:
    """The care partner declines; with ``reroute`` the next capable partner gets a new
    referral naming this one, or it waits with the reason."""
    chain = await uow.referrals.chain_partners(referral)
    who = await routing.participant(uow, referral.participant_ref)
    request = await follow_up_request(uow, referral, exclude=tuple(sorted(chain)))
    choice = None
    if reroute:
        choice = await routing.route(
            uow,
            who=who,
            task=CARE_TASK[referral.category],
            capability=PartnerCapability(referral.category.value),
            day=local_day(uow.clock.now()),
            load=partial(uow.referrals.open_load, referral.category),
            exclude=chain,
            overflow_order=deps.overflow_order,
        )
    referral.decline(side, reason, rerouting=bool(choice and choice.partner_id))
    await save(uow, deps, referral)
    if not reroute:
        return None
    return await refer(uow, deps, who, request, preferred=choice.partner_id if choice else None)


async def follow_up_request(
    uow: SupportUnitOfWork, referral: Referral, *, exclude: tuple[str, ...] = ()
) -> ReferralRequest:
    """The request of a referral that replaces ``referral`` (re-routed or reassigned): the
    same codes, consent (or override) and context; a new thread."""
    return ReferralRequest(
        category=referral.category,
        severity=referral.severity,
        urgency=referral.urgency,
        consent_id=referral.consent_id,
        referrer=referral.referrer,
        signal_id=referral.signal_id,
        rerouted_from=referral.referral_id,
        exclude=exclude,
        consent_overridden=referral.consent_overridden,
        context=await uow.referrals.context(referral.referral_id),
    )


async def cancel_open(
    uow: SupportUnitOfWork,
    deps: Deps,
    ref: str,
    reason: ReferralCancelReason,
    *,
    consent_id: UUID | None = None,
    signals_kept: Collection[UUID] | None = None,
) -> list[Referral]:
    """Cancel the participant's open referrals (under one consent, or for signals no
    longer current) at once; each care partner gets the addressed cancellation."""
    cancelled = []
    for referral in await uow.referrals.open_for(ref, consent_id=consent_id):
        if signals_kept is not None and (
            referral.signal_id is None or referral.signal_id in signals_kept
        ):
            continue
        referral.cancel(ReferralSide.SYSTEM, reason)
        await save(uow, deps, referral)
        cancelled.append(referral)
    return cancelled


async def escalate_unanswered(timer: DueTimer, uow: SupportUnitOfWork, *, deps: Deps) -> None:
    """Timer ``referral-answer-due``: a referral still requested escalates, and again
    after its urgency's interval up to the configured level."""
    referral = await uow.referrals.get(UUID(timer.key.split("/")[0]), for_update=True)
    if referral is None or not referral.escalate():
        return
    await uow.referrals.save(referral, uow.clock.now())
    _log.info(
        "referral_escalated",
        referral_id=str(referral.referral_id),
        level=referral.escalation_level,
    )
    if referral.escalation_level < deps.max_escalations:
        await uow.timers.schedule(
            kind=ANSWER_TIMER,
            key=answer_timer_key(referral.referral_id, referral.escalation_level + 1),
            due_at=next_escalation(uow.clock.now(), referral.urgency, deps.urgency_rules),
        )
