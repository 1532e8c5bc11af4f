"""Handlers of registry events: participants registered or moved to another municipality
(their municipality scopes what caseworkers see) and the partners planning may plan with
(L1)."""

from __future__ import annotations

from zroute_contract.events.intake import ParticipantMovedIn, ParticipantRegistered
from zroute_contract.events.support import PartnerProfile
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def participant_registered(
    event: ParticipantRegistered, ctx: HandlerContext, deps: Deps
) -> None:
    """Remember the participant's programme and municipality."""
    uow: PlanningUnitOfWork = ctx.uow
    await uow.records.record_participant(
        event.participant_ref,
        event.programme_id,
        event.municipality,
        registered_on=event.registered_on,
    )
    log.info("participant_recorded", participant_ref=event.participant_ref)


async def participant_moved_in(event: ParticipantMovedIn, ctx: HandlerContext, deps: Deps) -> None:
    """The new municipality imported the dossier (W 15(4)): the participant is its from
    now on, so its caseworkers and coordinators see the plan and the old one's do not.
    The route, the plan and the programme stay as they are."""
    uow: PlanningUnitOfWork = ctx.uow
    await uow.records.move_participant(
        event.participant_ref, event.programme_id, event.to_municipality
    )
    log.info(
        "participant_moved",
        participant_ref=event.participant_ref,
        to_municipality=event.to_municipality,
    )


async def partner_profile(event: PartnerProfile, ctx: HandlerContext, deps: Deps) -> None:
    """``partner-registered`` and ``partner-updated`` both carry the whole profile."""
    uow: PlanningUnitOfWork = ctx.uow
    await uow.records.record_partner(event.partner_id, list(event.capabilities), event.active)
    log.info("partner_recorded", partner_id=event.partner_id, active=event.active)
