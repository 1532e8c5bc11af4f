"""The reads of the HTTP API and who may make them: one module, one connection style (the
unit of work's ``uow.reads`` and ``uow.plans``), no SQL here and none in a router.

Refusals are the contract's (``NotFound``, ``Forbidden``, ``InvalidRequest``); the runtime's
command path answers them with their 4xx."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from zroute_contract.errors import Forbidden, InvalidRequest, NotFound
from zroute_contract.events.codes import CurriculumModule, HoursKind, RouteTask, TeachingForm
from zroute_runtime.auth import Principal, Role

from zroute_planning.adapters.group_repo import GroupRow as GroupRow
from zroute_planning.domain import recording
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.projection import Projection
from zroute_planning.domain.variety import Breach, variety_breaches
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import ledger
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

NO_PARTNER_ACCESS = "no access to this partner's records"


def _ensure_partner(principal: Principal, partner_id: str) -> None:
    if not principal.may_act_for_partner(partner_id):
        raise Forbidden(NO_PARTNER_ACCESS)


async def plan_for_caller(
    uow: PlanningUnitOfWork, deps: Deps, principal: Principal, ref: str, *, lock: bool = True
) -> Plan:
    """The participant's plan: NotFound without one, Forbidden for a caller who may not see
    it (partner staff of another partner, a caseworker of another municipality)."""
    plan: Plan | None = await uow.plans.get(ref, lock=lock)
    if plan is None:
        raise NotFound("no plan for this participant")
    if Role.PARTNER_STAFF in principal.roles and not principal.has_any_role(
        Role.COORDINATOR, Role.CASEWORKER
    ):
        partner = await uow.reads.teaching_partner(plan.programme_id, deps.teaching_partner)
        _ensure_partner(principal, partner)
    await _ensure_municipality(uow, principal, plan)
    return plan


async def _ensure_municipality(uow: PlanningUnitOfWork, principal: Principal, plan: Plan) -> None:
    scope = principal.municipality_scope()
    if scope is not None:
        municipality = await uow.reads.municipality_of(plan.participant_ref)
        if municipality not in (None, scope):
            raise Forbidden("this participant belongs to another municipality")


async def ensure_programme_municipality(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str
) -> None:
    """Forbidden when a caller limited to a municipality reaches another's programme."""
    scope = principal.municipality_scope()
    if scope is not None and await uow.reads.programme_municipalities(programme_id) - {scope}:
        raise Forbidden("this programme belongs to another municipality")


async def ensure_may_form_groups(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str | None
) -> None:
    """Partner staff form groups only for a programme their partner teaches, as its
    agreement names it (never a default partner); a caller limited to a municipality names
    a programme of that municipality."""
    if not principal.has_any_role(Role.COORDINATOR):
        teacher = programme_id and await uow.reads.registered_teaching_partner(programme_id)
        _ensure_partner(principal, teacher or "-")
    if principal.municipality_scope() is not None:
        if programme_id is None:
            raise InvalidRequest("name the programme of your municipality to form groups")
        await ensure_programme_municipality(uow, principal, programme_id)


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    projection: Projection
    group: GroupRow | None


