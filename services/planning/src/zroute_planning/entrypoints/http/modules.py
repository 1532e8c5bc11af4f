"""Maatwerk modules (issue 16 item 4): list, add or remove with a reason, complete."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import CurriculumModule, HoursKind, TeachingForm
from zroute_contract.types import PartnerId
from zroute_runtime.http_host import Runtime

from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import _In
from zroute_planning.service_layer.handlers import modules
from zroute_planning.service_layer.handlers.modules import ModuleCommand

router = APIRouter(prefix="/participants/{participant_ref}/modules", tags=["modules"])

Reason = Annotated[str, Field(min_length=5, max_length=500)]
Hours = Annotated[float, Field(ge=0, le=800, multiple_of=0.25)]


class ModuleIn(_In):
    """A customised module to add: its hours, provider and teaching form, and why. With
    hours it takes a session a week in the participant's week (the form named, else the
    one the rules give the module)."""

    module: CurriculumModule
    provider_id: PartnerId | None = None
    hours: Hours = 0
    teaching_form: TeachingForm | None = None
    reason: Reason


class ModuleRemovalIn(_In):
    reason: Reason


class ModuleCompletionIn(_In):
    hours: Hours = 0
    reason: Reason = "module completed"


class ModuleOut(BaseModel):
    module: CurriculumModule
    customised: bool
    provider_id: str | None
    hours: float
    teaching_form: TeachingForm | None
    hours_kind: HoursKind | None
    completed_on: date | None
    completed_hours: float | None


async def _list(uow, deps, plan) -> list[ModuleOut]:  # type: ignore[no-untyped-def]
    return [ModuleOut(**m) for m in await modules.modules_of(uow, deps, plan)]


@router.get("")
async def list_modules(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[ModuleOut]:
    """The plan's modules: the core and the customised ones, with hours and completion."""
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        return await _list(uow, deps, plan)


@router.post("", status_code=201)
async def add_module(
    participant_ref: ParticipantRef,
    body: ModuleIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[ModuleOut]:
    """Add a customised module (the caseworker or the school), with a reason."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = ModuleCommand(
            body.module, body.reason, principal.subject, runtime.clock.now(),
            local_today(runtime), body.provider_id, body.hours, body.teaching_form,
        )  # fmt: skip
        await modules.add_module(uow, deps, plan, cmd)
        await uow.commit()
        return await _list(uow, deps, plan)


@router.post("/{module}/removal")
async def remove_module(
    participant_ref: ParticipantRef,
    module: CurriculumModule,
    body: ModuleRemovalIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[ModuleOut]:
    """Remove a customised module, with a reason (a core module stays: 422)."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = ModuleCommand(
            module, body.reason, principal.subject, runtime.clock.now(), local_today(runtime)
        )
        await modules.remove_module(uow, deps, plan, cmd)
        await uow.commit()
        return await _list(uow, deps, plan)


@router.post("/{module}/completion")
async def complete_module(
    participant_ref: ParticipantRef,
    module: CurriculumModule,
    body: ModuleCompletionIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[ModuleOut]:
    """Record that a customised module was completed, with its hours."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = ModuleCommand(
            module, body.reason, principal.subject, runtime.clock.now(), local_today(runtime),
            hours=body.hours,
        )  # fmt: skip
        await modules.complete_module(uow, deps, plan, cmd)
        await uow.commit()
        return await _list(uow, deps, plan)
