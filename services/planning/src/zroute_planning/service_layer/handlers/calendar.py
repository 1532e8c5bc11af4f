"""The dated session calendar (issue 16): generating it from the groups' weekly sessions
and the participants' own, closures, staff and rooms, leave with substitution, and
cancelling or moving a session with notice (``session-cancelled``, ``session-moved``: one
per participant expected, for the participant and the teaching partner to hear of it).

A calendar change spans many plans, so its events go out with ``uow.emit`` (as a group
formation's do), codes only; the planner's note stays in planning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from zroute_contract.errors import NotFound
from zroute_contract.events.codes import (
    CurriculumModule,
    DayPart,
    HoursKind,
    LevelBand,
    SessionChangeReason,
    TeachingForm,
)
from zroute_contract.events.planning import SessionCancelled, SessionMoved
from zroute_runtime.clock import local_moment
from zroute_runtime.logging import get_logger

from zroute_planning.adapters.group_repo import GroupRow
from zroute_planning.domain.calendar import (
    Bookings,
    Closure,
    DatedSession,
    Leave,
    Owner,
    Qualification,
    Resources,
    RollCallClaim,
    SessionStatus,
    StaffRole,
    Unstaffed,
    WeeklySession,
    closure_on,
    date_sessions,
    day_overloads,
    default_staff,
    eligible_assistants,
    eligible_teachers,
    needed_qualification,
    roll_call_refusals,
    slot_of,
    staff_session,
    teacher_capacity,
)
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.plan import Plan
from zroute_planning.domain.roll_call import LineProblem, LinesRefused, Problem
from zroute_planning.domain.schedule import group_patterns
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)

ALL_SLOTS = [(day, part.value) for day in ("monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday") for part in DayPart]  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """Who changes the calendar (the token subject) and when."""

    by: str
    at: datetime


async def resources(uow: PlanningUnitOfWork, deps: Deps, programme_id: str) -> Resources:
    """The programme's staff register (else the configured list, always available and
    holding both qualifications), rooms and closures."""
    staff = await uow.calendar.staff(programme_id)
    if not staff:
        partner = await uow.records.teaching_partner(programme_id, deps.teaching_partner)
        staff = default_staff(programme_id, partner, deps.rules.groups.teachers, ALL_SLOTS)
    return Resources(
        staff=staff,
        rooms=await uow.calendar.rooms(programme_id),
        closures=await uow.calendar.closures(programme_id),
    )


def group_weekly(deps: Deps, group: GroupRow) -> list[WeeklySession]:
    """A group's weekly sessions with the kind of hours each counts toward (the rotation's
    first patterns, as the group was formed)."""
    patterns = group_patterns(deps.rules)
    return [
        WeeklySession(
            slot=(s["weekday"], s["day_part"]),
            starts_at=time.fromisoformat(s["starts_at"]),
            minutes=int(s["minutes"]),
            form=TeachingForm(s["teaching_form"]),
            kind=patterns[i % len(patterns)].kind,
        )
        for i, s in enumerate(group.sessions)
    ]


def own_weekly(schedule: dict[str, Any] | None) -> list[WeeklySession]:
    """The sessions of a participant's published week that are not a group's."""
    if not schedule:
        return []
    return [
        WeeklySession(
            slot=(s["weekday"], s["day_part"]),
            starts_at=time.fromisoformat(s["starts_at"]),
            minutes=int(s["minutes"]),
            form=TeachingForm(s["teaching_form"]),
            kind=HoursKind(s["hours_kind"]),
            module=CurriculumModule(s["module"]) if s.get("module") else None,
        )
        for s in schedule.get("sessions", [])
        if not s.get("group_id")
    ]


def group_owner(group: GroupRow) -> Owner:
    return Owner(
        programme_id=group.programme_id,
        band=group.level_band,
        size=len(group.members),
        regular_staff=group.teacher,
        group_id=group.group_id,
    )


async def participant_owner(uow: PlanningUnitOfWork, deps: Deps, plan: Plan) -> Owner:
    placements = await uow.reads.placements(plan.participant_ref)
    teacher = await _group_teacher(uow, plan.participant_ref)
    return Owner(
        programme_id=plan.programme_id,
        band=plan.level_band,
        size=1,
        regular_staff=teacher,
        participant_ref=plan.participant_ref,
        has_placement=any(p["status"] == "confirmed" for p in placements),
    )


async def _group_teacher(uow: PlanningUnitOfWork, ref: str) -> str | None:
    group = await uow.groups.current_group(ref)
    return group.teacher if group else None


async def generate(
    uow: PlanningUnitOfWork, deps: Deps, programme_id: str, from_on: date, to_on: date
) -> int:
    """Date every group's and every active participant's sessions in the days (closures
    skipped, staff and rooms booked once); returns how many sessions are new. Sessions
    already in the calendar stay as they are (cancelled, moved or substituted)."""
    if to_on < from_on or (to_on - from_on).days > 366:
        raise InvalidRequest("the calendar is generated for at most a year, from before to")
    res = await resources(uow, deps, programme_id)
    booked = Bookings.of(await uow.calendar.sessions(programme_id, from_on, to_on))
    new: list[DatedSession] = []
    for group in await uow.groups.active_groups(programme_id):
        start = max(from_on, group.starts_on)
        new += date_sessions(
            group_owner(group), group_weekly(deps, group), start, to_on, res, booked
        )
    for plan in await uow.plans.active(programme_id):
        new += await _own_sessions(uow, deps, plan, from_on, to_on, res, booked)
    added = await uow.calendar.add_sessions(new)
    log.info("calendar_generated", programme_id=programme_id, sessions=added)
    return added


async def _own_sessions(
    uow: PlanningUnitOfWork,
    deps: Deps,
    plan: Plan,
    from_on: date,
    to_on: date,
    res: Resources,
    booked: Bookings,
) -> list[DatedSession]:
    """A participant's own sessions of their published week, dated in the days."""
    if plan.start_on is None:
        return []
    schedule = await uow.reads.schedule(plan.plan_id)
    weekly = own_weekly(dict(schedule) if schedule else None)
    owner = await participant_owner(uow, deps, plan)
    return date_sessions(owner, weekly, max(from_on, plan.start_on), to_on, res, booked)


