"""Dependencies of the HTTP routers: the service's deps, who may call, and the unit of
work of a command or a read in the caller's context, with the service's repositories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import typed
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

T = TypeVar("T")


async def get_deps(runtime: Runtime) -> Deps:
    """The deps ``bootstrap.definition`` chose for this service."""
    deps: Deps = runtime.definition.deps
    # The participant texts' fall backs to Dutch, counted in the catalogues, go on
    # /metrics from the first request on (the runtime offers no start hook for it).
    deps.register_metrics(runtime.metrics.registry)
    return deps


NotificationsDeps = Annotated[Deps, Depends(get_deps)]

Anyone = Annotated[
    Principal,
    Depends(require_roles(Role.CASEWORKER, Role.PARTNER_STAFF, Role.COORDINATOR, Role.OPERATOR)),
]
Staff = Anyone
Managers = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.OPERATOR))]
Operators = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
Caseworkers = Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]


@asynccontextmanager
async def reading(runtime: Any, request: Request) -> AsyncIterator[NotificationsUnitOfWork]:
    """A unit of work for a read (``zroute_runtime.commands.command``, not committed); a
    refusal inside becomes its 4xx answer."""
    async with command(runtime, request) as uow:
        yield typed(uow)


async def run(
    runtime: Any, request: Request, handler: Callable[[NotificationsUnitOfWork], Awaitable[T]]
) -> T:
    """Run a command in its own unit of work in the caller's context and commit it
    (``zroute_runtime.commands.run_command``); a refusal becomes its 4xx answer."""
    return await run_command(runtime, request, lambda uow: handler(typed(uow)))
