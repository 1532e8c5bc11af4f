"""A participant's data changed in intake: only the codes travel (the preferred language),
and the read model's writer keeps the new language; this step makes a change that
overtook the registration wait for it, so the registration cannot undo it."""

from __future__ import annotations

from zroute_contract.events.intake import PersonalDataChanged
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work

log = get_logger(__name__)


async def personal_data_changed(
    event: PersonalDataChanged, ctx: HandlerContext, *, deps: Deps
) -> None:
    """Wait for the participant's registration (its language would otherwise be lost);
    the participant's messages follow the new language from now on."""
    uow = unit_of_work(ctx)
    if await uow.participants.profile(event.participant_ref) is None:
        raise AwaitingPredecessor(f"unknown participant {event.participant_ref}")
    log.info(
        "participant_language_followed",
        participant_ref=event.participant_ref,
        language_changed=event.preferred_language is not None,
    )
