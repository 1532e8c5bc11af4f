"""Every consumed event: kept (the digests, the webhooks and the overview read it back)
and fed to the read model (``readmodel.writers.WRITERS``)."""

from __future__ import annotations

from zroute_contract.events.base import Event
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work


async def record(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    """Keep the event and update the read model with it (a redelivery changes nothing);
    one statement for both where the event's writer allows (``writers.KEEPING``)."""
    uow = unit_of_work(ctx)
    await uow.readmodel.keep_and_apply(ctx.envelope, event, uow.clock.now())
