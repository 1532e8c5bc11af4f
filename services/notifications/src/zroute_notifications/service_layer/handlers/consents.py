"""A withdrawn consent stops the messages still pending about what it covered."""

from __future__ import annotations

from zroute_contract.events.intake import ConsentWithdrawn
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work

log = get_logger(__name__)


async def consent_withdrawn(event: ConsentWithdrawn, ctx: HandlerContext, *, deps: Deps) -> None:
    """Fail (not authorised, no alert) every pending message that relied on the consent."""
    await outcomes.stop_relying_on(unit_of_work(ctx), deps, str(event.consent_id))
    log.info("consent_withdrawn_messages_stopped", consent_id=str(event.consent_id))
