"""The dated session calendar (issue 16): closures, staff, rooms and leave per programme;
generating the calendar; reading it; cancelling, moving or staffing a session."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from fastapi import APIRouter, Path, Request
from zroute_contract.errors import NotFound
from zroute_contract.types import PARTNER_ID_PATTERN, STAFF_REF_PATTERN
from zroute_runtime.auth import Principal
from zroute_runtime.commands import command, refusals
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.calendar import Closure, Leave, Room, StaffMember
from zroute_planning.domain.errors import InvalidRequest
from zroute_planning.entrypoints.http.calendar_schemas import (
    CancelIn,
    ClosureIn,
    ClosureOut,
    GenerateIn,
    GenerateOut,
    LeaveIn,
    MoveIn,
    RoomIn,
    RoomOut,
    SessionOut,
    StaffIn,
    StaffOut,
    SubstituteIn,
)
from zroute_planning.entrypoints.http.deps import (
    Organisers,
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import calendar
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

router = APIRouter(tags=["calendar"])

ProgrammeId = Path(pattern=PARTNER_ID_PATTERN)


def _actor(principal: Principal, runtime: Runtime) -> calendar.Actor:
    return calendar.Actor(by=principal.subject, at=runtime.clock.now())


def _days(from_on: date, to_on: date) -> None:
    # Checked before any unit of work opens, so the refusal is turned into its 422 here.
    with refusals():
        if to_on < from_on or (to_on - from_on).days > 366:
            raise InvalidRequest("name at most a year of days, the first before the last")


def _window(runtime: Runtime, from_on: date | None, to_on: date | None) -> tuple[date, date]:
    """The days a calendar read covers: the coming four weeks unless the caller names them."""
    start = from_on or local_today(runtime)
    if to_on is None and start > date.max - timedelta(days=27):
        with refusals():
            raise InvalidRequest("from_on: no four weeks of days follow it; name to_on")
    end = to_on or start + timedelta(days=27)
    _days(start, end)
    return start, end


async def _organise_session(
    uow: PlanningUnitOfWork, principal: Principal, session_id: UUID
) -> None:
    """The session's programme, organised by the caller (404, 403)."""
    session = await uow.calendar.session(session_id)
    if session is None:
        raise NotFound("no such session in the calendar")
    await views.ensure_may_form_groups(uow, principal, session.programme_id)


@router.post("/programmes/{programme_id}/closures", status_code=201)
async def add_closure(
    body: ClosureIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    programme_id: str = ProgrammeId,
) -> ClosureOut:
    """A holiday or closure of the programme: no sessions are dated in it, and sessions
    already dated there are cancelled with notice (``session-cancelled``, reason closure)."""
    _days(body.from_on, body.to_on)
    async with command(runtime, request) as uow:
        await views.ensure_may_form_groups(uow, principal, programme_id)
        closure = Closure(programme_id, body.from_on, body.to_on, body.reason)
        cancelled = await calendar.add_closure(uow, closure, _actor(principal, runtime))
        await uow.commit()
    return ClosureOut(
        programme_id=programme_id,
        from_on=body.from_on,
        to_on=body.to_on,
        reason=body.reason,
        cancelled=[s.session_id for s in cancelled],
    )


@router.get("/programmes/{programme_id}/closures")
async def list_closures(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    programme_id: str = ProgrammeId,
) -> list[ClosureOut]:
    async with command(runtime, request) as uow:
        await views.ensure_may_read_programme(uow, deps, principal, programme_id)
        found = await uow.calendar.closures(programme_id)
    return [ClosureOut(programme_id=c.programme_id, from_on=c.from_on, to_on=c.to_on,
                       reason=c.reason) for c in found]  # fmt: skip


@router.put("/programmes/{programme_id}/staff/{staff_id}")
async def save_staff(
    body: StaffIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    programme_id: str = ProgrammeId,
    staff_id: str = Path(pattern=STAFF_REF_PATTERN),
) -> StaffOut:
    """A staff member of the programme: partner, role, qualifications (NT2, alfa) and the
    weekly slots they teach."""
    member = StaffMember(
        staff_id=staff_id,
        programme_id=programme_id,
        partner_id=body.partner_id,
        role=body.role,
        qualifications=frozenset(body.qualifications),
        availability=frozenset((s.weekday.value, s.day_part.value) for s in body.availability),
    )
    async with command(runtime, request) as uow:
        await views.ensure_may_form_groups(uow, principal, programme_id)
        await uow.calendar.save_staff(member, principal.subject, runtime.clock.now())
        await uow.commit()
    return _staff_out(member)


def _staff_out(m: StaffMember) -> StaffOut:
    return StaffOut(
        staff_id=m.staff_id,
        programme_id=m.programme_id,
        partner_id=m.partner_id,
        role=m.role,
        qualifications=sorted(m.qualifications),
        availability=sorted(m.availability),
        leave=[(lv.from_on, lv.to_on, lv.reason) for lv in m.leave],
    )


@router.get("/programmes/{programme_id}/staff")
async def list_staff(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    programme_id: str = ProgrammeId,
) -> list[StaffOut]:
    async with command(runtime, request) as uow:
        await views.ensure_may_read_programme(uow, deps, principal, programme_id)
        found = await uow.calendar.staff(programme_id)
    return [_staff_out(m) for m in found]