async def date_own_week(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> int:
    """Date a participant's week again to the end of the programme calendar's last week, after
    their week changed (a module added, issue 16 item 4): sessions new to the week are
    added, those already dated stay as they are. Returns how many are new."""
    last = await uow.calendar.last_day(plan.programme_id)
    if last is None or last < today:
        return 0  # no calendar (yet): generating it dates the week
    last += timedelta(days=6 - last.weekday())  # to the end of the calendar's last week
    res = await resources(uow, deps, plan.programme_id)
    booked = Bookings.of(await uow.calendar.sessions(plan.programme_id, today, last))
    new = await _own_sessions(uow, deps, plan, today, last, res, booked)
    return await uow.calendar.add_sessions(new)


async def calendar_end(uow: PlanningUnitOfWork, programme_id: str, today: date) -> date | None:
    """The end of the week of the last day the programme's calendar holds (None: no
    calendar from today on): how far a changed week is dated again."""
    last = await uow.calendar.last_day(programme_id)
    if last is None or last < today:
        return None
    return last + timedelta(days=6 - last.weekday())


async def follow_week(uow: PlanningUnitOfWork, deps: Deps, plan: Plan, today: date) -> int:
    """The calendar after a participant's published week changed (a new phase, a group
    joined or left, a module added or ended): their own coming sessions the new week no
    longer holds are cancelled with notice (``session-cancelled``, ``planner_decision``),
    those new to it dated, and their group's sessions dated as far as the calendar
    reaches. Sessions held (a line recorded) stay, with their hours. Returns how many
    were cancelled."""
    if plan.start_on is None:
        return 0
    last = await calendar_end(uow, plan.programme_id, today)
    if last is None:
        return 0  # no calendar (yet): generating it dates the week
    from_on = max(today, plan.start_on)
    res = await resources(uow, deps, plan.programme_id)
    booked = Bookings.of(await uow.calendar.sessions(plan.programme_id, from_on, last))
    new = await _own_sessions(uow, deps, plan, from_on, last, res, booked)
    wanted = {s.session_id for s in new}
    group = await uow.groups.current_group(plan.participant_ref)
    if group is not None:
        weekly = group_weekly(deps, group)
        new += date_sessions(
            group_owner(group), weekly, max(from_on, group.starts_on), last, res, booked
        )
    actor = Actor("planning", uow.clock.now())
    gone = [
        s
        for s in await uow.calendar.coming(from_on, participant_ref=plan.participant_ref)
        if s.session_id not in wanted
    ]
    for session in gone:
        await cancel(uow, session.session_id, SessionChangeReason.PLANNER_DECISION, None, actor)
    await uow.calendar.add_sessions(new)
    return len(gone)


async def withdraw_group(uow: PlanningUnitOfWork, group_id: UUID, today: date) -> int:
    """Cancel a dissolved group's coming sessions with notice to its members (call before
    they leave); the sessions held stay. Returns how many were cancelled."""
    actor = Actor("planning", uow.clock.now())
    coming = await uow.calendar.coming(today, group_id=group_id)
    for session in coming:
        await cancel(uow, session.session_id, SessionChangeReason.PLANNER_DECISION, None, actor)
    return len(coming)


async def take_out_module(
    uow: PlanningUnitOfWork, plan: Plan, module: CurriculumModule, today: date, actor: Actor
) -> int:
    """Cancel a participant's coming sessions of a module removed or completed (issue 16
    item 4), with notice (``session-cancelled``, reason ``planner_decision``); the
    sessions held stay, with their hours. Returns how many were cancelled."""
    coming = await uow.calendar.module_sessions(plan.participant_ref, module.value, today)
    for session in coming:
        await cancel(uow, session.session_id, SessionChangeReason.PLANNER_DECISION, None, actor)
    return len(coming)


async def _session(uow: PlanningUnitOfWork, session_id: UUID) -> DatedSession:
    session = await uow.calendar.session(session_id, lock=True)
    if session is None:
        raise NotFound("no such session in the calendar")
    return session


async def expected(
    uow: PlanningUnitOfWork, session: DatedSession, known: Mapping[str, Plan] | None = None
) -> list[Plan]:
    """The participants expected at a session: its group's members whose plan has started
    by then, or its participant. ``known``: plans this unit of work loaded already (a
    roll-call's), used instead of reading them again."""
    refs: tuple[str, ...]
    if session.group_id is not None:
        group = await uow.groups.get_group(session.group_id)
        refs = group.members if group else ()
    else:
        refs = (session.participant_ref,) if session.participant_ref else ()
    known = known or {}
    plans = [known.get(ref) or await uow.plans.get(ref, lock=False) for ref in refs]
    # A member whose plan starts later is not expected yet (nor told of the change).
    return [p for p in plans if p is not None and p.start_on and p.start_on <= session.on]


async def cancel(
    uow: PlanningUnitOfWork,
    session_id: UUID,
    reason: SessionChangeReason,
    note: str | None,
    actor: Actor,
) -> DatedSession:
    """Cancel a session; every participant expected gets ``session-cancelled``."""
    session = await _session(uow, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise PlanError("the session is already cancelled")
    cancelled = replace(session, status=SessionStatus.CANCELLED)
    await uow.calendar.update_session(
        cancelled, reason=reason.value, note=note, by=actor.by, at=actor.at
    )
    location = await uow.calendar.location_of(session.room_id)
    for plan in await expected(uow, session):
        uow.emit(
            SessionCancelled(
                participant_ref=plan.participant_ref,
                programme_id=plan.programme_id,
                session_id=session.session_id,
                group_id=session.group_id,
                session_on=session.on,
                starts_at=local_moment(session.on, session.starts_at),
                minutes=session.minutes,
                teaching_form=session.form,
                location_id=location,
                staff=session.staff,
                reason=reason,
            )
        )
    log.info("session_cancelled", session_id=str(session_id), reason=reason.value)
    return cancelled


@dataclass(frozen=True)
class Move:
    """Where a session goes: a day, a start time and, optionally, a room."""

    on: date
    starts_at: time
    room_id: str | None = None


async def move(
    uow: PlanningUnitOfWork,
    deps: Deps,
    session_id: UUID,
    to: Move,
    reason: SessionChangeReason,
    note: str | None,
    actor: Actor,
) -> DatedSession:
    """Move a session to another day, time or room, staffed again (its teacher where
    free, else a substitute, else visibly unstaffed); every participant expected gets
    ``session-moved``. A day the programme is closed is refused."""
    session = await _session(uow, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise PlanError("a cancelled session cannot be moved")
    res = await resources(uow, deps, session.programme_id)
    if closure := closure_on(to.on, res.closures):
        raise InvalidRequest(f"the programme is closed on {to.on} ({closure.reason})")
    starts = {DayPart(p).value: t for p, t in deps.rules.groups.start_times.items()}
    slot = slot_of(to.on, to.starts_at, starts)
    others = await uow.calendar.sessions(session.programme_id, to.on, to.on)
    booked = Bookings.of(s for s in others if s.session_id != session.session_id)
    owner = await _owner_of(uow, deps, session)
    moved = replace(
        session, on=to.on, starts_at=to.starts_at, slot=slot, status=SessionStatus.MOVED
    )
    rooms = res.rooms
    if to.room_id is not None:
        rooms = [r for r in res.rooms if r.room_id == to.room_id]
        if not rooms:
            raise InvalidRequest("no such room in this programme")
    moved = staff_session(moved, owner, replace(res, rooms=rooms), booked)
    if overloads := await _overloads(uow, deps, moved, others):
        raise LinesRefused(overloads)
    await uow.calendar.update_session(
        moved, reason=reason.value, note=note, by=actor.by, at=actor.at, moved_from=session
    )
    await _tell_moved(uow, session, moved, reason)
    log.info("session_moved", session_id=str(session_id), reason=reason.value)
    return moved


async def _overloads(
    uow: PlanningUnitOfWork, deps: Deps, moved: DatedSession, that_day: list[DatedSession]
) -> list[Problem]:
    """The participants the moved session would take over the day's maximum of minutes."""
    groups_of: dict[str, UUID | None] = {}
    for plan in await expected(uow, moved):
        if moved.group_id is not None:
            groups_of[plan.participant_ref] = moved.group_id
        else:
            group = await uow.groups.current_group(plan.participant_ref)
            groups_of[plan.participant_ref] = group.group_id if group else None
    return day_overloads(moved, that_day, groups_of, deps.rules.attendance_max_minutes_per_day)


async def _tell_moved(
    uow: PlanningUnitOfWork, old: DatedSession, new: DatedSession, reason: SessionChangeReason
) -> None:
    location = await uow.calendar.location_of(new.room_id)
    for plan in await expected(uow, new):
        uow.emit(
            SessionMoved(
                participant_ref=plan.participant_ref,
                programme_id=plan.programme_id,
                session_id=new.session_id,
                group_id=new.group_id,
                moved_from=local_moment(old.on, old.starts_at),
                session_on=new.on,
                starts_at=local_moment(new.on, new.starts_at),
                minutes=new.minutes,
                teaching_form=new.form,
                location_id=location,
                staff=new.staff,
                reason=reason,
            )
        )


async def _owner_of(uow: PlanningUnitOfWork, deps: Deps, session: DatedSession) -> Owner:
    """The owner a session is staffed for: its group (the regular teacher first), or its
    participant (their group's teacher first)."""
    if session.group_id is not None:
        group = await uow.groups.get_group(session.group_id)
        if group is not None:
            return group_owner(group)
    plan = await uow.plans.get(session.participant_ref or "", lock=False)
    if plan is None:
        return Owner(session.programme_id, LevelBand.A1, 1, session.regular_staff)
    return await participant_owner(uow, deps, plan)


async def substitute(
    uow: PlanningUnitOfWork, deps: Deps, session_id: UUID, staff_id: str, actor: Actor
) -> DatedSession:
    """A planner names the substitute: refused (422) unless they are a teacher of the
    programme, qualified for the band, available in the slot, not on leave and not
    teaching elsewhere then."""
    session = await _session(uow, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise PlanError("a cancelled session has no staff")
    res = await resources(uow, deps, session.programme_id)
    owner = await _owner_of(uow, deps, session)
    member = next((m for m in res.staff if m.staff_id == staff_id), None)
    need: Qualification = needed_qualification(owner.band)
    if member is None or not member.can_teach(session.on, session.slot, need):
        raise InvalidRequest(
            f"{staff_id} is not a {need.value}-qualified teacher of this programme free then"
        )
    others = await uow.calendar.sessions(session.programme_id, session.on, session.on)
    taken = {
        s.staff for s in others if s.session_id != session_id and s.slot == session.slot
        and s.status is not SessionStatus.CANCELLED
    }  # fmt: skip
    if staff_id in taken:
        raise InvalidRequest(f"{staff_id} teaches another session then")
    unstaffed = Unstaffed.NO_ROOM if session.unstaffed is Unstaffed.NO_ROOM else None
    changed = replace(session, staff=staff_id, unstaffed=unstaffed)
    await uow.calendar.update_session(changed, reason="substitute", by=actor.by, at=actor.at)
    log.info("session_substituted", session_id=str(session_id))
    return changed


async def record_leave(
    uow: PlanningUnitOfWork, deps: Deps, staff_id: str, leave: Leave, actor: Actor
) -> list[DatedSession]:
    """Record a staff member's leave or illness, and staff their sessions in those days
    again: a qualified, available substitute, or visibly unstaffed. Returns the sessions
    changed."""
    member = await uow.calendar.staff_member(staff_id)
    if member is None:
        raise NotFound("no such staff member")
    await uow.calendar.add_leave(staff_id, leave, actor.by, actor.at)
    res = await resources(uow, deps, member.programme_id)
    changed = []
    for session in await uow.calendar.staffed_on(staff_id, leave.from_on, leave.to_on):
        if session.staff not in (staff_id, None):
            continue  # a substitute already teaches it
        others = await uow.calendar.sessions(session.programme_id, session.on, session.on)
        booked = Bookings.of(s for s in others if s.session_id != session.session_id)
        owner = await _owner_of(uow, deps, session)
        again = staff_session(session, owner, res, booked)
        await uow.calendar.update_session(again, reason=leave.reason, by=actor.by, at=actor.at)
        changed.append(again)
    log.info("staff_leave_recorded", staff_id=staff_id, sessions=len(changed))
    return changed


async def add_closure(
    uow: PlanningUnitOfWork, closure: Closure, actor: Actor
) -> list[DatedSession]:
    """Record a holiday or closure; sessions already dated in it are cancelled (reason
    ``closure``) with notice to those expected. Returns them."""
    await uow.calendar.add_closure(closure, actor.by, actor.at)
    cancelled = []
    for session in await uow.calendar.sessions(
        closure.programme_id, closure.from_on, closure.to_on
    ):
        if session.status is not SessionStatus.CANCELLED:
            cancelled.append(
                await cancel(uow, session.session_id, SessionChangeReason.CLOSURE, None, actor)
            )
    return cancelled


async def roll_call_problems_of(
    uow: PlanningUnitOfWork, plans: list[Plan], session_id: UUID, claim: RollCallClaim
) -> list[Problem]:
    """A roll-call against the calendar: a calendar session is held to its day, length,
    kind, form, group and expected participants; an id the calendar does not hold is
    refused where the programme's calendar has sessions that day (taught from the
    calendar), and taken as before where it has none (a programme without a calendar)."""
    session = await uow.calendar.session(session_id)
    if session is not None:
        known = {p.participant_ref: p for p in plans}
        refs = [p.participant_ref for p in await expected(uow, session, known)]
        return roll_call_refusals(session, claim, refs)
    for programme in sorted({p.programme_id for p in plans}):
        if await uow.calendar.sessions(programme, claim.session_on, claim.session_on):
            return [
                Problem.of(LineProblem.NOT_IN_CALENDAR, programme=programme, day=claim.session_on)
            ]
    return []


async def formation_teachers(
    uow: PlanningUnitOfWork,
    programme_id: str,
    band: LevelBand,
    slots: tuple[tuple[str, str], ...],
    on: date,
    configured: tuple[str, ...],
) -> tuple[str, ...]:
    """The teachers group formation may give a new group: from the programme's staff
    register (qualified, available in the group's slots, not on leave on its first day),
    else the configured list."""
    staff = await uow.calendar.staff(programme_id)
    if not staff:
        return configured
    return tuple(eligible_teachers(staff, band, slots, on))


async def formation_assistants(
    uow: PlanningUnitOfWork,
    programme_id: str,
    band: LevelBand,
    slots: tuple[tuple[str, str], ...],
    on: date,
    configured: tuple[str, ...],
) -> tuple[str, ...]:
    """The class assistants group formation may give a new group: from the programme's
    staff register as teachers are (qualified, available in the group's slots, not on
    leave on its first day), else the configured list."""
    staff = await uow.calendar.staff(programme_id)
    if not staff:
        return configured
    return tuple(eligible_assistants(staff, band, slots, on))


async def formation_assistant_capacity(
    uow: PlanningUnitOfWork,
    programme_id: str,
    bands: Iterable[LevelBand],
    existing: Iterable[GroupRow],
    in_use: Mapping[tuple[str, str], set[str]],
    on: date,
) -> tuple[int, Counter[tuple[str, str]]] | None:
    """The solver's assistant capacity for one programme from its staff register (the
    bands that need an assistant; see ``teacher_capacity`` with role assistant); None for
    a programme without a register (the configured list then counts, as before)."""
    staff = await uow.calendar.staff(programme_id)
    if not staff:
        return None
    holding: dict[tuple[str, str], set[str]] = {}
    for group in existing:
        if group.assistant:
            for slot in group.slots:
                holding.setdefault(slot, set()).add(group.assistant)
    elsewhere = {slot: set(held) - holding.get(slot, set()) for slot, held in in_use.items()}
    return teacher_capacity(
        staff,
        {needed_qualification(band) for band in bands},
        on,
        ALL_SLOTS,
        holding=holding,
        elsewhere=elsewhere,
        role=StaffRole.ASSISTANT,
    )


async def formation_capacity(
    uow: PlanningUnitOfWork,
    deps: Deps,
    programme_id: str,
    bands: Iterable[LevelBand],
    existing: Iterable[GroupRow],
    in_use: Mapping[tuple[str, str], set[str]],
    on: date,
) -> tuple[int, Counter[tuple[str, str]]] | None:
    """The solver's capacity for one programme from its staff register and rooms: how many
    teachers, and per slot how many are not free (see ``teacher_capacity``), with no more
    groups in a slot than rooms that seat one; None for a programme with neither (the
    configured list then counts, as before). Without a register the configured teachers
    count, always available; ``in_use`` holds every active group's teacher per slot, over
    all programmes."""
    staff = await uow.calendar.staff(programme_id)
    rooms = await uow.calendar.rooms(programme_id)
    if not staff and not rooms:
        return None
    if not staff:
        partner = await uow.records.teaching_partner(programme_id, deps.teaching_partner)
        staff = default_staff(programme_id, partner, deps.rules.groups.teachers, ALL_SLOTS)
    seats = [r for r in rooms if r.capacity >= deps.rules.groups.min_size]
    holding: dict[tuple[str, str], set[str]] = {}
    for group in existing:
        for slot in group.slots:
            holding.setdefault(slot, set()).add(group.teacher)
    elsewhere = {slot: set(held) - holding.get(slot, set()) for slot, held in in_use.items()}
    needs = {needed_qualification(band) for band in bands}
    return teacher_capacity(
        staff,
        needs,
        on,
        ALL_SLOTS,
        holding=holding,
        elsewhere=elsewhere,
        rooms=len(seats) if rooms else None,
    )
