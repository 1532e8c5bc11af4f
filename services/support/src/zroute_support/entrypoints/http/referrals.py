"""``/referrals``: closed-loop care referrals (lesson L5).

Partner staff see and act on their own partner's referrals only, as the care partner;
caseworkers and coordinators act as the referrer and see the programme, or only the
participants of their municipality when their token names one.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import ValidationError
from zroute_contract.events.codes import (
    CareCategory,
    ContactRole,
    PartnerCapability,
    ReferralSide,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_contract.types import PartnerId, ProgrammeId
from zroute_runtime.auth import Principal, ensure_partner_access
from zroute_runtime.context import MessageContext
from zroute_runtime.http_host import Runtime

from zroute_support.adapters.participants_repo import ParticipantRepository
from zroute_support.adapters.referrals_repo import ReferralRepository
from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.referrals import Outcome, Referral
from zroute_support.entrypoints.http.deps import (
    Anyone,
    DomainErrorRoute,
    Referrer,
    RulesDep,
    ensure_municipality,
    ensure_participant_municipality,
    own_municipality,
    own_partner,
    side_of,
)
from zroute_support.entrypoints.http.referral_schemas import (
    CancelIn,
    CompleteIn,
    DeclineIn,
    ReasonIn,
    ReferralIn,
    ReferralOut,
    RequestedOut,
)
from zroute_support.service_layer import lookups
from zroute_support.service_layer import referrals as service
from zroute_support.service_layer.referral_requests import ReferralRequest
from zroute_support.service_layer.rules import Rules, check_reason, local_date

router = APIRouter(prefix="/referrals", tags=["referrals"], route_class=DomainErrorRoute)


@router.get("")
async def list_referrals(
    principal: Anyone,
    runtime: Runtime,
    programme_id: ProgrammeId | None = None,
    partner_id: PartnerId | None = None,
) -> list[ReferralOut]:
    """Partner staff get their own partner's referrals only; caseworkers and coordinators
    limited to a municipality that municipality's; others the programme."""
    own = own_partner(principal)
    if own is not None:
        if partner_id is not None:
            ensure_partner_access(principal, partner_id)
        partner_id = own
    async with runtime.pool.acquire() as conn:
        found = await ReferralRepository(conn).list(
            partner_id=partner_id,
            programme_id=programme_id,
            municipality=own_municipality(principal),
        )
    return [ReferralOut.of(r) for r in found]


@router.get("/{referral_id}")
async def read(referral_id: UUID, principal: Anyone, runtime: Runtime) -> ReferralOut:
    async with runtime.pool.acquire() as conn:
        referral = await ReferralRepository(conn).get(referral_id)
        if referral is None:
            raise NotFound(f"unknown referral {referral_id}")
        await ensure_participant_municipality(principal, conn, referral.participant_ref, "referral")
    if own_partner(principal) is not None:
        ensure_partner_access(principal, referral.partner_id)
    return ReferralOut.of(referral)


@router.post("", status_code=201)
async def request(
    body: ReferralIn, principal: Referrer, runtime: Runtime, rules: RulesDep, response: Response
) -> RequestedOut:
    """A caseworker's referral; only under a care-referral consent on record (422 without),
    and only for a participant of the caller's municipality when the token names one (403)."""
    async with runtime.uow(MessageContext.new()) as uow:
        who = await lookups.participant(uow.conn, body.participant_ref)
        ensure_municipality(principal, who.municipality, "participant")
        if not who.active:
            raise Refused("the participant has left the route")
        day = local_date(uow.clock.now())
        repo = ParticipantRepository(uow.conn)
        consents = await repo.consents(who.participant_ref)
        categories = {
            s.signal_id: s.category for s in await repo.current_signals(who.participant_ref)
        }
        if not any(
            c.consent_id == body.consent_id
            and c.covers_referral(day, category=body.category, signal_categories=categories)
            for c in consents
        ):
            raise Refused(
                "no care-referral consent of the participant on record covers this category"
            )
        if body.partner_id is not None:
            await lookups.capable_partner(uow.conn, body.partner_id, _capability(body.category))
        referrer = who.contact or _caller(principal, who.municipality)
        result = await service.refer(
            uow,
            rules,
            who,
            ReferralRequest(
                category=body.category,
                severity=body.severity,
                urgency=body.urgency,
                consent_id=body.consent_id,
                referrer=referrer,
            ),
            preferred=body.partner_id,
        )
        await uow.commit()
    if result.referral is None:
        response.status_code = 202
    return RequestedOut(
        referral=ReferralOut.of(result.referral) if result.referral else None,
        waiting_reason=result.waiting_reason,
        waiting_entry_id=result.waiting_entry,
    )


