"""Roll-call per session for the teacher: a group's sessions in the last two weeks, and
for one session the group's members, each present with minutes, absent, or absent with a
reason, sent at once through the API's own ``POST /roll-calls`` (its checks, its scopes).
A refused roll-call keeps what was entered and shows each line's reasons beside it."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from fastapi import Depends, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import Response
from zroute_contract.events.codes import AttendanceStatus, Weekday
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, cards
from zroute_ui.i18n import translations

from zroute_planning.domain.roll_call import AbsenceReason
from zroute_planning.domain.schedule import group_patterns
from zroute_planning.entrypoints.http.deps import get_deps
from zroute_planning.entrypoints.http.roll_calls import record
from zroute_planning.entrypoints.http.schemas import MarkIn, RollCallIn
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.ui.line_problems import MINUTES, WHEN, reasons
from zroute_planning.ui.line_problems import REASON as REASON_FIELD
from zroute_planning.ui.pages import LABELS

ROLL_CALL_OPERATION = "POST /roll-calls"
WEEKS_BACK = 2
STATUS = {
    AttendanceStatus.PRESENT.value: N_("present"),
    AttendanceStatus.ABSENT_WITHOUT_REASON.value: N_("absent"),
    AttendanceStatus.ABSENT_WITH_REASON.value: N_("absent with a reason"),
}
REASON = {
    AbsenceReason.ILLNESS.value: N_("illness"),
    AbsenceReason.CARE_APPOINTMENT.value: N_("care appointment"),
    AbsenceReason.CHILDCARE_FAILED.value: N_("childcare fell through"),
    AbsenceReason.TRANSPORT_FAILED.value: N_("transport fell through"),
    AbsenceReason.OTHER.value: N_("another reason"),
}
# What each coded reason of the ledger concerns (ui/line_problems.py), as this form's field.
FIELDS = {WHEN: "status", MINUTES: "minutes", REASON_FIELD: "reason"}
REFUSED = {
    403: N_("You may not record attendance for every participant of this group."),
    409: N_("This session was recorded before with other values; correct a line instead."),
}


def session_id(group_id: UUID, index: int, on: date) -> UUID:
    """The same session of a group on a day is the same ``session_id`` (so a roll-call sent
    twice is recorded once, and a changed one is refused as a correction)."""
    return uuid5(NAMESPACE_URL, f"zroute:planning:group:{group_id}:session:{index}:{on}")


def recent_days(weekday: str, today: date, weeks: int = WEEKS_BACK) -> list[date]:
    """The last ``weeks`` days on ``weekday`` up to today, latest first."""
    back = (today.weekday() - list(Weekday).index(Weekday(weekday))) % 7
    latest = today - timedelta(days=back)
    return [latest - timedelta(weeks=w) for w in range(weeks)]


async def _group(page: Page, runtime: Any, group_id: UUID) -> Any:
    async with command(runtime, page.request) as uow:
        return await views.group(uow, page.principal, group_id)


def _session(group: Any, index: int) -> dict[str, Any]:
    if not 0 <= index < len(group.sessions):
        raise HTTPException(404, "no such session")
    return dict(group.sessions[index])


async def sessions_page(page: Page, runtime: Any, group_id: UUID) -> Response:
    """The group's page: its members (names where the contact card allows, otherwise the
    reference with the reason, as on the roll-call) and its sessions of the last weeks,
    each a link to its roll-call."""
    group = await _group(page, runtime, group_id)
    today = local_day(runtime.clock.now())
    rows = [
        (index, s, day)
        for index, s in enumerate(group.sessions)
        for day in recent_days(s["weekday"], today)
    ]
    rows.sort(key=lambda r: (r[2], r[0]), reverse=True)
    shown = await member_names(page, group.members)
    return page.render("sessions.html.j2", group=group, rows=rows, shown=shown, **LABELS)


def _lines(page: Page, members: tuple[str, ...], minutes: int) -> list[dict[str, str]]:
    """The lines as entered (after a refusal), else everyone present the whole session."""
    return [
        {
            "ref": ref,
            "status": page.form.get(f"status-{i}", AttendanceStatus.PRESENT.value),
            "minutes": page.form.get(f"minutes-{i}", str(minutes)).strip(),
            "reason": page.form.get(f"reason-{i}", ""),
        }
        for i, ref in enumerate(members)
    ]


def _marks(lines: list[dict[str, str]], errors: FormErrors) -> list[MarkIn]:
    """The lines as the API's marks; the form's own errors (a status or a number missing)."""
    marks = []
    for i, line in enumerate(lines):
        if line["status"] not in STATUS:
            errors.add(f"status-{i}", N_("Choose present, absent or absent with a reason."))
            continue
        present = line["status"] == AttendanceStatus.PRESENT.value
        minutes = line["minutes"] if present else "0"
        if not minutes.isdigit() or int(minutes) > 480:
            errors.add(f"minutes-{i}", N_("Enter the minutes present as a whole number."))
            continue
        reason = line["reason"] if line["reason"] in REASON else None
        marks.append(
            MarkIn(
                participant_ref=line["ref"],
                status=AttendanceStatus(line["status"]),
                minutes=int(minutes),
                reason=AbsenceReason(reason) if reason else None,
            )
        )
    return marks


def line_errors(detail: Any, members: tuple[str, ...], language: str) -> FormErrors:
    """The ledger's refusal (the API's coded reasons) as errors on the lines it names, in
    the page's language; a reason of the session as a whole goes on the first line."""
    gettext = translations(language).gettext
    errors = FormErrors()
    for reason in reasons(detail):
        ref = reason.participant_ref
        if ref is not None and ref not in members:
            continue
        i = members.index(ref) if ref is not None else 0
        errors.add(f"{FIELDS[reason.field]}-{i}", reason.text(gettext))
    return errors


