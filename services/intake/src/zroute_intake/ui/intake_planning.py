"""Plan the broad intake from the dossier (issue 19, section 4: the intake appointment with
its interpreter): the day and time, how long, where, and for a participant who needs one
the interpreter in their preferred language (how, and how far the booking is).

The form does what ``PUT /participants/{ref}/intake`` does: the API's own request model
(``ScheduleIn``), command and handler, the acting user and the version the dossier was
read at. The day is asked day-month-year (the kit's ``date_field``), the time as HH:MM in
the deployment's timezone. A refusal comes back beside its field and in the summary.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import re
from datetime import datetime, time
from typing import Annotated, Any

from fastapi import Depends
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import BookingStatus, InterpreterMode
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.clock import local_timezone
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, UiKit, parse_day

from zroute_intake.domain import commands
from zroute_intake.domain.errors import Conflict, DomainError, InvalidRequest, StaleVersion
from zroute_intake.domain.participant import Participant
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.schemas import ScheduleIn
from zroute_intake.service_layer.handlers import intakes as handlers
from zroute_intake.ui.dossier_parts import SCHEDULE
from zroute_intake.ui.pages import load

FIELDS = ("day", "start", "duration", "location", "interpreter_mode", "interpreter_status")
TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
MESSAGES = {
    "day": N_("Enter the day of the intake as a date: day-month-year, like 12-01-2027"),
    "future": N_("Plan the intake on a day and time ahead, at most a year from now"),
    "start": N_("Enter the start time as hours and minutes, like 09:30"),
    "duration": N_("Enter how long the intake takes in minutes, from 15 to 480"),
    "location": N_("Enter the location's code: small letters, digits and hyphens"),
    "interpreter_mode": N_("Choose how the interpreter takes part"),
    "interpreter_status": N_("Choose how far the interpreter's booking is"),
    "completed": N_("The intake is completed: correct its outcome instead"),
    "stale": N_("Someone changed the dossier meanwhile: reload the page"),
}
LABELS = {
    "in_person": N_("in person"),
    "phone": N_("by phone"),
    "video": N_("by video"),
    "requested": N_("requested"),
    "booked": N_("booked"),
    "confirmed": N_("confirmed"),
}
MODES = [m.value for m in InterpreterMode]
BOOKINGS = [b.value for b in BookingStatus]


def add(kit: UiKit) -> None:
    Planner = Annotated[Page, Depends(kit.api_page(SCHEDULE))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/participants/{ref}/intake-appointment")
    async def plan_form(ref: Ref, page: Planner, runtime: Runtime) -> Response:
        participant = await load(runtime, page, ref)
        return _render(page, participant, _values_of(participant), FormErrors())

    @kit.router.post("/participants/{ref}/intake-appointment")
    async def plan(ref: Ref, page: Planner, runtime: Runtime) -> Response:
        """Schedule (or move) the intake as the API does."""
        participant = await load(runtime, page, ref)
        values = {name: str(page.form.get(name, "")).strip() for name in FIELDS}
        errors, body = _parse(values, participant)
        if body is not None:
            version = str(page.form.get("version", ""))
            cmd = commands.ScheduleIntake(
                ref=ref,
                expected_version=int(version) if version.isdigit() else None,
                scope=page.principal.municipality,
                appointment=body.to_appointment(),
            )
            deps = intake_dependencies(runtime)
            try:
                async with runtime.uow(command_context(page.request)) as uow:
                    await handlers.schedule_intake(cmd, uow, deps)
                    await uow.commit()
            except StaleVersion:
                errors.add("day", MESSAGES["stale"])
            except InvalidRequest as exc:
                field = exc.reason.split(":", 1)[0]
                if field.startswith("interpreter"):
                    errors.add("interpreter_mode", MESSAGES["interpreter_mode"])
                else:
                    errors.add("day", MESSAGES["future"])
            except (Conflict, DomainError):
                errors.add("day", MESSAGES["completed"])
        if errors:
            return _render(page, participant, values, errors, status_code=422)
        page.flash("ok", N_("The intake is planned."))
        return page.redirect(f"/ui/participants/{ref}")


def _render(
    page: Page,
    participant: Participant,
    values: dict[str, str],
    errors: FormErrors,
    status_code: int = 200,
) -> Response:
    return page.render(
        "intake_appointment.html.j2",
        p=participant,
        values=values,
        errors=errors,
        labels=LABELS,
        modes=MODES,
        bookings=BOOKINGS,
        lang_path=f"/ui/participants/{participant.ref}/intake-appointment",
        status_code=status_code,
    )


def _values_of(participant: Participant) -> dict[str, str]:
    """The form filled with the appointment on file (a new one: 90 minutes, requested)."""
    values = dict.fromkeys(FIELDS, "")
    values |= {"duration": "90", "interpreter_mode": "in_person", "interpreter_status": "requested"}
    a = participant.appointment
    if a is None:
        return values
    starts = a.starts_at.astimezone(local_timezone())
    values |= {
        "day": starts.date().isoformat(),
        "start": starts.strftime("%H:%M"),
        "duration": str(a.duration_minutes),
        "location": a.location_id,
    }
    if a.interpreter is not None:
        values["interpreter_mode"] = str(a.interpreter.mode.value)
        values["interpreter_status"] = str(a.interpreter.status.value)
    return values


def _parse(
    values: dict[str, str], participant: Participant
) -> tuple[FormErrors, ScheduleIn | None]:
    """The API's request model from the form, or the errors on its fields."""
    errors = FormErrors()
    day = parse_day(values["day"])
    if day is None:
        errors.add("day", MESSAGES["day"])
    found = TIME.match(values["start"])
    if found is None:
        errors.add("start", MESSAGES["start"])
    body: dict[str, Any] = {
        "duration_minutes": values["duration"],
        "location_id": values["location"],
        "attendees": [],
    }
    if participant.interpreter_needed:
        body["interpreter"] = {
            "language": participant.preferred_language,
            "mode": values["interpreter_mode"],
            "status": values["interpreter_status"],
        }
    if day is not None and found is not None:
        moment = time(int(found.group(1)), int(found.group(2)))
        body["starts_at"] = datetime.combine(day, moment, tzinfo=local_timezone())
    try:
        parsed = ScheduleIn.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            name = {
                "duration_minutes": "duration",
                "location_id": "location",
                "mode": "interpreter_mode",
                "status": "interpreter_status",
            }.get(loc[-1], "day")
            if loc[0] != "starts_at" or not errors:
                errors.add(name, MESSAGES[name])
        return errors, None
    return errors, None if errors else parsed
