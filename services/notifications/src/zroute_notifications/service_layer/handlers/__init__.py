"""The notifications handlers, one module per feature:

- ``received``: every consumed event is kept and fed to the read model;
- ``messages``: the messages the communication matrix asks for, planned (never sent) here;
- ``consents``: a withdrawn consent stops the pending messages that relied on it;
- ``languages``: a changed preferred language waits for the registration it follows;
- ``reminders``: an intake moved or called off stops the reminders of its old time;
- ``overview``: the consultation overview's rhythm per programme, and sending it;
- ``delivery``: the timers that deliver one message and gather a period's digest;
- ``notifications``, ``directory``, ``subscriptions``: the HTTP API's commands.

``bootstrap`` registers them per event class; each takes the unit of work as a
``NotificationsUnitOfWork``.
"""

from __future__ import annotations

from typing import cast

from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork


def unit_of_work(ctx: HandlerContext) -> NotificationsUnitOfWork:
    """The handler's unit of work with the service's typed repositories (made on it by
    ``bootstrap.repositories``)."""
    return cast(NotificationsUnitOfWork, ctx.uow)


def typed(uow: object) -> NotificationsUnitOfWork:
    """A timer's or a command's unit of work as the service's own (its repositories were
    made on it by ``bootstrap.repositories``)."""
    return cast(NotificationsUnitOfWork, uow)
