"""Group formation as a command: load candidates and groups, solve, apply the difference.

Only active plans (start date set, not paused) are candidates. Existing groups keep their
slots, staff and members where the solution allows; members who leave a group get
``removed-from-group`` (replanned), joiners ``assigned-to-group``, new groups
``group-formed``, and those who wait ``participant-waitlisted`` when their reason changes.
One formation runs at a time (a transaction-scoped advisory lock).

A formation runs over many plans and groups at once, and its events interleave them
(leavers, then each group with its joiners, then the waiting list, then the new weeks):
it emits them in that order with ``uow.emit`` rather than recording them on each plan,
which would regroup them by plan at commit.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from zroute_contract.events.codes import (
    DayPart,
    GroupChangeReason,
    LevelBand,
    WaitReason,
    Weekday,
)
from zroute_contract.events.planning import (
    GroupFormed,
    GroupSession,
    ParticipantAssignedToGroup,
    ParticipantRemovedFromGroup,
    ParticipantWaitlisted,
)
from zroute_runtime.logging import get_logger

from zroute_planning.adapters.group_repo import GroupRow
from zroute_planning.domain.commands import FormGroups
from zroute_planning.domain.errors import PlanError
from zroute_planning.domain.grouping import (
    Candidate,
    Capacity,
    ExistingGroup,
    FormedGroup,
    Grouping,
    Slot,
    Waiting,
    first_session_on,
    joins_on,
)
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.schedule import group_patterns, slot_order
from zroute_planning.domain.solver import SolverOptions, form_groups
from zroute_planning.domain.staffing import assign_staff
from zroute_planning.service_layer.deps import Deps, days
from zroute_planning.service_layer.handlers import calendar
from zroute_planning.service_layer.scheduling import publish_schedule
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)

LOCK_KEY = 0x5A50_6C61  # "ZPla": one group formation at a time

StaffBySlot = defaultdict[Slot, set[str]]
"""Staff (teachers or assistants) in use per slot."""
_Staff = tuple[StaffBySlot, StaffBySlot]


@dataclass
class FormationSummary:
    groups_formed: int = 0
    joined: int = 0
    removed: int = 0
    waiting: int = 0


def solver_options(deps: Deps) -> SolverOptions:
    g = deps.rules.groups
    return SolverOptions(
        min_size=g.min_size,
        max_size=g.max_size,
        sessions_per_week=g.sessions_per_week,
        seconds_per_solve=g.solver_seconds,
        chunk_size=g.chunk_size,
        max_slot_sets=g.max_slot_sets,
        workers=deps.solver_workers,
        needs_assistant=frozenset(g.assistant_bands),
        capacity=Capacity(len(g.teachers), len(g.assistants)),
    )


async def run_formation(
    uow: PlanningUnitOfWork, deps: Deps, cmd: FormGroups, *, today: date
) -> FormationSummary:
    """Form groups for the command's programme (or all), one formation at a time."""
    programme_id = cmd.programme_id
    await uow.records.lock_formation(LOCK_KEY)
    summary = FormationSummary()
    plans_by_programme: dict[str, list[Plan]] = defaultdict(list)
    for plan in await uow.plans.active(programme_id):
        plans_by_programme[plan.programme_id].append(plan)
    for group in await uow.groups.active_groups(programme_id):
        plans_by_programme.setdefault(group.programme_id, [])  # groups everybody left
    for programme, plans in sorted(plans_by_programme.items()):
        await _programme(uow, deps, programme, plans, today, summary)
    log.info(
        "groups_formed",
        programme_id=programme_id,
        groups_formed=summary.groups_formed,
        joined=summary.joined,
        removed=summary.removed,
        waiting=summary.waiting,
    )
    return summary


async def _staff_in_use(uow: PlanningUnitOfWork) -> _Staff:
    """Who teaches (and assists) in each slot, over every active group."""
    teachers: StaffBySlot = defaultdict(set)
    assistants: StaffBySlot = defaultdict(set)
    for group in await uow.groups.active_groups():
        for slot in group.slots:
            teachers[slot].add(group.teacher)
            if group.assistant:
                assistants[slot].add(group.assistant)
    return teachers, assistants


