"""The commands of the referral API and screens: a caseworker's request (with the checks
it needs: participant, municipality, consent, partner) and one action on a referral by the
referrer or the care partner."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ValidationError
from zroute_contract.events.codes import (
    CareCategory,
    ContactRole,
    PartnerCapability,
    ReferralCancelReason,
    ReferralSide,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_support.domain.commands import RequestReferral
from zroute_support.domain.consent_overrides import ConsentOverride
from zroute_support.domain.errors import Forbidden, Refused
from zroute_support.domain.participants import Participant
from zroute_support.domain.referral_context import ReferralContext, check_text
from zroute_support.domain.referral_requests import ReferralRequest, Referred
from zroute_support.domain.referrals import Outcome, Referral
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps, check_codes, check_reason
from zroute_support.service_layer.handlers import referrals, routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def request_referral(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    command: RequestReferral,
) -> Referred:
    """A caseworker's referral; only under a care-referral consent on record (422 without)
    or a coordinator's audited emergency override, and only for a participant of the
    caller's municipality when the token names one (403)."""
    who = await routing.participant(uow, command.participant_ref)
    principal.ensure_municipality(who.municipality, "participant")
    if not who.active:
        raise Refused("the participant has left the route")
    override = None
    if command.override is None:
        await _ensure_consent(uow, who, command.consent_id, command.category)
        assert command.consent_id is not None
        consent_id = command.consent_id
    else:
        override = _override(uow, deps, principal, who, command)
        consent_id = override.override_id
    if command.partner_id is not None:
        capability = PartnerCapability(command.category.value)
        await routing.capable_partner(uow, command.partner_id, capability)
    request = ReferralRequest(
        category=command.category,
        severity=command.severity,
        urgency=command.urgency,
        consent_id=consent_id,
        referrer=who.contact or _caller(principal, who.municipality),
        consent_overridden=override is not None,
        context=_context(uow, deps, principal, command),
        requested_by=principal.subject,
    )
    result = await referrals.refer(uow, deps, who, request, preferred=command.partner_id)
    if override is not None:
        referral_id = result.referral.referral_id if result.referral else None
        override.applied(referral_id, result.waiting_entry)
        await uow.overrides.add(override)
        _log.info(
            "consent_overridden",
            override_id=str(override.override_id),
            legal_ground=override.legal_ground,
        )
    return result


def _override(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    who: Participant,
    command: RequestReferral,
) -> ConsentOverride:
    """A coordinator's emergency override, on a ground from the list, with the reason."""
    assert command.override is not None
    if Role.COORDINATOR not in principal.roles:
        raise Forbidden("only a coordinator may refer without a covering consent")
    if command.consent_id is not None:
        raise Refused("name a consent or override it, not both")
    check_reason(command.override.legal_ground, deps.consent_override_grounds, "legal ground")
    reason = check_text(command.override.reason, "reason for the override")
    assert reason is not None
    return ConsentOverride.new(
        participant_ref=who.participant_ref,
        programme_id=who.programme_id,
        legal_ground=command.override.legal_ground,
        reason=reason,
        overridden_by=principal.subject,
        overridden_at=uow.clock.now(),
    )


def _context(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, command: RequestReferral
) -> ReferralContext | None:
    """What the referral says besides its codes, checked against the configured lists."""
    given = command.context
    if given is None:
        return None
    check_reason(given.reason_code, deps.referral_reasons, "referral")
    check_codes(given.supporting_info, deps.referral_supporting_info, "supporting information")
    return ReferralContext(
        reason_code=given.reason_code,
        supporting_info=tuple(given.supporting_info),
        note=check_text(given.note, "note"),
        recorded_by=principal.subject,
        recorded_at=uow.clock.now(),
    )


async def _ensure_consent(
    uow: SupportUnitOfWork, who: Participant, consent_id: UUID | None, category: CareCategory
) -> None:
    day = local_day(uow.clock.now())
    consents = await uow.participants.consents(who.participant_ref)
    categories = {
        s.signal_id: s.category for s in await uow.participants.current_signals(who.participant_ref)
    }
    if consent_id is None or not any(
        c.consent_id == consent_id
        and c.covers_referral(day, category=category, signal_categories=categories)
        for c in consents
    ):
        _log.info("referral_refused_without_consent", consent_id=str(consent_id or "-"))
        raise Refused("no care-referral consent of the participant on record covers this category")


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


async def act(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    referral_id: UUID,
    action: str,
    **kw: Any,
) -> Referral:
    """One action on a referral, the way every endpoint of the API takes it (and the
    screens too): the municipality check, the referral rules, the partner check."""
    referral = await referrals.load(uow, referral_id)
    await access.ensure_participant_municipality(
        uow, principal, referral.participant_ref, "referral"
    )
    if principal.partner_scope() is not None:
        access.ensure_partner(principal, referral.partner_id)
    side = access.side_of(principal, referral.partner_id)
    referral.acted_by = principal.subject
    if action == "decline":
        check_reason(kw["reason"], deps.decline_reasons, "decline")
        reroute = deps.reroute_on_decline if kw["reroute"] is None else kw["reroute"]
        await referrals.decline(uow, deps, referral, side, kw["reason"], reroute)
    else:
        _apply(referral, deps, side, action, kw)
        await referrals.save(uow, deps, referral)
    return referral


def _apply(referral: Referral, deps: Deps, side: ReferralSide, action: str, kw: Any) -> None:
    if action in ("hold", "fail"):
        check_reason(kw["reason"], deps.status_reasons, action)
        getattr(referral, action)(side, kw["reason"])
    elif action == "complete":
        outcome: Outcome = kw["outcome"]
        check_reason(outcome.reason, deps.outcome_reasons, "outcome")
        check_codes(outcome.delivered, deps.referral_outputs, "output")
        check_text(outcome.note, "note on what was delivered")
        referral.complete(side, outcome)
    elif action == "cancel":
        reason: ReferralCancelReason = kw["reason"]
        referral.cancel(side, reason)
    else:
        getattr(referral, action)(side)
