"""Who records which hours (issue 16 item 3): each kind of hours is recorded by the
partner the programme's task division names for it. Workplace (participation) hours come
from the job coach or the participation partner; KNM and MAP hours from the partner named
for KNM or MAP; language hours from the teaching partner. Hours of a module no task covers
(the participatieverklaringstraject, PVT: participation hours, B 3.14(5)) come from the
partner the agreement names as the module's provider. Plain rules, no I/O."""

from __future__ import annotations

from collections.abc import Mapping

from zroute_contract.events.codes import CurriculumModule, HoursKind, RouteTask

from zroute_planning.domain.errors import PlanError
from zroute_planning.domain.roll_call import LineProblem, Problem

KIND_TASKS: dict[HoursKind, tuple[RouteTask, ...]] = {
    HoursKind.LANGUAGE: (RouteTask.LANGUAGE_TEACHING,),
    HoursKind.KNM: (RouteTask.KNM,),
    HoursKind.MAP: (RouteTask.MAP,),
    HoursKind.PARTICIPATION: (RouteTask.JOB_COACHING, RouteTask.PARTICIPATION_PLACEMENT),
}
"""The tasks whose partner records each kind of hours."""


MODULE_KINDS: dict[CurriculumModule, HoursKind] = {
    CurriculumModule.PVT: HoursKind.PARTICIPATION,
}
"""Modules whose hours have no kind of their own: the kind they travel and count as. PVT
hours are participation hours (B 3.14(5)); ``pvt`` rides along as the line's module."""


class NotNamedForKind(PlanError):
    """The partner is not the one the task division names for this kind of hours."""


def module_key(module: CurriculumModule) -> str:
    """The key under which the programme's task partners keep a module's provider."""
    return f"module:{module.value}"


def recording_partners(
    kind: HoursKind,
    task_partners: Mapping[str, str],
    teaching_partner: str,
    module: CurriculumModule | None = None,
) -> set[str]:
    """The partners that may record ``kind`` hours (of ``module``, when the line names
    one). A module whose provider the agreement names is recorded by that provider alone;
    otherwise the kind's tasks decide. Without an agreement naming the task, the teaching
    partner records (as before any agreement named anyone)."""
    if module is not None and module_key(module) in task_partners:
        return {task_partners[module_key(module)]}
    named = {task_partners[t.value] for t in KIND_TASKS[kind] if t.value in task_partners}
    return named or {teaching_partner}


def module_problem(kind: HoursKind, module: CurriculumModule | None) -> Problem | None:
    """Why a line of ``kind`` cannot name ``module`` (PVT hours are participation hours)."""
    wanted = MODULE_KINDS.get(module) if module is not None else None
    if module is None or wanted is None or wanted is kind:
        return None
    return Problem.of(
        LineProblem.MODULE_OF_OTHER_KIND, module=module.value, wanted=wanted.value, kind=kind.value
    )


def refusal(
    partner_id: str,
    kind: HoursKind,
    task_partners: Mapping[str, str],
    teaching_partner: str,
    module: CurriculumModule | None = None,
) -> str | None:
    """Why ``partner_id`` may not record ``kind`` hours (of ``module``), or None when it may."""
    allowed = recording_partners(kind, task_partners, teaching_partner, module)
    if partner_id in allowed:
        return None
    if module is not None and module_key(module) in task_partners:
        return (
            f"partner {partner_id} may not record {module.value} hours: the programme's "
            f"agreement names {', '.join(sorted(allowed))} as the module's provider"
        )
    tasks = ", ".join(t.value for t in KIND_TASKS[kind])
    return (
        f"partner {partner_id} may not record {kind.value} hours: the programme's task "
        f"division names {', '.join(sorted(allowed))} for {tasks}"
    )
