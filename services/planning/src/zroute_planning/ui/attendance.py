"""A participant's attendance for planners, teachers and job coaches: the recorded lines
with their corrections (old and new value, who, when, why), a correction form per line
through the API's own ``PUT /participants/{ref}/attendance/{session}`` function, and the
workplace hours a job coach records through the API's own ``POST .../attendance`` (kind
participation, the partner check of the task division); and the programme's hours export
(``GET /programmes/{id}/hours.xlsx`` and ``.csv``) as the API's own functions, for the
session's user (the API itself takes a bearer token, which a browser link does not carry).
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from datetime import date
from typing import Annotated, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from fastapi import Depends, HTTPException, Path
from fastapi.responses import Response
from zroute_contract.errors import Forbidden
from zroute_contract.events.codes import (
    AttendanceStatus,
    CorrectionReason,
    HoursKind,
    TeachingForm,
)
from zroute_contract.types import PARTICIPANT_REF_PATTERN, ProgrammeId
from zroute_runtime.clock import local_day
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, api_roles, parse_day
from zroute_ui.i18n import translations

from zroute_planning.domain.roll_call import AbsenceReason
from zroute_planning.entrypoints.http.attendance import correct, record
from zroute_planning.entrypoints.http.deps import get_deps
from zroute_planning.entrypoints.http.hours_export import export_csv, export_xlsx
from zroute_planning.entrypoints.http.schemas import AttendanceCorrectionIn, AttendanceIn
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.ui.line_problems import MINUTES, WHEN, reasons
from zroute_planning.ui.line_problems import REASON as REASON_FIELD
from zroute_planning.ui.pages import LABELS
from zroute_planning.ui.roll_call import REASON, STATUS

READ_OPERATION = "GET /participants/{participant_ref}/attendance"
CORRECT_OPERATION = "PUT /participants/{participant_ref}/attendance/{session_id}"
RECORD_OPERATION = "POST /participants/{participant_ref}/attendance"
EXPORT_OPERATION = "GET /programmes/{programme_id}/hours.xlsx"
CORRECTION_REASON = {
    CorrectionReason.DATA_ENTRY_ERROR.value: N_("entered wrongly"),
    CorrectionReason.NEW_INFORMATION.value: N_("new information"),
    CorrectionReason.REASSESSMENT.value: N_("reassessed"),
}
# What each coded reason of the ledger concerns (ui/line_problems.py), as this page's field
# (after the form's prefix: a line's correction, or the workplace day).
FIELDS = {WHEN: "day", MINUTES: "minutes", REASON_FIELD: "absence"}
REFUSED = {
    403: N_("Your organisation may not record or correct these hours for this participant."),
    404: N_("This line was not found."),
    409: N_("This day was recorded before with other values; correct that line instead."),
}


def workplace_session(ref: str, on: date) -> UUID:
    """One workplace day of a participant is one session: the same day sent twice is
    recorded once, a changed one is refused (correct the line instead)."""
    return uuid5(NAMESPACE_URL, f"zroute:planning:workplace:{ref}:{on}")


def refusal_errors(exc: HTTPException, prefix: str, language: str) -> FormErrors:
    """The API's refusal as errors beside the fields it concerns, in the page's language
    (the ledger's coded reasons, ui/line_problems.py)."""
    gettext = translations(language).gettext
    errors = FormErrors()
    if exc.status_code == 422:
        for reason in reasons(exc.detail):
            errors.add(f"{prefix}-{FIELDS[reason.field]}", reason.text(gettext))
    if not errors:
        if exc.status_code not in (*REFUSED, 422):
            raise exc
        message = REFUSED.get(exc.status_code, N_("The line was refused."))
        errors.add(f"{prefix}-status" if prefix != "wp" else "wp-day", message)
    return errors


def _minutes(value: str, field: str, errors: FormErrors, *, present: bool) -> int:
    if not present:
        return 0
    if not value.strip().isdigit() or not 1 <= int(value) <= 480:
        errors.add(field, N_("Enter the minutes present as a whole number from 1 to 480."))
        return 0
    return int(value)


async def attendance_page(
    page: Page,
    runtime: Any,
    deps: Deps,
    ref: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The lines with their corrections, a correction form per line and the workplace
    hours form, each shown to the roles the access matrix grants its operation."""
    roles = set(page.principal.roles)
    recorder_only = False
    async with command(runtime, page.request) as uow:
        try:
            plan = await views.plan_for_caller(uow, deps, page.principal, ref, lock=False)
        except Forbidden:
            # A job coach's partner teaches nothing here, so the plan's reads are not
            # theirs; the task division lets them record workplace hours, and they see
            # only the lines their own partner recorded (planning's recording check).
            plan = await views.plan_for_recorder(
                uow, deps, page.principal, ref, HoursKind.PARTICIPATION, lock=False
            )
            recorder_only = True
        lines = await views.attendance_lines(uow, plan)
    if recorder_only:
        lines = [r for r in lines if r["recording_partner"] == page.principal.partner_id]
    errors = errors or FormErrors()
    return page.render(
        "attendance.html.j2",
        ref=ref,
        plan=plan,
        lines=lines,
        statuses=STATUS,
        reasons=REASON,
        correction_reasons=CORRECTION_REASON,
        open_prefix=next((k[:38] for k in (values or {}) if k.startswith("c-")), None),
        may_correct=not recorder_only and bool(roles & api_roles("planning", CORRECT_OPERATION)),
        may_record=bool(roles & api_roles("planning", RECORD_OPERATION)),
        today=local_day(runtime.clock.now()),
        errors=errors,
        values=values or {},
        status_code=422 if errors else 200,
        **LABELS,
    )


async def correct_line(page: Page, runtime: Any, deps: Deps, ref: str, session: UUID) -> Response:
    """One line corrected through the API's own function; refused: the page again with
    the reasons beside the line's fields and what was entered kept."""
    form = page.form
    prefix = f"c-{session}"
    errors = FormErrors()
    status = form.get(f"{prefix}-status", "")
    reason = form.get(f"{prefix}-reason", "")
    absence = form.get(f"{prefix}-absence", "")
    if status not in STATUS:
        errors.add(f"{prefix}-status", N_("Choose present, absent or absent with a reason."))
    if reason not in CORRECTION_REASON:
        errors.add(f"{prefix}-reason", N_("Choose why the line is corrected."))
    present = status == AttendanceStatus.PRESENT.value
    minutes = _minutes(
        form.get(f"{prefix}-minutes", ""), f"{prefix}-minutes", errors, present=present
    )
    values = {k: v for k, v in form.items() if k.startswith(prefix)}
    if not errors:
        body = AttendanceCorrectionIn(
            status=AttendanceStatus(status),
            minutes=minutes,
            absence_reason=AbsenceReason(absence) if absence in REASON else None,
            reason=CorrectionReason(reason),
            note=form.get(f"{prefix}-note", "").strip()[:500] or None,
        )
        try:
            await correct(ref, session, body, page.principal, runtime, page.request, deps)
        except HTTPException as exc:
            errors = refusal_errors(exc, prefix, page.language)
    if errors:
        return await attendance_page(page, runtime, deps, ref, errors, values)
    page.flash("ok", N_("The line is corrected."))
    return page.redirect(f"/ui/plans/{ref}/attendance")


async def record_workplace_hours(page: Page, runtime: Any, deps: Deps, ref: str) -> Response:
    """A workplace day recorded through the API's own function: participation hours,
    learning at work, present; the task division decides who may (403 in place)."""
    form = page.form
    errors = FormErrors()
    on = parse_day(form.get("wp-day"))
    if on is None:
        errors.add("wp-day", N_("Enter the day as a date: day-month-year, like 01-12-2026."))
    minutes = _minutes(form.get("wp-minutes", ""), "wp-minutes", errors, present=True)
    values = {k: v for k, v in form.items() if k.startswith("wp-")}
    if not errors and on is not None:
        body = AttendanceIn(
            session_id=workplace_session(ref, on),
            session_on=on,
            kind=HoursKind.PARTICIPATION,
            teaching_form=TeachingForm.WORKPLACE_LEARNING,
            status=AttendanceStatus.PRESENT,
            minutes=minutes,
            session_minutes=minutes,
        )
        try:
            await record(ref, body, page.principal, runtime, page.request, deps)
        except HTTPException as exc:
            errors = refusal_errors(exc, "wp", page.language)
    if errors:
        return await attendance_page(page, runtime, deps, ref, errors, values)
    page.flash("ok", N_("The workplace hours are recorded."))
    return page.redirect(f"/ui/plans/{ref}/attendance")


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(READ_OPERATION))]
    Correctors = Annotated[Page, Depends(kit.api_page(CORRECT_OPERATION))]
    Recorders = Annotated[Page, Depends(kit.api_page(RECORD_OPERATION))]
    Exporters = Annotated[Page, Depends(kit.api_page(EXPORT_OPERATION))]
    PlanningDeps = Annotated[Deps, Depends(get_deps)]
    Ref = Annotated[str, Path(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/plans/{participant_ref}/attendance")
    async def attendance(
        participant_ref: Ref, page: Readers, runtime: Runtime, deps: PlanningDeps
    ) -> Response:
        return await attendance_page(page, runtime, deps, participant_ref)

    @kit.router.post("/plans/{participant_ref}/attendance/{session_id}")
    async def correction(
        participant_ref: Ref,
        session_id: UUID,
        page: Correctors,
        runtime: Runtime,
        deps: PlanningDeps,
    ) -> Response:
        return await correct_line(page, runtime, deps, participant_ref, session_id)

    @kit.router.post("/plans/{participant_ref}/workplace-hours")
    async def workplace_hours(
        participant_ref: Ref, page: Recorders, runtime: Runtime, deps: PlanningDeps
    ) -> Response:
        return await record_workplace_hours(page, runtime, deps, participant_ref)

    @kit.router.get("/programmes/{programme_id}/hours.xlsx")
    async def hours_xlsx(
        programme_id: Annotated[ProgrammeId, Path()], page: Exporters, runtime: Runtime
    ) -> Response:
        return await export_xlsx(programme_id, page.principal, runtime, page.request)

    @kit.router.get("/programmes/{programme_id}/hours.csv")
    async def hours_csv(
        programme_id: Annotated[ProgrammeId, Path()], page: Exporters, runtime: Runtime
    ) -> Response:
        return await export_csv(programme_id, page.principal, runtime, page.request)
