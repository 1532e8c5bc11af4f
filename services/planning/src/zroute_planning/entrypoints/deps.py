"""Dependencies of the HTTP routers: the planning deps, today, and a participant's plan
loaded with the caller's access checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Request
from zroute_contract.errors import Forbidden, NotFound
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.auth import Principal, Role, ensure_partner_access, require_roles
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_planning.adapters import records
from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer.deps import Deps, today


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
) -> AsyncIterator[tuple[UnitOfWork, Plan]]:
    """A unit of work in the caller's context (``zroute_runtime.commands.command``) and the
    participant's plan: 404 without one, 403 for a caller who may not see it; a domain
    refusal inside becomes its 4xx answer."""
    async with command(runtime, request) as uow:
        plan = await uow.plans.get(ref, lock=lock)
        if plan is None:
            raise NotFound("no plan for this participant")
        if Role.PARTNER_STAFF in principal.roles and not principal.has_any_role(
            Role.COORDINATOR, Role.CASEWORKER
        ):
            partner = await records.teaching_partner(
                uow.conn, plan.programme_id, deps.teaching_partner
            )
            ensure_partner_access(principal, partner)
        scope = principal.municipality_scope()
        if scope is not None:
            municipality = await records.municipality_of(uow.conn, plan.participant_ref)
            if municipality not in (None, scope):
                raise Forbidden("this participant belongs to another municipality")
        yield uow, plan
