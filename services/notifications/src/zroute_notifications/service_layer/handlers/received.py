"""Every consumed event: kept (the digests, the webhooks and the overview read it back)
and fed to the read model (``readmodel.writers.WRITERS``)."""

from __future__ import annotations

from zroute_contract.events.base import Event
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work


async def record(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    """Keep the event and update the read model with it (a redelivery changes nothing)."""
    uow = unit_of_work(ctx)
    await uow.notifications.save_event(ctx.envelope, uow.clock.now())
    await uow.readmodel.apply(event)