async def _programme(
    uow: PlanningUnitOfWork,
    deps: Deps,
    programme: str,
    plans: list[Plan],
    today: date,
    summary: FormationSummary,
) -> None:
    """Form one programme's groups: read its state, solve, then apply the result in order
    (leavers, joiners and new groups, the waiting list, the schedules of who changed)."""
    partner, existing, candidates = await _programme_state(uow, deps, programme, plans, today)
    teachers, assistants = await _staff_in_use(uow)
    busy_t, busy_a = _busy_elsewhere(existing, teachers, assistants)
    options = solver_options(deps)
    # Issue 16 item 5: with a staff register the solver opens no more groups in a slot
    # than the register's qualified teachers free then (availability, leave, other
    # programmes' groups), nor, with rooms, than rooms that seat a group; the configured
    # list counts only without a register.
    first_day = today + days(deps.rules.groups.first_session_after_days)
    bands = {c.band for c in candidates} | {g.level_band for g in existing}
    register = await calendar.formation_capacity(
        uow, deps, programme, bands, existing, teachers, first_day
    )
    if register is not None:
        options = replace(options, capacity=replace(options.capacity, teachers=register[0]))
        busy_t = register[1]
    # Class assistants come from the register as teachers do (the configured list only
    # without a register).
    assistant_bands = bands & set(deps.rules.groups.assistant_bands)
    helpers = await calendar.formation_assistant_capacity(
        uow, programme, assistant_bands, existing, assistants, first_day
    )
    if helpers is not None:
        options = replace(options, capacity=replace(options.capacity, assistants=helpers[0]))
        busy_a = helpers[1]
    result = await asyncio.to_thread(
        form_groups,
        candidates,
        options,
        [ExistingGroup(str(g.group_id), g.level_band, g.slots, g.members) for g in existing],
        busy_teachers=busy_t,
        busy_assistants=busy_a,
    )
    plans_by_ref = {p.participant_ref: p for p in plans}
    after = {m: g.group_id for g in result.groups if g.group_id for m in g.members}
    staff = (teachers, assistants)
    changed = await _leavers(uow, existing, result, after, plans_by_ref, today, summary, staff)
    waiting = await _formed(
        uow,
        deps,
        (programme, partner),
        existing,
        result,
        plans_by_ref,
        today,
        summary,
        staff,
        changed,
    )
    await _waiting(uow, programme, waiting, plans_by_ref, today, summary)
    for ref in sorted(changed):
        if ref in after or any(ref in g.members for g in result.groups):
            await uow.groups.clear_waiting(ref)
        if (week := await publish_schedule(uow, deps, plans_by_ref[ref], today)) is not None:
            uow.emit(week)


async def _programme_state(
    uow: PlanningUnitOfWork, deps: Deps, programme: str, plans: list[Plan], today: date
) -> tuple[str, list[GroupRow], list[Candidate]]:
    """The programme's teaching partner (refused when it cannot teach), its groups, and
    its plans as candidates with the days they waited."""
    partner = await uow.records.teaching_partner(programme, deps.teaching_partner)
    if plans and not await uow.records.partner_can_teach(partner):
        raise PlanError(f"partner {partner} is inactive or does not teach language")
    existing = await uow.groups.active_groups(programme)
    since = {r["participant_ref"]: r["since"] for r in await uow.groups.waiting(programme)}
    candidates = [
        Candidate(
            p.participant_ref,
            p.level_band,
            p.availability,
            (today - since.get(p.participant_ref, today)).days,
        )
        for p in plans
    ]
    return partner, existing, candidates


def _busy_elsewhere(
    existing: list[GroupRow], teachers: StaffBySlot, assistants: StaffBySlot
) -> tuple[Counter[Slot], Counter[Slot]]:
    """Staff busy per slot in other programmes' groups: the solver counts this programme's
    own groups itself."""
    busy_t = Counter({s: len(v) for s, v in teachers.items()})
    busy_a = Counter({s: len(v) for s, v in assistants.items()})
    for g in existing:
        for slot in g.slots:
            busy_t[slot] -= 1
            if g.assistant:
                busy_a[slot] -= 1
    return busy_t, busy_a


async def _leavers(
    uow: PlanningUnitOfWork,
    existing: list[GroupRow],
    result: Grouping,
    after: dict[str, str],
    plans_by_ref: dict[str, Plan],
    today: date,
    summary: FormationSummary,
    staff: _Staff,
) -> set[str]:
    """Members who leave their group (first: one current group per participant), and the
    groups no longer formed dissolved, their staff freed."""
    teachers, assistants = staff
    changed: set[str] = set()
    formed = {g.group_id for g in result.groups}
    for group in existing:
        if str(group.group_id) not in formed:
            # A group no longer formed: its coming sessions go, its members told.
            await calendar.withdraw_group(uow, group.group_id, today)
        for ref in group.members:
            if after.get(ref) != str(group.group_id):
                await _remove(uow, group.group_id, ref, plans_by_ref.get(ref), today)
                changed.add(ref)
                summary.removed += 1
        if str(group.group_id) not in {g.group_id for g in result.groups}:
            await uow.groups.dissolve(group.group_id, today)
            for slot in group.slots:
                teachers[slot].discard(group.teacher)
                if group.assistant:
                    assistants[slot].discard(group.assistant)
    return changed


