"""The caseworker's forms on the dossier (issue 19, section 4): pause and resume the
route, withdraw the participant and undo a withdrawal.

Each form does what its API operation does (``entrypoints/http/pauses.py``,
``withdrawal.py``, ``changes.py``): the same command and handler, the acting user, and the
version the dossier was read at, so a change made meanwhile is refused rather than
overwritten. Each page admits the roles the access matrix grants its operation. A refusal
comes back on the dossier, beside the field it concerns and in the error summary.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import Depends
from fastapi import Path as PathParam
from fastapi.responses import Response
from zroute_contract.events.codes import ReEnrolmentReason, WithdrawalReason
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, UiKit, parse_day

from zroute_intake.domain import commands
from zroute_intake.domain.errors import Conflict, DomainError, InvalidRequest, StaleVersion
from zroute_intake.domain.pauses import PauseGround
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.service_layer.handlers import changes as change_handlers
from zroute_intake.service_layer.handlers import participants as participant_handlers
from zroute_intake.service_layer.handlers import pauses as pause_handlers
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork
from zroute_intake.ui.dossier_parts import PAUSE, RE_ENROL, RESUME, WITHDRAW
from zroute_intake.ui.pages import load, render_dossier

# The domain's refusals name the field first ("paused_from: ..."): the field shows the
# message here, in words the catalogue translates.
FIELD_MESSAGES = {
    "paused_from": N_(
        "The first day lies at most a month back, at most three months ahead, and after "
        "the registration and the previous pause"
    ),
    "expected_until": N_("The expected last day lies on or after the first day"),
    "resumed_on": N_("The route resumes after the pause's first day, at most three months ahead"),
    "effective_on": N_("The last day lies on or after the registration, within a year ahead"),
}
DATE_MESSAGES = {
    "paused_from": N_(
        "Enter the first day of the pause as a date: day-month-year, like 12-01-2027"
    ),
    "expected_until": N_(
        "Enter the expected last day as a date (day-month-year), or leave it empty"
    ),
    "resumed_on": N_(
        "Enter the first day back on the route as a date: day-month-year, like 12-01-2027"
    ),
    "effective_on": N_(
        "Enter the last day on the route as a date: day-month-year, like 12-01-2027"
    ),
}
# What a refusal of the whole action means, by the form's main field.
CONFLICTS = {
    "ground": N_("The route cannot pause now: it pauses already, or is not under way"),
    "resumed_on": N_("This pause has ended already"),
    "reason": N_("The participant cannot be withdrawn now"),
    "re_enrolment_reason": N_(
        "The withdrawal cannot be undone: after its window only a withdrawal recorded by "
        "mistake can, and not once the personal data is erased"
    ),
}
STALE = N_("Someone changed the dossier meanwhile: reload the page")

Handler = Callable[[IntakeUnitOfWork], Awaitable[Any]]


def add(kit: UiKit) -> None:
    Pausing = Annotated[Page, Depends(kit.api_page(PAUSE))]
    Resuming = Annotated[Page, Depends(kit.api_page(RESUME))]
    Withdrawing = Annotated[Page, Depends(kit.api_page(WITHDRAW))]
    ReEnrolling = Annotated[Page, Depends(kit.api_page(RE_ENROL))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.post("/participants/{ref}/pauses")
    async def pause(ref: Ref, page: Pausing, runtime: Runtime) -> Response:
        """Pause the route from a day, for a ground chosen from the list."""
        values = _values(page, "ground", "paused_from", "expected_until")
        errors = FormErrors()
        ground = _choice(values, "ground", PauseGround, errors, N_("Choose why the route pauses"))
        paused_from = _date(values, "paused_from", errors)
        expected_until = _date(values, "expected_until", errors, required=False)
        deps = intake_dependencies(runtime)

        def handle(uow: IntakeUnitOfWork) -> Awaitable[Any]:
            assert ground is not None and paused_from is not None  # checked above
            cmd = commands.PauseRoute(
                ref=ref,
                expected_version=_version(page),
                scope=page.principal.municipality,
                pause_id=uuid4(),
                ground=ground,
                paused_from=paused_from,
                expected_until=expected_until,
                by=page.principal.subject,
            )
            return pause_handlers.pause_route(cmd, uow, deps)

        return await _act(
            page, runtime, ref, values, errors, handle, "ground", N_("The route is paused.")
        )

    @kit.router.post("/participants/{ref}/pauses/{pause_id}/resumption")
    async def resume(ref: Ref, pause_id: UUID, page: Resuming, runtime: Runtime) -> Response:
        """End the open pause: the route resumes on the day given."""
        values = _values(page, "resumed_on")
        errors = FormErrors()
        resumed_on = _date(values, "resumed_on", errors)
        deps = intake_dependencies(runtime)

        def handle(uow: IntakeUnitOfWork) -> Awaitable[Any]:
            assert resumed_on is not None  # checked above
            cmd = commands.ResumeRoute(
                ref=ref,
                expected_version=_version(page),
                scope=page.principal.municipality,
                pause_id=pause_id,
                resumed_on=resumed_on,
                by=page.principal.subject,
            )
            return pause_handlers.resume_route(cmd, uow, deps)

        return await _act(
            page, runtime, ref, values, errors, handle, "resumed_on", N_("The route resumes.")
        )

    @kit.router.post("/participants/{ref}/withdrawal")
    async def withdraw(ref: Ref, page: Withdrawing, runtime: Runtime) -> Response:
        """Withdraw the participant from the route, with the reason and the last day."""
        values = _values(page, "reason", "effective_on")
        errors = FormErrors()
        reason = _choice(
            values, "reason", WithdrawalReason, errors, N_("Choose why the participant leaves")
        )
        effective_on = _date(values, "effective_on", errors)
        deps = intake_dependencies(runtime)

        def handle(uow: IntakeUnitOfWork) -> Awaitable[Any]:
            assert reason is not None and effective_on is not None  # checked above
            cmd = commands.WithdrawParticipant(
                ref=ref,
                expected_version=_version(page),
                scope=page.principal.municipality,
                reason=reason,
                effective_on=effective_on,
            )
            return participant_handlers.withdraw_participant(cmd, uow, deps)

        return await _act(
            page,
            runtime,
            ref,
            values,
            errors,
            handle,
            "reason",
            N_("The participant is withdrawn from the route."),
        )

    @kit.router.post("/participants/{ref}/re-enrolment")
    async def re_enrol(ref: Ref, page: ReEnrolling, runtime: Runtime) -> Response:
        """Undo the withdrawal: the participant is back with the status they had."""
        values = _values(page, "re_enrolment_reason")
        errors = FormErrors()
        reason = _choice(
            values,
            "re_enrolment_reason",
            ReEnrolmentReason,
            errors,
            N_("Choose why the withdrawal is undone"),
        )
        deps = intake_dependencies(runtime)

        def handle(uow: IntakeUnitOfWork) -> Awaitable[Any]:
            assert reason is not None  # checked above
            cmd = commands.ReEnrol(
                ref=ref,
                expected_version=_version(page),
                scope=page.principal.municipality,
                reason=reason,
                by=page.principal.subject,
            )
            return change_handlers.re_enrol(cmd, uow, deps)

        return await _act(
            page,
            runtime,
            ref,
            values,
            errors,
            handle,
            "re_enrolment_reason",
            N_("The participant is back on the route."),
        )


async def _act(
    page: Page,
    runtime: Runtime,
    ref: str,
    values: dict[str, str],
    errors: FormErrors,
    handle: Handler,
    main_field: str,
    done: str,
) -> Response:
    """Run the command when the form holds together; the dossier again with the errors
    in place (422) when it does not or the domain refuses it."""
    participant = await load(runtime, page, ref)
    if not errors:
        try:
            async with runtime.uow(command_context(page.request)) as uow:
                await handle(uow)
                await uow.commit()
        except StaleVersion:
            errors.add(main_field, STALE)
        except InvalidRequest as exc:
            field = exc.reason.split(":", 1)[0]
            if field in FIELD_MESSAGES:
                errors.add(field, FIELD_MESSAGES[field])
            else:
                errors.add(main_field, CONFLICTS[main_field])
        except (Conflict, DomainError):
            errors.add(main_field, CONFLICTS[main_field])
    if errors:
        return await render_dossier(
            page, runtime, participant, errors=errors, values=values, status_code=422
        )
    page.flash("ok", done)
    return page.redirect(f"/ui/participants/{ref}#route-actions")


def _values(page: Page, *names: str) -> dict[str, str]:
    return {name: str(page.form.get(name, "")).strip() for name in names}


def _choice(values: dict[str, str], name: str, codes: Any, errors: FormErrors, message: str) -> Any:
    """The chosen code as its enum, or None with the field's error."""
    try:
        return codes(values[name])
    except ValueError:
        errors.add(name, message)
        return None


def _date(
    values: dict[str, str], name: str, errors: FormErrors, *, required: bool = True
) -> date | None:
    """The field's day (day-month-year, ``zroute_ui.parse_day``), or None: with the field's
    error unless it may be empty."""
    value = values[name]
    if not value and not required:
        return None
    day = parse_day(value)
    if day is None:
        errors.add(name, DATE_MESSAGES[name])
    return day


def _version(page: Page) -> int | None:
    """The participant's version the dossier was read at."""
    value = str(page.form.get("version", ""))
    return int(value) if value.isdigit() else None
