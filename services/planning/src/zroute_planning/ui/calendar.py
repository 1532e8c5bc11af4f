"""The dated calendar on screen (issue 16): the week calendar shows a programme's dated
sessions of one week, with staff (and who substitutes), room, cancelled or moved state and
why a session is unstaffed; a session's page lets a planner cancel or move it, or name a
substitute, through the API's own routes (their checks, their scopes, their events)."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from datetime import date, time, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, HTTPException
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import SessionChangeReason
from zroute_runtime.clock import local_day
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, Pagination, UiKit, api_roles, parse_day
from zroute_ui.i18n import translations

from zroute_planning.entrypoints.http import calendar as api
from zroute_planning.entrypoints.http.calendar_schemas import (
    CancelIn,
    MoveIn,
    SessionOut,
    SubstituteIn,
)
from zroute_planning.entrypoints.http.deps import get_deps
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.ui.pages import LABELS

READ_OPERATION = "GET /programmes/{programme_id}/calendar"
PER_PAGE = 25
CANCEL_OPERATION = "POST /calendar/sessions/{session_id}/cancellation"
STATE = {"planned": N_("planned"), "moved": N_("moved"), "cancelled": N_("does not take place")}
UNSTAFFED = {
    "no_qualified_staff_available": N_("no qualified teacher available"),
    "no_room_with_capacity": N_("no room large enough"),
    "no_confirmed_placement": N_("no confirmed workplace"),
}
REASONS = {
    SessionChangeReason.STAFF_ILL.value: N_("teacher ill"),
    SessionChangeReason.STAFF_LEAVE.value: N_("teacher on leave"),
    SessionChangeReason.NO_SUBSTITUTE.value: N_("no substitute"),
    SessionChangeReason.ROOM_UNAVAILABLE.value: N_("room unavailable"),
    SessionChangeReason.CLOSURE.value: N_("holiday or closure"),
    SessionChangeReason.TOO_FEW_PARTICIPANTS.value: N_("too few participants"),
    SessionChangeReason.PLANNER_DECISION.value: N_("planner's decision"),
    SessionChangeReason.OTHER.value: N_("another reason"),
}
CALENDAR_LABELS = {"states": STATE, "unstaffed_reasons": UNSTAFFED, "change_reasons": REASONS}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(value: str, today: date) -> date:
    """The Monday of the week asked for (``YYYY-MM-DD``), else of this week."""
    try:
        return monday_of(date.fromisoformat(value))
    except ValueError:
        return monday_of(today)


async def week_page(
    page: Page, runtime: Any, programme: str, week: date, search: str | None, page_no: int
) -> tuple[list[Any], int]:
    """One page of the programme's dated sessions of the week (25), searched by part of
    a teacher, room or participant reference in the database, and how many there are;
    none for a programme the caller may not read (as the API's calendar)."""
    try:
        async with command(runtime, page.request) as uow:
            found, total = await views.calendar_page(
                uow,
                get_deps(runtime),
                page.principal,
                programme,
                (week, week + timedelta(days=6)),
                search=search,
                limit=PER_PAGE,
                offset=(page_no - 1) * PER_PAGE,
            )
    except HTTPException as exc:
        if exc.status_code != 403:
            raise
        return [], 0
    return [SessionOut.of(s) for s in found], total


def calendar_context(
    page: Page, week: date, sessions: list[Any], total: int = 0, page_no: int = 1
) -> dict[str, Any]:
    """What the week calendar page adds for the dated sessions."""
    return {
        "week": week,
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7),
        "dated": sessions,
        "dated_total": total,
        "pager": Pagination(page_no, PER_PAGE, total),
        **CALENDAR_LABELS,
    }


async def _session(page: Page, runtime: Any, session_id: UUID) -> Any:
    deps = get_deps(runtime)
    async with command(runtime, page.request) as uow:
        session = await uow.calendar.session(session_id)
        if session is None:
            raise HTTPException(404, "no such session in the calendar")
        await views.ensure_may_read_programme(uow, deps, page.principal, session.programme_id)
        staff = await uow.calendar.staff(session.programme_id)
    return session, [m.staff_id for m in staff]


async def session_page(
    page: Page, runtime: Any, session_id: UUID, errors: FormErrors | None = None
) -> Response:
    session, staff = await _session(page, runtime, session_id)
    may_change = page.principal.has_any_role(*api_roles("planning", CANCEL_OPERATION))
    return page.render(
        "calendar_session.html.j2",
        s=session,
        staff=staff,
        may_change=may_change,
        errors=errors or FormErrors(),
        status_code=422 if errors else 200,
        **LABELS,
        **CALENDAR_LABELS,
    )


