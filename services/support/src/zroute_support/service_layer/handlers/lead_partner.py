"""A lead partner per participant (issue 17 item 6): the programme's lead partner unless
the coordinator gave the participant one of their own, with a reason. Where the lead
partner is told of something about the participant (the matrix's ``lead_partner``),
notifications follows ``lead-partner-set``."""

from __future__ import annotations

from dataclasses import dataclass

from zroute_contract.events.support import LeadPartnerSet
from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day

from zroute_support.domain.errors import Refused
from zroute_support.domain.participants import Participant
from zroute_support.service_layer.deps import Deps, check_reason
from zroute_support.service_layer.handlers import routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork


@dataclass(frozen=True)
class LeadPartner:
    """The participant's lead partner, whether it is their own, and the programme's."""

    participant_ref: str
    lead_partner_id: str | None
    own: bool
    programme_lead_partner_id: str | None


async def lead_partner(uow: SupportUnitOfWork, principal: Principal, ref: str) -> LeadPartner:
    """The lead partner that applies to the participant today."""
    who = await routing.participant(uow, ref)
    principal.ensure_municipality(who.municipality, "participant")
    return await _applies(uow, who)


async def _applies(uow: SupportUnitOfWork, who: Participant) -> LeadPartner:
    agreement = await routing.agreement_on(uow, who.programme_id, local_day(uow.clock.now()))
    programme = agreement.terms.lead_partner_id if agreement else None
    own = who.lead_partner_id
    return LeadPartner(who.participant_ref, own or programme, own is not None, programme)


async def set_lead_partner(
    uow: SupportUnitOfWork,
    principal: Principal,
    deps: Deps,
    ref: str,
    partner_id: str | None,
    reason: str,
) -> LeadPartner:
    """Give the participant their own lead partner (active, serving their municipality),
    or back to the programme's with ``partner_id`` None; recorded and published."""
    check_reason(reason, deps.lead_partner_reasons, "lead partner")
    who = await routing.participant(uow, ref)
    principal.ensure_municipality(who.municipality, "participant")
    if partner_id is not None:
        partner = await routing.partner(uow, partner_id)
        if not partner.active or not partner.serves(who.municipality):
            raise Refused(f"partner {partner_id} is not active for {who.municipality}")
    now = uow.clock.now()
    await uow.participants.set_lead_partner(ref, partner_id, reason, principal.subject, now)
    uow.emit(
        LeadPartnerSet(
            participant_ref=ref,
            programme_id=who.programme_id,
            lead_partner_id=partner_id,
            reason=reason,
            set_by=principal.subject,
        ),
        subject=ref,
    )
    updated = Participant(
        who.participant_ref,
        who.programme_id,
        who.municipality,
        who.contact,
        who.withdrawn_on,
        partner_id,
    )
    return await _applies(uow, updated)
