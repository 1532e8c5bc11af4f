"""Dependencies of the HTTP routers: the planning deps, today, who may call, and a
participant's plan loaded in the caller's command context with the caller's access checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Request
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps, today
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork


def get_deps(runtime: Runtime) -> Deps:
    deps = getattr(runtime.definition, "deps", None)
    if deps is None:
        settings = runtime.settings
        deps = Deps(settings.rules(), settings.teaching_partner_id, settings.solver_workers)
        runtime.definition.deps = deps
    return deps


PlanningDeps = Annotated[Deps, Depends(get_deps)]
ParticipantRef = Annotated[str, Path(pattern=PARTICIPANT_REF_PATTERN)]

Staff = Annotated[
    Principal, Depends(require_roles(Role.PARTNER_STAFF, Role.COORDINATOR, Role.CASEWORKER))
]
"""Who may read and record on a participant: the teaching partner's staff (checked per
plan), and caseworkers and coordinators (of the participant's municipality, when their
token names one)."""

Organisers = Annotated[Principal, Depends(require_roles(Role.PARTNER_STAFF, Role.COORDINATOR))]
"""Who may organise groups: the teaching partner's staff and coordinators."""


def local_today(runtime: Runtime) -> date:
    return today(runtime.clock.now())


@asynccontextmanager
async def plan_for(
    runtime: Runtime,
    request: Request,
    deps: Deps,
    principal: Principal,
    ref: str,
    *,
    lock: bool = True,
    follow_up: bool = False,
) -> AsyncIterator[tuple[PlanningUnitOfWork, Plan]]:
    """A unit of work in the caller's context (``zroute_runtime.commands.command``) and the
    participant's plan as the caller may see it (``views.plan_for_caller``: 404, 403;
    ``follow_up``: as the follow-up's partner may, ``views.plan_for_follow_up``); a
    domain refusal inside becomes its 4xx answer. The route commits a command."""
    check = views.plan_for_follow_up if follow_up else views.plan_for_caller
    async with command(runtime, request) as uow:
        yield uow, await check(uow, deps, principal, ref, lock=lock)
