"""The caseworker's command on the personal-page links: revoke them (a letter was lost)."""

from __future__ import annotations

from zroute_runtime.auth import Principal
from zroute_runtime.logging import get_logger

from zroute_notifications.domain.commands import RevokeLinks
from zroute_notifications.service_layer.scope import ensure_participant
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


async def revoke_links(
    uow: NotificationsUnitOfWork, principal: Principal, command: RevokeLinks
) -> int:
    """Revoke the participant's links in force; how many. A revoked link answers 410."""
    await ensure_participant(uow, principal, command.participant_ref)
    revoked = await uow.participants.revoke_links(command.participant_ref, uow.clock.now())
    log.info("page_links_revoked", participant_ref=command.participant_ref, count=revoked)
    return revoked