def _reason(page: Page, errors: FormErrors, field: str) -> SessionChangeReason | None:
    value = page.form.get(field, "")
    if value not in REASONS:
        errors.add(field, N_("Choose the reason."))
        return None
    return SessionChangeReason(value)


async def _refused(
    page: Page, runtime: Any, session_id: UUID, exc: HTTPException, field: str
) -> Response:
    if exc.status_code not in (409, 422):
        raise exc
    gettext = translations(page.language).gettext
    errors = FormErrors()
    message = gettext(N_("The calendar refused this change: %(reason)s"))
    errors.add(field, message % {"reason": exc.detail})
    return await session_page(page, runtime, session_id, errors)


async def cancel(page: Page, runtime: Any, session_id: UUID) -> Response:
    errors = FormErrors()
    reason = _reason(page, errors, "cancel-reason")
    if reason is None:
        return await session_page(page, runtime, session_id, errors)
    note = page.form.get("cancel-note", "").strip()[:500] or None
    try:
        await api.cancel_session(
            session_id, CancelIn(reason=reason, note=note), page.principal, runtime, page.request
        )
    except HTTPException as exc:
        return await _refused(page, runtime, session_id, exc, "cancel-reason")
    page.flash("ok", N_("The session is cancelled; those expected are told."))
    return page.redirect(f"/ui/calendar/sessions/{session_id}")


def _move_body(page: Page, errors: FormErrors) -> MoveIn | None:
    reason = _reason(page, errors, "move-reason")
    on = parse_day(page.form.get("move-date"))
    if on is None:
        errors.add("move-date", N_("Enter the new day as day-month-year, like 12-01-2027."))
        return None
    try:
        starts_at = time.fromisoformat(page.form.get("move-time", ""))
    except ValueError:
        errors.add("move-time", N_("Enter the new start time as HH:MM."))
        return None
    if reason is None:
        return None
    try:
        return MoveIn(session_on=on, starts_at=starts_at, reason=reason)
    except ValidationError:
        errors.add("move-date", N_("Enter the new day as YYYY-MM-DD."))
        return None


async def move(page: Page, runtime: Any, deps: Deps, session_id: UUID) -> Response:
    errors = FormErrors()
    body = _move_body(page, errors)
    if body is None:
        return await session_page(page, runtime, session_id, errors)
    try:
        await api.move_session(session_id, body, page.principal, runtime, page.request, deps)
    except HTTPException as exc:
        return await _refused(page, runtime, session_id, exc, "move-date")
    page.flash("ok", N_("The session is moved; those expected are told."))
    return page.redirect(f"/ui/calendar/sessions/{session_id}")


async def substitute(page: Page, runtime: Any, deps: Deps, session_id: UUID) -> Response:
    staff_id = page.form.get("staff-id", "")
    try:
        body = SubstituteIn(staff_id=staff_id)
    except ValidationError:
        errors = FormErrors()
        errors.add("staff-id", N_("Choose the substitute."))
        return await session_page(page, runtime, session_id, errors)
    try:
        await api.substitute(session_id, body, page.principal, runtime, page.request, deps)
    except HTTPException as exc:
        return await _refused(page, runtime, session_id, exc, "staff-id")
    page.flash("ok", N_("The substitute is assigned."))
    return page.redirect(f"/ui/calendar/sessions/{session_id}")


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(READ_OPERATION))]
    Changers = Annotated[Page, Depends(kit.api_page(CANCEL_OPERATION))]
    PlanningDeps = Annotated[Deps, Depends(get_deps)]

    @kit.router.get("/calendar/sessions/{session_id}")
    async def session(session_id: UUID, page: Readers, runtime: Runtime) -> Response:
        return await session_page(page, runtime, session_id)

    @kit.router.post("/calendar/sessions/{session_id}/cancellation")
    async def cancellation(session_id: UUID, page: Changers, runtime: Runtime) -> Response:
        return await cancel(page, runtime, session_id)

    @kit.router.post("/calendar/sessions/{session_id}/move")
    async def moving(
        session_id: UUID, page: Changers, runtime: Runtime, deps: PlanningDeps
    ) -> Response:
        return await move(page, runtime, deps, session_id)

    @kit.router.post("/calendar/sessions/{session_id}/staff")
    async def staffing(
        session_id: UUID, page: Changers, runtime: Runtime, deps: PlanningDeps
    ) -> Response:
        return await substitute(page, runtime, deps, session_id)


def today_of(runtime: Any) -> date:
    return local_day(runtime.clock.now())