async def _formed(
    uow: PlanningUnitOfWork,
    deps: Deps,
    owner: tuple[str, str],
    existing: list[GroupRow],
    result: Grouping,
    plans_by_ref: dict[str, Plan],
    today: date,
    summary: FormationSummary,
    staff: _Staff,
    changed: set[str],
) -> list[Waiting | _Wait]:
    """Joiners of existing groups, and new groups where staff can be found; returns who
    waits (the solver's waiting, and the members of a new group no staff is free for)."""
    programme, partner = owner
    teachers, assistants = staff
    by_id = {str(g.group_id): g for g in existing}
    waiting: list[Waiting | _Wait] = list(result.waiting)
    for formed in result.groups:
        if formed.group_id:
            old = by_id[formed.group_id]
            for ref in sorted(set(formed.members) - set(old.members)):
                plan = plans_by_ref[ref]
                on = joins_on(today, plan.start_on)
                await _join(uow, old.group_id, formed, plan, on, GroupChangeReason.JOINED)
                changed.add(ref)
                summary.joined += 1
            continue
        g = deps.rules.groups
        first_day = today + days(g.first_session_after_days)
        staffed = assign_staff(
            formed.slots,
            formed.band,
            teachers=await calendar.formation_teachers(
                uow, programme, formed.band, formed.slots, first_day, g.teachers
            ),
            assistants=await calendar.formation_assistants(
                uow, programme, formed.band, formed.slots, first_day, g.assistants
            ),
            assistant_bands=g.assistant_bands,
            busy_teachers=teachers,
            busy_assistants=assistants,
        )
        if staffed is None:
            waiting += [_Wait(ref, formed.band) for ref in formed.members]
            continue
        await _new_group(uow, deps, programme, partner, formed, staffed, plans_by_ref, today)
        changed.update(formed.members)
        summary.groups_formed += 1
        summary.joined += len(formed.members)
    return waiting


async def _waiting(
    uow: PlanningUnitOfWork,
    programme: str,
    waiting: list[Waiting | _Wait],
    plans_by_ref: dict[str, Plan],
    today: date,
    summary: FormationSummary,
) -> None:
    """Who waits goes on the waiting list; told when not on it for this reason already."""
    for w in waiting:
        plan = plans_by_ref[w.ref]
        reason = w.reason
        if await uow.groups.set_waiting(w.ref, programme, w.band.value, reason.value, today):
            since = await uow.groups.waiting_since(w.ref) or today
            uow.emit(
                ParticipantWaitlisted(
                    participant_ref=w.ref,
                    programme_id=plan.programme_id,
                    level_band=w.band,
                    reason=reason,
                    since=since,
                )
            )
        summary.waiting += 1


@dataclass(frozen=True)
class _Wait:
    ref: str
    band: LevelBand
    reason: WaitReason = WaitReason.NO_GROUP_AT_LEVEL


async def _new_group(
    uow: PlanningUnitOfWork,
    deps: Deps,
    programme: str,
    partner: str,
    formed: FormedGroup,
    staffed: tuple[str, str | None],
    plans_by_ref: dict[str, Plan],
    today: date,
) -> None:
    """Insert a new group and tell it formed, with its members joining."""
    rules = deps.rules
    slots = tuple(sorted(formed.slots, key=slot_order))
    sessions = tuple(
        GroupSession(
            weekday=Weekday(slot[0]),
            day_part=DayPart(slot[1]),
            starts_at=rules.groups.start_times[DayPart(slot[1])],
            minutes=rules.groups.session_minutes,
            teaching_form=pattern.form,
        )
        for slot, pattern in zip(slots, group_patterns(rules), strict=False)
    )
    row = GroupRow(
        group_id=uuid4(),
        programme_id=programme,
        partner_id=partner,
        level_band=formed.band,
        slots=slots,
        sessions=[s.model_dump(mode="json") for s in sessions],
        teacher=staffed[0],
        assistant=staffed[1],
        starts_on=first_session_on(
            today,
            rules.groups.first_session_after_days,
            (plans_by_ref[ref].start_on for ref in formed.members),
        ),
        members=formed.members,
    )
    await uow.groups.insert_group(row)
    uow.emit(
        GroupFormed(
            group_id=row.group_id,
            programme_id=programme,
            partner_id=partner,
            level_band=formed.band,
            members=formed.members,
            teacher=row.teacher,
            assistant=row.assistant,
            sessions=sessions,
            starts_on=row.starts_on,
        )
    )
    for ref in formed.members:
        await _join(
            uow, row.group_id, formed, plans_by_ref[ref], row.starts_on, GroupChangeReason.FORMATION
        )


async def _join(
    uow: PlanningUnitOfWork,
    group_id: UUID,
    formed: FormedGroup,
    plan: Plan,
    on: date,
    reason: GroupChangeReason,
) -> None:
    await uow.groups.add_member(group_id, plan.participant_ref, on)
    uow.emit(
        ParticipantAssignedToGroup(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            group_id=group_id,
            level_band=formed.band,
            assigned_from=on,
            reason=reason,
        )
    )


async def _remove(
    uow: PlanningUnitOfWork, group_id: UUID, ref: str, plan: Plan | None, on: date
) -> None:
    await uow.groups.remove_member(ref, on, GroupChangeReason.REPLANNED.value)
    if plan is not None:
        uow.emit(
            ParticipantRemovedFromGroup(
                participant_ref=ref,
                programme_id=plan.programme_id,
                group_id=group_id,
                removed_from=on,
                reason=GroupChangeReason.REPLANNED,
            )
        )
