"""Handlers of the intake events support consumes."""

from __future__ import annotations

from zroute_contract.events.codes import ConsentPurpose, PreconditionKind, ReferralCancelReason
from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    IntakeCompleted,
    IntakeCorrected,
    ParticipantMovedIn,
    ParticipantRegistered,
    ParticipantWithdrawn,
    PersonalDataChanged,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext, Unprocessable

from zroute_support.domain.consents import Consent
from zroute_support.domain.participants import CareSignal, Participant
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import interpreters, preconditions, referrals

_log = get_logger(__name__)


async def known_participant(ctx: HandlerContext, ref: str) -> Participant:
    """The participant an event is about. An unknown one has not been registered *yet*
    as far as this service knows (its ``participant-registered`` may be in a retry queue):
    the event waits for it, and is dead-lettered with the reason when it never comes."""
    who: Participant | None = await ctx.uow.participants.get(ref)
    if who is None:
        raise AwaitingPredecessor(f"unknown participant {ref}")
    return who


async def register_participant(event: ParticipantRegistered, ctx: HandlerContext) -> None:
    """Remember the participant's programme and municipality, and the language codes a
    referral's intake asks an interpreter in (nothing personal)."""
    await ctx.uow.participants.register(
        event.participant_ref,
        event.programme_id,
        event.municipality,
        event.registered_on,
        (event.preferred_language, event.interpreter_needed),
    )


async def change_personal_data(event: PersonalDataChanged, ctx: HandlerContext) -> None:
    """Intake changed the participant's data: support keeps the language codes (an address
    or phone never travels), and its coming interpreter requests follow a new language."""
    who = await known_participant(ctx, event.participant_ref)
    if event.preferred_language is None and event.interpreter_needed is None:
        return  # address, phone or e-mail: nothing support keeps
    await ctx.uow.participants.change_languages(
        event.participant_ref, event.preferred_language, event.interpreter_needed
    )
    language = event.preferred_language
    asked = 0
    if language is not None and language != who.preferred_language:
        asked = await interpreters.follow_language(ctx.uow, who, language)
    _log.info(
        "participant.languages_changed",
        participant_ref=event.participant_ref,
        interpreter_requests_asked_again=asked,
    )


async def move_participant(event: ParticipantMovedIn, ctx: HandlerContext) -> None:
    """The new municipality imported the dossier (W 15(4)): the participant's referrals,
    placements, preconditions and waiting entries are its staff's from now on, and no
    longer the old municipality's (they have no municipality of their own)."""
    await known_participant(ctx, event.participant_ref)
    await ctx.uow.participants.move(event.participant_ref, event.to_municipality)
    _log.info(
        "participant_moved",
        participant_ref=event.participant_ref,
        to_municipality=event.to_municipality,
    )


async def assign_contact_person(
    event: ContactPersonAssigned, ctx: HandlerContext, *, deps: Deps
) -> None:
    await known_participant(ctx, event.participant_ref)
    await ctx.uow.participants.set_contact(event.participant_ref, event.contact)
    await referrals.refer_covered_signals(ctx.uow, deps, event.participant_ref)


async def record_consent(event: ConsentRecorded, ctx: HandlerContext, *, deps: Deps) -> None:
    await known_participant(ctx, event.participant_ref)
    await ctx.uow.participants.add_consent(
        Consent(
            consent_id=event.consent_id,
            participant_ref=event.participant_ref,
            purpose=event.purpose,
            care_signal_ids=event.care_signal_ids,
            given_on=event.given_on,
            valid_until=event.valid_until,
        )
    )
    if event.purpose is ConsentPurpose.CARE_REFERRAL:
        await referrals.refer_covered_signals(ctx.uow, deps, event.participant_ref)


async def withdraw_consent(event: ConsentWithdrawn, ctx: HandlerContext, *, deps: Deps) -> None:
    """Open referrals under the consent are cancelled at once; the partners are told."""
    await known_participant(ctx, event.participant_ref)
    if not await ctx.uow.participants.withdraw_consent(event.consent_id, event.withdrawn_on):
        # Withdrawn before it was recorded here: consent-recorded is still on its way.
        raise AwaitingPredecessor(f"unknown consent {event.consent_id}")
    cancelled = await referrals.cancel_open(
        ctx.uow,
        deps,
        event.participant_ref,
        ReferralCancelReason.CONSENT_WITHDRAWN,
        consent_id=event.consent_id,
    )
    waiting = ctx.uow.waiting
    for entry in await waiting.waiting():
        if entry.request.get("consent_id") == str(event.consent_id):
            await waiting.resolve(entry.entry_id, ctx.uow.clock.now())
    _log.info(
        "consent_withdrawn", consent_id=str(event.consent_id), referrals_cancelled=len(cancelled)
    )


async def record_care_signals(
    event: CareSignalsRecorded, ctx: HandlerContext, *, deps: Deps
) -> None:
    """The complete current set of signals: refer those consent covers; cancel referrals
    of signals that are gone."""
    if await ctx.uow.partners.get(event.partner_id) is None:
        # Partners are registered here, in support, before intake can name one: a partner
        # support does not know will never come. Dead-lettered at once.
        raise Unprocessable(f"unknown partner {event.partner_id}")
    await known_participant(ctx, event.participant_ref)
    await ctx.uow.participants.replace_signals(
        event.participant_ref,
        [
            CareSignal(s.signal_id, s.category, s.severity, s.urgency, s.consent_id)
            for s in event.signals
        ],
    )
    await referrals.cancel_open(
        ctx.uow,
        deps,
        event.participant_ref,
        ReferralCancelReason.NO_LONGER_NEEDED,
        signals_kept={s.signal_id for s in event.signals},
    )
    await referrals.refer_covered_signals(ctx.uow, deps, event.participant_ref)


async def record_preconditions(
    event: IntakeCompleted | IntakeCorrected, ctx: HandlerContext, *, deps: Deps
) -> None:
    """Which preconditions the (corrected) outcome needs: childcare, transport and the
    configured kinds it names in ``other_preconditions`` (issue 17 item 8)."""
    who = await known_participant(ctx, event.participant_ref)
    await preconditions.record_needs(
        ctx.uow,
        who,
        {
            PreconditionKind.CHILDCARE.value: event.childcare.needed,
            PreconditionKind.TRANSPORT.value: event.transport.needed,
            **{code: True for code in event.other_preconditions},
        },
        deps.precondition_kinds,
    )


async def withdraw_participant(
    event: ParticipantWithdrawn, ctx: HandlerContext, *, deps: Deps
) -> None:
    """Open referrals are cancelled (partners told), placements and preconditions end."""
    await known_participant(ctx, event.participant_ref)
    await ctx.uow.participants.withdraw(event.participant_ref, event.effective_on)
    await ctx.uow.waiting.resolve_for(event.participant_ref, ctx.uow.clock.now())
    await referrals.cancel_open(
        ctx.uow, deps, event.participant_ref, ReferralCancelReason.PARTICIPANT_WITHDRAWN
    )
    await end_participation(ctx, event.participant_ref)
    await interpreters.withdraw_for_participant(ctx.uow, event.participant_ref)
    _log.info("participant_withdrawn", participant_ref=event.participant_ref)


async def end_participation(ctx: HandlerContext, ref: str, *, completed: bool = False) -> None:
    """Placements (and their job coaching) and preconditions end with the route."""
    repo = ctx.uow.placements
    for placement in await repo.active_for(ref):
        placement.end() if completed else placement.cancel()
        await repo.save(placement, ctx.uow.clock.now())
    await preconditions.end_all(ctx.uow, ref)
