"""Register a participant from the screens: the API's request model and command, the
form's errors in the error summary and beside each field, then the new dossier."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, UiKit, iso_day

from zroute_intake.domain import commands
from zroute_intake.domain.errors import DomainError, DuplicateBsn
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.schemas import RegistrationIn
from zroute_intake.service_layer.handlers import participants as handlers

# Form order; each field's message when its value cannot be used.
FIELDS = {
    "programme_id": N_("Choose the programme"),
    "municipality": N_("Enter the municipality's code, like GM0363"),
    "bsn": N_("Enter a BSN of 9 digits that passes the elfproef"),
    "given_names": N_("Enter the given names"),
    "family_name": N_("Enter the family name"),
    "date_of_birth": N_(
        "Enter the date of birth, before today, as day-month-year, like 12-03-1984"
    ),
    "street": N_("Enter the street"),
    "house_number": N_("Enter the house number, like 12A"),
    "postal_code": N_("Enter the postal code, like 1017 GB"),
    "city": N_("Enter the city"),
    "phone": N_("Enter a phone number, like +31 6 12345678, or leave it empty"),
    "email": N_("Enter an e-mail address, like name@example.nl, or leave it empty"),
    "preferred_language": N_("Choose the preferred language"),
    "interpreter_needed": N_("Say whether an interpreter is needed"),
}
ADDRESS = ("street", "house_number", "postal_code", "city")
# The languages offered; each is shown by its name in the page's language (CLDR, through
# the kit's ``language_name``), never by its code.
LANGUAGES = ("ar", "ti", "prs", "fa", "tr", "uk", "so", "en")


def add(kit: UiKit) -> None:
    Caseworker = Annotated[Page, Depends(kit.api_page("POST /participants"))]

    def form_page(page: Page, runtime: Any, values: dict[str, str], errors: FormErrors) -> Response:
        return page.render(
            "register.html.j2",
            values=values,
            errors=errors,
            programmes=sorted(intake_dependencies(runtime).care_coordinators),
            languages=LANGUAGES,
            status_code=422 if errors else 200,
        )

    @kit.router.get("/participants/new")
    async def new_participant(page: Caseworker, runtime: Runtime) -> Response:
        return form_page(page, runtime, {}, FormErrors())

    @kit.router.post("/participants/new")
    async def register(page: Caseworker, runtime: Runtime) -> Response:
        values = {name: page.form.get(name, "").strip() for name in FIELDS}
        if page.principal.municipality:
            values["municipality"] = page.principal.municipality
        errors = FormErrors()
        body = _body(values, page.principal.subject)
        try:
            registration = RegistrationIn.model_validate(body)
        except ValidationError as exc:
            wrong = {_field(error["loc"]) for error in exc.errors()}
            for name, message in FIELDS.items():
                if name in wrong:
                    errors.add(name, message)
            if not errors:  # only the contact person: the account's id cannot serve
                errors.add("given_names", N_("Your account cannot be a contact person here"))
            return form_page(page, runtime, values, errors)
        try:
            cmd = commands.RegisterParticipant(
                programme_id=registration.programme_id,
                municipality=registration.municipality,
                personal=registration.personal(),
                preferred_language=registration.preferred_language,
                interpreter_needed=registration.interpreter_needed,
                contact=registration.contact_person.to_ref(),
                scope=page.principal.municipality,
            )
            async with runtime.uow(command_context(page.request)) as uow:
                participant = await handlers.register_participant(
                    cmd, uow, intake_dependencies(runtime)
                )
                await uow.commit()
        except DuplicateBsn:
            errors.add("bsn", N_("This BSN is already registered in your municipality"))
            return form_page(page, runtime, values, errors)
        except DomainError as exc:
            name = exc.reason.split(":", 1)[0]
            errors.add(name if name in FIELDS else "bsn", FIELDS.get(name, FIELDS["bsn"]))
            return form_page(page, runtime, values, errors)
        page.flash("ok", N_("The participant is registered."))
        return page.redirect(f"/ui/participants/{participant.ref}")


def _field(loc: tuple[Any, ...]) -> str:
    if loc and loc[0] == "address" and len(loc) > 1:
        return str(loc[1])
    return str(loc[0]) if loc else ""


def _body(values: dict[str, str], subject: str) -> dict[str, Any]:
    interpreter = {"yes": True, "no": False}.get(values["interpreter_needed"])
    return {
        "programme_id": values["programme_id"],
        "municipality": values["municipality"],
        "bsn": values["bsn"].replace(" ", ""),
        "given_names": values["given_names"],
        "family_name": values["family_name"],
        "date_of_birth": iso_day(values["date_of_birth"]) or None,
        "address": {name: values[name] for name in ADDRESS},
        "phone": values["phone"] or None,
        "email": values["email"] or None,
        "preferred_language": values["preferred_language"],
        "interpreter_needed": interpreter,
        "contact_person": {
            "staff_ref": subject,
            "role": "caseworker",
            "municipality": values["municipality"] or None,
        },
    }