async def member_names(page: Page, members: Iterable[str]) -> dict[str, cards.Shown]:
    """The members' names from intake's contact cards, for the teaching partner's staff
    (the card is theirs to ask for; other roles see the references)."""
    if Role.PARTNER_STAFF not in page.principal.roles:
        return {}
    return await cards.names(page, members, "take_roll_call")


async def roll_call_page(
    page: Page, runtime: Any, group_id: UUID, index: int, on: date, deps: Deps | None = None
) -> Response:
    """The form (GET), or the roll-call sent (POST): a flash on success, else the form
    again with every line's reasons beside it."""
    group = await _group(page, runtime, group_id)
    session = _session(group, index)
    lines = _lines(page, group.members, session["minutes"])
    shown = await member_names(page, group.members)
    errors = FormErrors()
    if page.request.method == "POST" and deps is not None:
        errors = await _send(page, runtime, deps, group, index, on, lines)
        if not errors:
            page.flash("ok", N_("The roll-call is recorded."))
            return page.redirect(f"/ui/groups/{group_id}/sessions")
    return page.render(
        "roll_call.html.j2",
        group=group,
        slot=session,
        index=index,
        on=on,
        lines=lines,
        shown=shown,
        statuses=STATUS,
        reasons=REASON,
        errors=errors,
        status_code=422 if errors else 200,
        **LABELS,
    )


async def _send(
    page: Page,
    runtime: Any,
    deps: Deps,
    group: Any,
    index: int,
    on: date,
    lines: list[dict[str, str]],
) -> FormErrors:
    errors = FormErrors()
    marks = _marks(lines, errors)
    if not marks and not errors:  # a group without members: nothing to record
        errors.add("status-0", N_("The roll-call was refused."))
    if errors:
        return errors
    session = _session(group, index)
    pattern = group_patterns(deps.rules)[index % len(group_patterns(deps.rules))]
    body = RollCallIn(
        session_id=await _calendar_id(page, runtime, group, session, on)
        or session_id(group.group_id, index, on),
        session_on=on,
        group_id=group.group_id,
        kind=pattern.kind,
        teaching_form=session["teaching_form"],
        session_minutes=session["minutes"],
        marks=marks,
    )
    try:
        await record(body, page.principal, runtime, page.request, deps)
    except HTTPException as exc:
        if exc.status_code == 422:
            found = line_errors(exc.detail, group.members, page.language)
            if found:
                return found
        if exc.status_code not in REFUSED and exc.status_code != 422:
            raise
        errors.add("status-0", REFUSED.get(exc.status_code, N_("The roll-call was refused.")))
    return errors


async def _calendar_id(
    page: Page, runtime: Any, group: Any, session: dict[str, Any], on: date
) -> UUID | None:
    """The calendar's id of the group's session that day (issue 16), where the programme's
    calendar holds it; the roll-call is then checked against that session."""
    async with command(runtime, page.request) as uow:
        dated = await uow.calendar.sessions(group.programme_id, on, on)
    slot = (session["weekday"], session["day_part"])
    found = [s.session_id for s in dated if s.group_id == group.group_id and s.slot == slot]
    return found[0] if found else None


def add(kit: UiKit) -> None:
    Recorders = Annotated[Page, Depends(kit.api_page(ROLL_CALL_OPERATION))]
    PlanningDeps = Annotated[Deps, Depends(get_deps)]
    Index = Annotated[int, PathParam(ge=0, le=20)]

    @kit.router.get("/groups/{group_id}/sessions")
    async def sessions(group_id: UUID, page: Recorders, runtime: Runtime) -> Response:
        return await sessions_page(page, runtime, group_id)

    @kit.router.get("/groups/{group_id}/sessions/{index}/{on}")
    async def roll_call_form(
        group_id: UUID, index: Index, on: date, page: Recorders, runtime: Runtime
    ) -> Response:
        return await roll_call_page(page, runtime, group_id, index, on)

    @kit.router.post("/groups/{group_id}/sessions/{index}/{on}")
    async def roll_call(
        group_id: UUID,
        index: Index,
        on: date,
        page: Recorders,
        runtime: Runtime,
        deps: PlanningDeps,
    ) -> Response:
        return await roll_call_page(page, runtime, group_id, index, on, deps)
