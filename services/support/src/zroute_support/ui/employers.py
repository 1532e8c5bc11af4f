"""The employer registry's screen (issue 17): the registered employers with how they are
reached, and a form to register one through the API's own command
(``employers.register_employer``), its problems shown beside the fields."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, api_roles

from zroute_support.domain.employers import Employer, EmployerContact
from zroute_support.domain.errors import Conflict, DomainError
from zroute_support.entrypoints.http.employers import EmployerIn
from zroute_support.service_layer.handlers import employers
from zroute_support.ui.work_unit import unit_of_work

FIELDS = {
    "employer_id": N_("Enter an id of small letters, digits and hyphens, such as bakery-west."),
    "name": N_("Enter the employer's name."),
    "municipality": N_("Enter a municipality code such as GM0363."),
    "email": N_("Enter the e-mail address for placements."),
}


REGISTRARS = api_roles("support", "POST /employers")


def parse(form: dict[str, str]) -> tuple[EmployerIn | None, FormErrors]:
    """The form as the API's request body, or the fields it could not read."""
    body: dict[str, Any] = {
        "employer_id": form.get("employer_id", "").strip(),
        "name": form.get("name", "").strip(),
        "municipalities": [form.get("municipality", "").strip()],
        "contact_points": [{"channel": "email", "address": form.get("email", "").strip()}],
    }
    try:
        return EmployerIn.model_validate(body), FormErrors()
    except ValidationError as exc:
        errors = FormErrors()
        for error in exc.errors():
            name = str(error["loc"][0])
            field = {"municipalities": "municipality", "contact_points": "email"}.get(name, name)
            errors.add(field, FIELDS.get(field, N_("This is not allowed.")))
        return None, errors


def _employer(body: EmployerIn) -> Employer:
    return Employer(
        employer_id=body.employer_id,
        name=body.name,
        municipalities=body.municipalities,
        contact_points=tuple(
            EmployerContact(c.channel, c.address, c.purpose) for c in body.contact_points
        ),
    )


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page("GET /employers"))]
    Registrars = Annotated[Page, Depends(kit.api_page("POST /employers"))]

    async def listing(page: Page, runtime: Runtime, **context: Any) -> Response:
        async with unit_of_work(runtime, page) as uow:
            found = await uow.employers.registered(municipality=page.principal.municipality_scope())
        return page.render(
            "employers.html.j2",
            employers=found,
            values=context.pop("values", {}),
            errors=context.pop("errors", FormErrors()),
            status_code=context.pop("status_code", 200),
            may_register=page.principal.has_any_role(*REGISTRARS),
        )

    @kit.router.get("/employers")
    async def employer_list(page: Readers, runtime: Runtime) -> Response:
        return await listing(page, runtime)

    @kit.router.post("/employers")
    async def register(page: Registrars, runtime: Runtime) -> Response:
        body, errors = parse(page.form)
        if body is not None:
            try:
                async with unit_of_work(runtime, page) as uow:
                    await employers.register_employer(uow, page.principal, _employer(body))
                    await uow.commit()
            except Conflict:
                errors.add("employer_id", N_("This employer is registered already."))
            except DomainError:
                errors.add("municipality", N_("You register employers of your municipality."))
        if errors:
            return await listing(page, runtime, values=page.form, errors=errors, status_code=422)
        page.flash("ok", N_("The employer is registered."))
        return page.redirect("/ui/employers")