async def plan(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> PlanView:
    return PlanView(
        plan,
        await scheduling.projection(uow, deps, plan, today),
        await uow.reads.current_group(plan.participant_ref),
    )


@dataclass(frozen=True)
class HoursView:
    hours: dict[Any, float]
    attendance_percentage: int


async def hours(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> HoursView:
    attended = await uow.reads.hours_to_date(plan.participant_ref)
    percentage, _ = await ledger.attendance(uow, deps, plan.participant_ref, today)
    return HoursView(attended, percentage)


async def schedule(uow: PlanningUnitOfWork, plan: Plan) -> Any:
    row = await uow.reads.schedule(plan.plan_id)
    if row is None:
        raise NotFound("no schedule yet: the plan has no start date")
    return row


async def attendance(uow: PlanningUnitOfWork, plan: Plan) -> list[Any]:
    return list(await uow.reads.attendance(plan.participant_ref))


async def attendance_lines(uow: PlanningUnitOfWork, plan: Plan) -> list[dict[str, Any]]:
    """The plan's recorded lines with their corrections (latest first), for the screens."""
    rows = await uow.reads.attendance_lines(plan.participant_ref)
    return [
        dict(r)
        | {
            "corrections": json.loads(r["corrections"])
            if isinstance(r["corrections"], str)
            else r["corrections"]
        }
        for r in rows
    ]


async def placements(uow: PlanningUnitOfWork, plan: Plan) -> list[Any]:
    return list(await uow.reads.placements(plan.participant_ref))


async def reviews(uow: PlanningUnitOfWork, plan: Plan) -> list[Any]:
    return list(await uow.reads.reviews(plan.participant_ref))


async def follow_up(uow: PlanningUnitOfWork, plan: Plan) -> Any:
    row = await uow.reads.follow_up(plan.participant_ref)
    if row is None:
        raise NotFound("no follow-up agreed yet")
    return row


async def groups(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str | None
) -> list[GroupRow]:
    found: list[GroupRow] = await uow.reads.active_groups(
        programme_id, principal.partner_scope(), principal.municipality_scope()
    )
    return found


async def group_week(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str | None
) -> tuple[list[tuple[str, str, int, int]], int]:
    """The groups the caller may see, counted per (weekday, part of the day) with their
    participants, and how many groups in all (the scope of :func:`groups`)."""
    found: tuple[list[tuple[str, str, int, int]], int] = await uow.reads.week_counts(
        programme_id, principal.partner_scope(), principal.municipality_scope()
    )
    return found


async def group(uow: PlanningUnitOfWork, principal: Principal, group_id: UUID) -> GroupRow:
    found: GroupRow | None = await uow.reads.group(group_id)
    if found is None:
        raise NotFound("no such group")
    await ensure_programme_municipality(uow, principal, found.programme_id)
    if principal.partner_scope() is not None:
        _ensure_partner(principal, found.partner_id)
    return found


async def waiting(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str | None
) -> list[Any]:
    partner_only = not principal.has_any_role(Role.COORDINATOR, Role.CASEWORKER)
    return list(
        await uow.reads.waiting(
            programme_id,
            municipality=principal.municipality_scope(),
            teaching_partner=principal.partner_id if partner_only else None,
        )
    )


# ---------------------------------------------------------------------- the screens' reads
# (issue 19, ui/): the same scopes as the API's reads above, for pages of many plans.


def plan_scope(principal: Principal, deps: Deps, programme_id: str | None) -> list[str | None]:
    """(programme, municipality, teaching partner, default partner) for ``uow.reads``: a
    municipality's staff see its participants, a partner's staff the programmes it teaches."""
    partner = principal.partner_scope()  # partner staff always name their partner (token rule)
    return [programme_id, principal.municipality_scope(), partner, deps.teaching_partner]


@dataclass(frozen=True)
class PlanPage:
    rows: list[Any]
    total: int
    programmes: list[str]


async def plan_page(
    uow: Any,
    deps: Deps,
    principal: Principal,
    programme_id: str | None,
    *,
    stage: str | None = None,
    at_risk: bool = False,
    search: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> PlanPage:
    """One page of the plans the caller may see, at risk first, and the programmes."""
    scope = plan_scope(principal, deps, programme_id)
    rows, total = await uow.reads.plan_page(
        scope, stage=stage, at_risk=at_risk, search=search, limit=limit, offset=offset
    )
    return PlanPage(list(rows), total, await programmes(uow, deps, principal))


async def calendar_page(
    uow: Any,
    deps: Deps,
    principal: Principal,
    programme_id: str,
    days: tuple[date, date],
    *,
    search: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """One page of a programme's dated sessions in ``days`` (first and last), searched by
    part of a teacher, room or participant reference, and the total; the caller reads
    the programme's calendar as ``GET /programmes/{id}/calendar`` lets them."""
    await ensure_may_read_programme(uow, deps, principal, programme_id)
    found: tuple[list[Any], int] = await uow.calendar.session_page(
        programme_id, days[0], days[1], search=search, limit=limit, offset=offset
    )
    return found


async def cohort(
    uow: Any, deps: Deps, principal: Principal, programme_id: str | None
) -> dict[str, int]:
    """How many of the plans the caller may see are at each stage."""
    found: dict[str, int] = await uow.reads.cohort_by_stage(
        plan_scope(principal, deps, programme_id)
    )
    return found


@dataclass(frozen=True)
class PlanDetail:
    view: PlanView
    hours: HoursView
    week: Any | None
    route_week: int


async def plan_detail(
    uow: Any, deps: Deps, principal: Principal, ref: str, today: date
) -> PlanDetail:
    """A participant's plan for its page: projection, group, hours, the week published."""
    found = await plan_for_caller(uow, deps, principal, ref, lock=False)
    return PlanDetail(
        await plan(uow, deps, found, today),
        await hours(uow, deps, found, today),
        await uow.reads.schedule(found.plan_id),
        found.route_week(today),
    )


async def programmes(uow: Any, deps: Deps, principal: Principal) -> list[str]:
    """The programmes with plans the caller may see (for the screens' programme choice)."""
    found: list[str] = await uow.reads.plan_programmes(plan_scope(principal, deps, None))
    return found


async def plan_for_recorder(
    uow: PlanningUnitOfWork,
    deps: Deps,
    principal: Principal,
    ref: str,
    kind: HoursKind,
    *,
    lock: bool = True,
    module: CurriculumModule | None = None,
) -> Plan:
    """The plan a caller records ``kind`` hours on. The platform's staff as for
    ``plan_for_caller``; partner staff only for the partner the programme's task division
    names for the kind (issue 16 item 3: the job coach records workplace hours, the KNM or
    MAP partner those hours); otherwise Forbidden, saying who is named."""
    partner_only = Role.PARTNER_STAFF in principal.roles and not principal.has_any_role(
        Role.COORDINATOR, Role.CASEWORKER
    )
    if not partner_only:
        return await plan_for_caller(uow, deps, principal, ref, lock=lock)
    plan: Plan | None = await uow.plans.get(ref, lock=lock)
    if plan is None:
        raise NotFound("no plan for this participant")
    await _ensure_recorder(uow, deps, principal, plan, kind, module)
    return plan


async def _ensure_recorder(
    uow: PlanningUnitOfWork,
    deps: Deps,
    principal: Principal,
    plan: Plan,
    kind: HoursKind,
    module: CurriculumModule | None = None,
) -> None:
    """Forbidden for partner staff whose partner the task division does not name for
    ``kind`` on the plan's programme (the platform's staff are checked on the plan)."""
    if Role.PARTNER_STAFF not in principal.roles or principal.has_any_role(
        Role.COORDINATOR, Role.CASEWORKER
    ):
        return
    teaching = await uow.reads.teaching_partner(plan.programme_id, deps.teaching_partner)
    tasks = await uow.reads.task_partners(plan.programme_id)
    why = recording.refusal(principal.partner_id or "-", kind, tasks, teaching, module)
    if why is not None:
        raise Forbidden(why)


async def plans_for_roll_calls(
    uow: PlanningUnitOfWork,
    deps: Deps,
    principal: Principal,
    lines: Iterable[tuple[str, HoursKind]],
) -> dict[str, Plan]:
    """The plans a list of roll-calls records on (``lines``: participant and kind of each
    line), by participant: each plan once, authorized for every kind recorded on it as
    :func:`plan_for_recorder` authorizes one. Plans are locked in the order of their refs,
    so two lists sharing participants wait for each other instead of deadlocking. A
    refusal names the participant (by ref) it is about."""
    kinds: dict[str, dict[HoursKind, None]] = {}
    for ref, kind in lines:
        kinds.setdefault(ref, {})[kind] = None
    plans: dict[str, Plan] = {}
    for ref in sorted(kinds):
        first, *others = kinds[ref]
        try:
            plan = await plan_for_recorder(uow, deps, principal, ref, first)
            for kind in others:
                await _ensure_recorder(uow, deps, principal, plan, kind)
        except (NotFound, Forbidden) as exc:
            raise type(exc)(f"{ref}: {exc.reason}") from None
        plans[ref] = plan
    return plans


async def plan_for_follow_up(
    uow: PlanningUnitOfWork, deps: Deps, principal: Principal, ref: str, *, lock: bool = True
) -> Plan:
    """The participant's plan for reading or recording the follow-up (L15, issue 17 item 6):
    partner staff only of the partner the task division names for ``follow_up``, whose
    work the follow-up is; the teaching partner's only when the programme names nobody
    for it (no agreement known, the task not offered). Caseworkers and coordinators as
    for the plan."""
    partner_only = Role.PARTNER_STAFF in principal.roles and not principal.has_any_role(
        Role.COORDINATOR, Role.CASEWORKER
    )
    if not partner_only:
        return await plan_for_caller(uow, deps, principal, ref, lock=lock)
    plan: Plan | None = await uow.plans.get(ref, lock=lock)
    if plan is None:
        raise NotFound("no plan for this participant")
    named = (await uow.reads.task_partners(plan.programme_id)).get(RouteTask.FOLLOW_UP.value)
    if named is None:
        named = await uow.reads.teaching_partner(plan.programme_id, deps.teaching_partner)
    if not principal.may_act_for_partner(named):
        raise Forbidden(
            f"the follow-up is the work of partner {named}, whom the task division names for it"
        )
    await _ensure_municipality(uow, principal, plan)
    return plan


def recording_partner(principal: Principal) -> str | None:
    """The partner a recording caller acts for (None: the platform's own staff)."""
    if principal.has_any_role(Role.COORDINATOR, Role.CASEWORKER):
        return None
    return principal.partner_id


async def hours_export(
    uow: PlanningUnitOfWork, principal: Principal, programme_id: str
) -> list[dict[str, Any]]:
    """The programme's hours per participant, kind, month and recording partner (a caller
    limited to a municipality names a programme of that municipality)."""
    await ensure_programme_municipality(uow, principal, programme_id)
    return [dict(r) for r in await uow.reads.hours_export(programme_id)]


async def hours_trace(
    uow: PlanningUnitOfWork,
    deps: Deps,
    principal: Principal,
    ref: str,
    kind: HoursKind,
    month: str,
) -> list[dict[str, Any]]:
    """The sessions (and their corrections) behind one figure of the export."""
    plan = await plan_for_caller(uow, deps, principal, ref, lock=False)
    return [dict(r) for r in await uow.reads.hours_trace(plan.participant_ref, kind.value, month)]


async def ensure_may_read_programme(
    uow: PlanningUnitOfWork, deps: Deps, principal: Principal, programme_id: str
) -> None:
    """Partner staff read a programme's calendar only when their partner teaches it;
    a caller limited to a municipality only one of that municipality's programmes."""
    if Role.PARTNER_STAFF in principal.roles and not principal.has_any_role(
        Role.COORDINATOR, Role.CASEWORKER
    ):
        _ensure_partner(
            principal, await uow.reads.teaching_partner(programme_id, deps.teaching_partner)
        )
    await ensure_programme_municipality(uow, principal, programme_id)


def week_variety(deps: Deps, week: Mapping[str, Any] | None) -> list[Breach]:
    """The variety rules a published week breaks (issue 16 item 7), as data for the
    planner's screen: the same check that flagged it in ``schedule-published``."""
    if not week:
        return []
    forms = [TeachingForm(s["teaching_form"]) for s in week.get("sessions", [])]
    return variety_breaches(forms, deps.rules.variety)