def _capability(category: CareCategory):

    return PartnerCapability(category.value)


def _caller(principal: Principal, municipality: str) -> ContactPersonRef:
    """The caller as referrer, while the participant has no contact person yet."""
    try:
        return ContactPersonRef(
            staff_ref=principal.subject,
            role=ContactRole.CASEWORKER,
            municipality=principal.municipality or municipality,
        )
    except ValidationError as exc:
        raise Refused(
            "the participant has no contact person yet and the caller's id cannot stand in"
        ) from exc


async def act_on_referral(
    runtime: Runtime, rules: Rules, principal: Principal, referral_id: UUID, action: str, **kw
) -> ReferralOut:
    """One action on a referral, the way every endpoint of this router takes it (and the
    screens too): the municipality check, the referral rules, the partner check."""
    async with runtime.uow(MessageContext.new()) as uow:
        referral = await service.load(uow, referral_id)
        await ensure_participant_municipality(
            principal, uow.conn, referral.participant_ref, "referral"
        )
        if own_partner(principal) is not None:
            ensure_partner_access(principal, referral.partner_id)
        side = side_of(principal, referral.partner_id)
        if action == "decline":
            check_reason(kw["reason"], rules.decline_reasons, "decline")
            reroute = rules.reroute_on_decline if kw["reroute"] is None else kw["reroute"]
            await service.decline(uow, rules, referral, side, kw["reason"], reroute)
        else:
            _apply(referral, rules, side, action, kw)
            await service.save(uow, rules, referral)
        await uow.commit()
    return ReferralOut.of(referral)


def _apply(referral: Referral, rules: Rules, side: ReferralSide, action: str, kw: dict) -> None:
    if action in ("hold", "fail"):
        check_reason(kw["reason"], rules.status_reasons, action)
        getattr(referral, action)(side, kw["reason"])
    elif action == "complete":
        body: CompleteIn = kw["body"]
        check_reason(body.reason, rules.outcome_reasons, "outcome")
        outcome = Outcome(body.successful, body.service_delivered, body.delivered_on, body.reason)
        referral.complete(side, outcome)
    elif action == "cancel":
        referral.cancel(side, kw["reason"])
    else:
        getattr(referral, action)(side)


@router.post("/{referral_id}/accept")
async def accept(referral_id: UUID, p: Anyone, runtime: Runtime, rules: RulesDep) -> ReferralOut:
    """The care partner accepts (performer only)."""
    return await act_on_referral(runtime, rules, p, referral_id, "accept")


@router.post("/{referral_id}/decline")
async def decline(
    referral_id: UUID, body: DeclineIn, p: Anyone, runtime: Runtime, rules: RulesDep
) -> ReferralOut:
    """The care partner declines with a reason; it is re-routed to the next capable partner
    unless ``reroute`` is false."""
    return await act_on_referral(
        runtime, rules, p, referral_id, "decline", reason=body.reason, reroute=body.reroute
    )


@router.post("/{referral_id}/start")
async def start(referral_id: UUID, p: Anyone, runtime: Runtime, rules: RulesDep) -> ReferralOut:
    return await act_on_referral(runtime, rules, p, referral_id, "start")


@router.post("/{referral_id}/hold")
async def hold(
    referral_id: UUID, body: ReasonIn, p: Anyone, runtime: Runtime, rules: RulesDep
) -> ReferralOut:
    return await act_on_referral(runtime, rules, p, referral_id, "hold", reason=body.reason)


@router.post("/{referral_id}/resume")
async def resume(referral_id: UUID, p: Anyone, runtime: Runtime, rules: RulesDep) -> ReferralOut:
    return await act_on_referral(runtime, rules, p, referral_id, "start")


@router.post("/{referral_id}/fail")
async def fail(
    referral_id: UUID, body: ReasonIn, p: Anyone, runtime: Runtime, rules: RulesDep
) -> ReferralOut:
    return await act_on_referral(runtime, rules, p, referral_id, "fail", reason=body.reason)


@router.post("/{referral_id}/complete")
async def complete(
    referral_id: UUID, body: CompleteIn, p: Anyone, runtime: Runtime, rules: RulesDep
) -> ReferralOut:
    """Close with the outcome: successful or not, a reason from the list, delivered when."""
    return await act_on_referral(runtime, rules, p, referral_id, "complete", body=body)


@router.post("/{referral_id}/cancel")
async def cancel(
    referral_id: UUID, body: CancelIn, p: Anyone, runtime: Runtime, rules: RulesDep
) -> ReferralOut:
    """The referrer cancels; the care partner is told to stop."""
    return await act_on_referral(runtime, rules, p, referral_id, "cancel", reason=body.reason)
