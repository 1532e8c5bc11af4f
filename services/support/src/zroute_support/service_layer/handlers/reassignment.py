"""A coordinator moves a referral, or a referral or placement waiting for a partner, to a
partner of their choice, with a reason from the configured list (issue 17). The choice is
checked (the partner is active, capable and serves the participant's municipality), not
its capacity: the coordinator decides. A partner other than the one the task division
names is allowed, as a recorded exception."""

from __future__ import annotations

from zroute_contract.events.codes import (
    PartnerCapability,
    ReferralCancelReason,
    ReferralSide,
    RouteTask,
)
from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_support.domain.commands import Reassign
from zroute_support.domain.errors import Conflict, NotFound, Refused
from zroute_support.domain.participants import Participant
from zroute_support.domain.partners import CARE_TASK
from zroute_support.domain.placements import Placement, PlacementStatus
from zroute_support.domain.reassignments import Reassignment
from zroute_support.domain.referral_requests import ReferralRequest
from zroute_support.domain.referrals import Referral
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps, check_reason
from zroute_support.service_layer.handlers import referrals, routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def _chosen(
    uow: SupportUnitOfWork, who: Participant, partner_id: str, capability: PartnerCapability
) -> None:
    partner = await routing.capable_partner(uow, partner_id, capability)
    if not partner.active:
        raise Refused(f"partner {partner_id} takes no new work")
    if not partner.serves(who.municipality):
        raise Refused(f"partner {partner_id} does not serve {who.municipality}")


async def _exception(uow: SupportUnitOfWork, who: Participant, task: RouteTask, to: str) -> bool:
    """True when the task division in force does not name ``to`` for ``task``."""
    agreement = await routing.agreement_on(uow, who.programme_id, local_day(uow.clock.now()))
    return agreement is None or agreement.responsible_for(task) != to


async def _record(
    uow: SupportUnitOfWork,
    principal: Principal,
    who: Participant,
    kind: str,
    command: Reassign,
    from_partner: str | None,
    task: RouteTask,
) -> Reassignment:
    reassignment = Reassignment(
        kind=kind,
        item_id=command.item_id,
        participant_ref=who.participant_ref,
        programme_id=who.programme_id,
        from_partner=from_partner,
        to_partner=command.partner_id,
        reason=command.reason,
        exception=await _exception(uow, who, task, command.partner_id),
        reassigned_by=principal.subject,
        reassigned_at=uow.clock.now(),
    )
    _log.info(
        "work_reassigned",
        kind=kind,
        item_id=str(command.item_id),
        partner_id=command.partner_id,
        outside_task_division=reassignment.exception,
    )
    return reassignment


async def reassign_referral(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, command: Reassign
) -> Referral:
    """Cancel the open referral (``reassigned``; its partner is told to stop) and send a
    new one, with the same context, to the chosen partner."""
    check_reason(command.reason, deps.reassign_reasons, "reassign")
    referral = await referrals.load(uow, command.item_id)
    await access.ensure_participant_municipality(
        uow, principal, referral.participant_ref, "referral"
    )
    if not referral.is_open:
        raise Conflict(f"a referral that is {referral.status.value} cannot be reassigned")
    if referral.partner_id == command.partner_id:
        raise Conflict(f"the referral is with {command.partner_id} already")
    who = await routing.participant(uow, referral.participant_ref)
    await _chosen(uow, who, command.partner_id, PartnerCapability(referral.category.value))
    request = await referrals.follow_up_request(uow, referral)
    reassignment = await _record(
        uow, principal, who, "referral", command, referral.partner_id, CARE_TASK[referral.category]
    )
    referral.acted_by = principal.subject
    referral.cancel(ReferralSide.REFERRER, ReferralCancelReason.REASSIGNED)
    await referrals.save(uow, deps, referral)
    moved = await referrals.send(uow, deps, who, request, command.partner_id, by=principal.subject)
    reassignment.referral_moved(moved.referral_id, referral.referral_id)
    await uow.reassignments.add(reassignment)
    return moved


async def assign_waiting(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, command: Reassign
) -> Referral | Placement:
    """Hand a waiting referral or placement request to the chosen partner."""
    check_reason(command.reason, deps.reassign_reasons, "reassign")
    entry = await uow.waiting.get(command.item_id)
    if entry is not None and entry.kind == "referral":
        who = await routing.participant(uow, entry.participant_ref)
        principal.ensure_municipality(who.municipality, "waiting-list entry")
        request = ReferralRequest.from_json(entry.request)
        await _chosen(uow, who, command.partner_id, entry.capability)
        task = CARE_TASK[request.category]
        reassignment = await _record(uow, principal, who, "waiting_referral", command, None, task)
        sent = await referrals.send(
            uow, deps, who, request, command.partner_id, by=principal.subject
        )
        await uow.waiting.resolve(entry.entry_id, uow.clock.now())
        reassignment.referral_moved(sent.referral_id, None)
        await uow.reassignments.add(reassignment)
        return sent
    return await _assign_placement(uow, principal, command)


async def _assign_placement(
    uow: SupportUnitOfWork, principal: Principal, command: Reassign
) -> Placement:
    placement = await uow.placements.get(command.item_id)
    if placement is None or placement.status is not PlacementStatus.WAITING:
        raise NotFound(f"nothing waits on the waiting list as {command.item_id}")
    who = await routing.participant(uow, placement.participant_ref)
    principal.ensure_municipality(who.municipality, "waiting-list entry")
    await _chosen(uow, who, command.partner_id, PartnerCapability.PARTICIPATION_WORKPLACES)
    reassignment = await _record(
        uow, principal, who, "placement", command, None, RouteTask.PARTICIPATION_PLACEMENT
    )
    placement.route_to(command.partner_id, None)
    await uow.placements.save(placement, uow.clock.now())
    await uow.reassignments.add(reassignment)
    return placement