@router.post("/staff/{staff_id}/leave", status_code=201)
async def record_leave(
    body: LeaveIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    staff_id: str = Path(pattern=STAFF_REF_PATTERN),
) -> list[SessionOut]:
    """Leave or illness of a staff member: their sessions in those days get a qualified,
    available substitute, or are shown unstaffed with the reason. Answers those sessions."""
    _days(body.from_on, body.to_on)
    async with command(runtime, request) as uow:
        member = await uow.calendar.staff_member(staff_id)
        if member is not None:
            await views.ensure_may_form_groups(uow, principal, member.programme_id)
        leave = Leave(body.from_on, body.to_on, body.reason)
        changed = await calendar.record_leave(
            uow, deps, staff_id, leave, _actor(principal, runtime)
        )
        await uow.commit()
    return [SessionOut.of(s) for s in changed]


@router.put("/programmes/{programme_id}/rooms/{room_id}")
async def save_room(
    body: RoomIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    programme_id: str = ProgrammeId,
    room_id: str = Path(pattern=PARTNER_ID_PATTERN),
) -> RoomOut:
    """A room of the programme at a location, with the number it seats."""
    room = Room(room_id, programme_id, body.location_id, body.capacity)
    async with command(runtime, request) as uow:
        await views.ensure_may_form_groups(uow, principal, programme_id)
        await uow.calendar.save_room(room, principal.subject, runtime.clock.now())
        await uow.commit()
    return RoomOut(**room.__dict__)


@router.post("/programmes/{programme_id}/calendar")
async def generate(
    body: GenerateIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    programme_id: str = ProgrammeId,
) -> GenerateOut:
    """Date the programme's sessions in the days: every group's, and every active
    participant's own sessions and workplace days; closures skipped; sessions already
    dated stay as they are."""
    async with command(runtime, request) as uow:
        await views.ensure_may_form_groups(uow, principal, programme_id)
        added = await calendar.generate(uow, deps, programme_id, body.from_on, body.to_on)
        await uow.commit()
    return GenerateOut(programme_id=programme_id, added=added)


@router.get("/programmes/{programme_id}/calendar")
async def read_calendar(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    programme_id: str = ProgrammeId,
    from_on: date | None = None,
    to_on: date | None = None,
) -> list[SessionOut]:
    """The programme's dated sessions (default: the coming four weeks) with staff, room,
    substitution, cancelled or moved state, and why a session is unstaffed."""
    start, end = _window(runtime, from_on, to_on)
    async with command(runtime, request) as uow:
        await views.ensure_may_read_programme(uow, deps, principal, programme_id)
        found = await uow.calendar.sessions(programme_id, start, end)
    return [SessionOut.of(s) for s in found]


@router.get("/participants/{participant_ref}/calendar")
async def participant_calendar(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
    from_on: date | None = None,
    to_on: date | None = None,
) -> list[SessionOut]:
    """One participant's dated sessions: their group's and their own."""
    start, end = _window(runtime, from_on, to_on)
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        group = await uow.groups.current_group(plan.participant_ref)
        found = await uow.calendar.sessions(
            plan.programme_id,
            start,
            end,
            participant_ref=plan.participant_ref,
            group_ids=[group.group_id] if group else [],
        )
    return [SessionOut.of(s) for s in found]


@router.post("/calendar/sessions/{session_id}/cancellation")
async def cancel_session(
    session_id: UUID,
    body: CancelIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
) -> SessionOut:
    """Cancel a session with a coded reason (and a note kept in planning); every
    participant expected and the teaching partner hear of it (``session-cancelled``)."""
    async with command(runtime, request) as uow:
        await _organise_session(uow, principal, session_id)
        done = await calendar.cancel(
            uow, session_id, body.reason, body.note, _actor(principal, runtime)
        )
        await uow.commit()
    return SessionOut.of(done)


@router.post("/calendar/sessions/{session_id}/move")
async def move_session(
    session_id: UUID,
    body: MoveIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> SessionOut:
    """Move a session to another day, time or room with a coded reason; staffed again
    (its teacher where free, else a substitute, else shown unstaffed); every participant
    expected and the teaching partner hear of it (``session-moved``). A move that would
    take a participant expected over the day's maximum of minutes is refused (422,
    ``over_day_maximum`` per participant): the ledger could not record that session."""
    to = calendar.Move(body.session_on, body.starts_at, body.room_id)
    async with command(runtime, request) as uow:
        await _organise_session(uow, principal, session_id)
        done = await calendar.move(
            uow, deps, session_id, to, body.reason, body.note, _actor(principal, runtime)
        )
        await uow.commit()
    return SessionOut.of(done)


@router.put("/calendar/sessions/{session_id}/staff")
async def substitute(
    session_id: UUID,
    body: SubstituteIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> SessionOut:
    """Name the staff member (a substitute) for one session: a qualified teacher of the
    programme, available then and not teaching elsewhere (422 otherwise)."""
    async with command(runtime, request) as uow:
        await _organise_session(uow, principal, session_id)
        done = await calendar.substitute(
            uow, deps, session_id, body.staff_id, _actor(principal, runtime)
        )
        await uow.commit()
    return SessionOut.of(done)
