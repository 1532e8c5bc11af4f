"""Workplace placements (L4): requested with lead time, escalated when not confirmed in
time, cancelled when the plan no longer needs them. Support's answers (confirmed,
declined) are handled in ``handlers.support``."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from zroute_contract.events.codes import (
    ParticipationActivity,
    PlacementCancelReason,
    TeachingForm,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_planning.domain import plan_events
from zroute_planning.domain.commands import RequestPlacement
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.rules import week_forms
from zroute_planning.service_layer.deps import Deps, days, morning_of, today
from zroute_planning.service_layer.scheduling import PLACEMENT
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def request_placement(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plan: Plan,
    cmd: RequestPlacement,
    *,
    on: date,
) -> UUID:
    """Request a placement at least the configured lead time ahead; start its deadline."""
    rules = deps.rules
    activity, needed_by = cmd.activity, cmd.needed_by
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    earliest = on + days(rules.placement_min_lead_days)
    if needed_by < earliest:
        raise InvalidRequest(
            f"a placement needs {rules.placement_min_lead_days} days' notice:"
            f" needed_by must be {earliest} or later"
        )
    request_id = uuid4()
    await uow.placements.add(
        request_id, plan.participant_ref, activity.value, needed_by, cmd.hours_per_week, on
    )
    plan.record(
        plan_events.placement_requested(
            plan,
            request_id,
            activity=activity,
            needed_by=needed_by,
            hours_per_week=cmd.hours_per_week,
            support_needs=cmd.support_needs,
        )
    )
    confirm_by = max(on, needed_by - days(rules.placement_confirm_before_days))
    await uow.timers.schedule(
        kind=PLACEMENT,
        key=str(request_id),
        due_at=morning_of(confirm_by),
        payload={"participant_ref": plan.participant_ref, "level": 1},
    )
    log.info(
        "placement_requested",
        participant_ref=plan.participant_ref,
        placement_request_id=request_id,
        activity=activity,
        needed_by=needed_by,
    )
    return request_id


async def request_for_workplace_phase(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, on: date
) -> None:
    """At the start, request the placement the first phase with workplace learning needs."""
    assert plan.start_on is not None
    rules = deps.rules
    for phase in rules.phases:
        forms = week_forms(rules.rotation, phase.sessions_per_week)
        count = forms.count(TeachingForm.WORKPLACE_LEARNING)
        if count:
            needed_by = max(
                plan.start_on + days((phase.from_week - 1) * 7),
                on + days(rules.placement_min_lead_days),
            )
            workplace = RequestPlacement(
                activity=ParticipationActivity.WORKPLACE_LEARNING,
                needed_by=needed_by,
                hours_per_week=round(count * phase.session_minutes / 15) / 4,
            )
            await request_placement(uow, deps, plan, workplace, on=on)
            return


async def escalate_unconfirmed(timer: DueTimer, uow: PlanningUnitOfWork, deps: Deps) -> None:
    """The ``placement-confirmation`` timer: a request still unconfirmed escalates a level,
    and escalates again later until the configured maximum."""
    row = await uow.placements.get_for_update(UUID(timer.key))
    if row is None or row["status"] not in ("requested", "declined"):
        return
    plan = await uow.plans.get(row["participant_ref"], lock=False)
    if plan is None or not plan.is_open:
        return
    level = row["escalations"] + 1
    now = today(uow.clock.now())
    await uow.placements.set_escalations(row["placement_request_id"], level)
    plan.record(
        plan_events.placement_escalated(
            plan, row["placement_request_id"], needed_by=row["needed_by"], on=now, level=level
        )
    )
    log.info(
        "placement_escalated",
        participant_ref=plan.participant_ref,
        placement_request_id=row["placement_request_id"],
        level=level,
    )
    if level < deps.rules.placement_max_escalations:
        await uow.timers.schedule(
            kind=PLACEMENT,
            key=timer.key,
            due_at=morning_of(today(timer.due_at) + days(deps.rules.placement_reescalate_days)),
            payload={"participant_ref": plan.participant_ref, "level": level + 1},
        )


async def cancel_open(uow: PlanningUnitOfWork, plan: Plan, reason: PlacementCancelReason) -> None:
    """Cancel the participant's open placement requests and their escalations."""
    for request_id in await uow.placements.cancel_open(plan.participant_ref):
        await uow.timers.cancel(kind=PLACEMENT, key=str(request_id))
        plan.record(plan_events.placement_cancelled(plan, request_id, reason))
        log.info(
            "placement_cancelled",
            participant_ref=plan.participant_ref,
            placement_request_id=request_id,
            reason=reason,
        )
