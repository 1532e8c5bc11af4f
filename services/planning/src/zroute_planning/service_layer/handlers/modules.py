"""Maatwerk modules that count (issue 16 item 4): the caseworker and the school add or
remove a customised module with a reason, with its hours and provider, and record its
completion; the route's completion can require them (``completion_requires_modules``).
The modules the intake's needs and goals call for are on the plan from its activation.

A module planned with hours feeds the schedule and the hours: it takes a session a week in
the participant's published week (its teaching form, the kind of hours the rules give it),
is dated in the calendar as far as the calendar reaches, counts in the projection until
its hours are reached, and attendance on its sessions counts in the ledger and the
export under that kind. Removing or completing it publishes the week without it and
cancels its coming sessions with notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from zroute_contract.events.codes import (
    CurriculumModule,
    ModuleChange,
    TeachingForm,
)
from zroute_contract.events.planning import ModuleChanged
from zroute_runtime.logging import get_logger

from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.modules import (
    customised,
    module_teaching_of,
    modules_open,
    with_module,
    without_module,
)
from zroute_planning.domain.plan import Plan
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import calendar
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


@dataclass(frozen=True)
class ModuleCommand:
    """A change of one module: its provider and hours (adding or completing), why, who, when."""

    module: CurriculumModule
    reason: str
    by: str
    at: datetime
    on: date
    provider_id: str | None = None
    hours: float = 0.0
    teaching_form: TeachingForm | None = None


def _record(plan: Plan, cmd: ModuleCommand, change: ModuleChange) -> None:
    plan.record(
        ModuleChanged(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            module=cmd.module,
            change=change,
            provider_id=cmd.provider_id,
            hours=cmd.hours if change is not ModuleChange.REMOVED else None,
            changed_on=cmd.on,
        )
    )
    log.info(
        "module_changed", participant_ref=plan.participant_ref, module=cmd.module, change=change
    )


def _open(plan: Plan, cmd: ModuleCommand) -> None:
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    if len(cmd.reason.strip()) < 5:
        raise InvalidRequest("a module change says why (at least 5 characters)")


async def add_module(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, cmd: ModuleCommand) -> None:
    """Add a customised module with its hours, provider and teaching form; with hours it
    joins the participant's week, calendar and projection."""
    _open(plan, cmd)
    plan.modules = with_module(plan.modules, cmd.module, deps.rules)
    form = cmd.teaching_form
    if cmd.hours > 0:
        form, _ = module_teaching_of(cmd.module, cmd.teaching_form, deps.rules)
    await uow.records.add_module(
        plan.participant_ref, cmd.module.value, provider_id=cmd.provider_id, hours=cmd.hours,
        by=cmd.by, reason=cmd.reason.strip(), at=cmd.at,
        teaching_form=form.value if form else None,
    )  # fmt: skip
    _record(plan, cmd, ModuleChange.ADDED)
    await _follow(uow, deps, plan, cmd)
    await uow.plans.save(plan)


async def _follow(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plan: Plan,
    cmd: ModuleCommand,
    *,
    gone: CurriculumModule | None = None,
) -> None:
    """The week, the calendar and the projection after a module changed: the week
    published again, a module that ended (``gone``) cancelled in the coming calendar, the
    new week dated as far as the calendar reaches, and the projection reassessed."""
    if (week := await scheduling.publish_schedule(uow, deps, plan, cmd.on)) is not None:
        plan.record(week)
    if gone is not None:
        actor = calendar.Actor(cmd.by, cmd.at)
        await calendar.take_out_module(uow, plan, gone, cmd.on, actor)
    elif plan.start_on is not None:
        await calendar.date_own_week(uow, deps, plan, cmd.on)
    if plan.start_on is not None:
        await scheduling.reassess(uow, deps, plan, cmd.on)


async def remove_module(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, cmd: ModuleCommand
) -> None:
    """Remove a customised module; its row is kept with who removed it and why."""
    _open(plan, cmd)
    plan.modules = without_module(plan.modules, cmd.module, deps.rules)
    await uow.records.remove_module(
        plan.participant_ref, cmd.module.value, by=cmd.by, reason=cmd.reason.strip(), at=cmd.at
    )
    _record(plan, cmd, ModuleChange.REMOVED)
    await _follow(uow, deps, plan, cmd, gone=cmd.module)
    await uow.plans.save(plan)


async def complete_module(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, cmd: ModuleCommand
) -> None:
    """Record that a customised module of the plan was completed, with its hours."""
    _open(plan, cmd)
    if cmd.module not in customised(plan.modules, deps.rules):
        raise PlanError(f"the plan has no customised module {cmd.module}")
    done = await uow.records.complete_module(
        plan.participant_ref, cmd.module.value, on=cmd.on, hours=cmd.hours, by=cmd.by
    )
    if not done:  # a module the intake chose: its row is made on completion
        await uow.records.add_module(
            plan.participant_ref, cmd.module.value, provider_id=cmd.provider_id, hours=0.0,
            by=cmd.by, reason="chosen at intake", at=cmd.at,
        )  # fmt: skip
        await uow.records.complete_module(
            plan.participant_ref, cmd.module.value, on=cmd.on, hours=cmd.hours, by=cmd.by
        )
    _record(plan, cmd, ModuleChange.COMPLETED)
    await _follow(uow, deps, plan, cmd, gone=cmd.module)
    await uow.plans.save(plan)


async def modules_of(uow: PlanningUnitOfWork, deps: Deps, plan: Plan) -> list[dict[str, Any]]:
    """Every module of the plan: core or customised, provider, hours, completion."""
    rows = {r["module"]: r for r in await uow.records.modules(plan.participant_ref)}
    return [
        {
            "module": m,
            "customised": m in customised(plan.modules, deps.rules),
            "provider_id": rows.get(m, {}).get("provider_id"),
            "hours": rows.get(m, {}).get("hours") or 0.0,
            "teaching_form": rows.get(m, {}).get("teaching_form"),
            "hours_kind": _kind(m, deps),
            "completed_on": rows.get(m, {}).get("completed_on"),
            "completed_hours": rows.get(m, {}).get("completed_hours"),
        }
        for m in plan.modules
    ]


def _kind(module: CurriculumModule, deps: Deps) -> str | None:
    teaching = deps.rules.module_teaching.get(module)
    return teaching.kind.value if teaching else None


async def ensure_modules_completed(uow: PlanningUnitOfWork, deps: Deps, plan: Plan) -> None:
    """Refuse completion while a customised module the rules require is not completed."""
    rows = await uow.records.modules(plan.participant_ref)
    completed = {CurriculumModule(r["module"]) for r in rows if r["completed_on"] is not None}
    still = modules_open(plan.modules, completed, deps.rules)
    if still:
        raise PlanError(
            "the route cannot be completed before its customised modules are completed"
            " (or removed with a reason): " + ", ".join(still)
        )
