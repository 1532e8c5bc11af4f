"""Who may see or act on a record: the partner or municipality a caller is limited to,
and the side a caller takes on a referral. Refusals are :class:`Forbidden` (403)."""

from __future__ import annotations

from zroute_contract.events.codes import ReferralSide
from zroute_runtime.auth import Principal, Role

from zroute_support.domain.errors import Forbidden
from zroute_support.domain.placements import Placement
from zroute_support.domain.preconditions import Precondition
from zroute_support.service_layer.handlers import routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

NO_PARTNER_ACCESS = "no access to this partner's records"


def ensure_partner(principal: Principal, partner_id: str | None) -> None:
    """403 unless the caller may act for ``partner_id``."""
    if not principal.may_act_for_partner(partner_id or "-"):
        raise Forbidden(NO_PARTNER_ACCESS)


async def ensure_participant_municipality(
    uow: SupportUnitOfWork, principal: Principal, participant_ref: str, what: str = "record"
) -> None:
    """403 when the participant a record is about belongs to another municipality.

    Referrals, placements and preconditions carry no municipality of their own: theirs is
    the participant's, so a participant who moves takes the records along.
    """
    if principal.municipality_scope() is None:
        return  # nothing to compare: skip the look-up
    who = await routing.participant(uow, participant_ref)
    principal.ensure_municipality(who.municipality, what)


def side_of(principal: Principal, partner_id: str) -> ReferralSide:
    """The side a caller acts on for a referral with ``partner_id``: that partner's staff
    are the performer, caseworkers and coordinators the referrer."""
    if Role.PARTNER_STAFF in principal.roles and principal.partner_id == partner_id:
        return ReferralSide.PERFORMER
    if principal.has_any_role(Role.CASEWORKER, Role.COORDINATOR):
        return ReferralSide.REFERRER
    raise Forbidden(NO_PARTNER_ACCESS)


async def ensure_placement(
    uow: SupportUnitOfWork, principal: Principal, placement: Placement
) -> None:
    """403 unless the caller may see the placement: its municipality, and for partner staff
    its participation or job-coach partner."""
    await ensure_participant_municipality(uow, principal, placement.participant_ref, "placement")
    own = principal.partner_scope()
    if own is None:
        return
    coach = placement.job_coach.partner_id if placement.job_coach else None
    if own != coach:
        ensure_partner(principal, placement.partner_id)


async def ensure_precondition(
    uow: SupportUnitOfWork, principal: Principal, precondition: Precondition
) -> None:
    """403 unless the caller may act on the task: its municipality, and for partner staff
    the partner that holds or arranged it."""
    await ensure_participant_municipality(
        uow, principal, precondition.participant_ref, "precondition"
    )
    if principal.partner_scope() is not None:
        ensure_partner(principal, precondition.arranged_by or precondition.partner_id)
        await ensure_serves_participant(uow, principal, precondition)


async def ensure_serves_participant(
    uow: SupportUnitOfWork, principal: Principal, precondition: Precondition
) -> None:
    """403 for staff of a partner that does not serve the participant's municipality."""
    who = await routing.participant(uow, precondition.participant_ref)
    partner = await uow.partners.get(principal.partner_id or "-")
    if partner is None or not partner.serves(who.municipality):
        raise Forbidden("your partner does not serve this participant's municipality")
