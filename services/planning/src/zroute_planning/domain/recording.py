"""Who records which hours (issue 16 item 3): each kind of hours is recorded by the
partner the programme's task division names for it. Workplace (participation) hours come
from the job coach or the participation partner; KNM and MAP hours from the partner named
for KNM or MAP; language hours from the teaching partner. Plain rules, no I/O."""

from __future__ import annotations

from collections.abc import Mapping

from zroute_contract.events.codes import HoursKind, RouteTask

from zroute_planning.domain.errors import PlanError

KIND_TASKS: dict[HoursKind, tuple[RouteTask, ...]] = {
    HoursKind.LANGUAGE: (RouteTask.LANGUAGE_TEACHING,),
    HoursKind.KNM: (RouteTask.KNM,),
    HoursKind.MAP: (RouteTask.MAP,),
    HoursKind.PARTICIPATION: (RouteTask.JOB_COACHING, RouteTask.PARTICIPATION_PLACEMENT),
}
"""The tasks whose partner records each kind of hours."""


class NotNamedForKind(PlanError):
    """The partner is not the one the task division names for this kind of hours."""


def recording_partners(
    kind: HoursKind, task_partners: Mapping[str, str], teaching_partner: str
) -> set[str]:
    """The partners that may record ``kind`` hours. Without an agreement naming the task,
    the teaching partner records (as before any agreement named anyone)."""
    named = {task_partners[t.value] for t in KIND_TASKS[kind] if t.value in task_partners}
    return named or {teaching_partner}


def refusal(
    partner_id: str, kind: HoursKind, task_partners: Mapping[str, str], teaching_partner: str
) -> str | None:
    """Why ``partner_id`` may not record ``kind`` hours, or None when it may."""
    allowed = recording_partners(kind, task_partners, teaching_partner)
    if partner_id in allowed:
        return None
    tasks = ", ".join(t.value for t in KIND_TASKS[kind])
    return (
        f"partner {partner_id} may not record {kind.value} hours: the programme's task "
        f"division names {', '.join(sorted(allowed))} for {tasks}"
    )
