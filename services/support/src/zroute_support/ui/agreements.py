"""The care coordinator's partners with their capacities, and the agreement editor: a new
version of a programme's task division as a table of tasks by partners, recorded through
the API's own command (``record_version``), its problems shown beside the fields."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends, HTTPException
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import CurriculumModule, RouteTask
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, iso_day

from zroute_support.domain.agreements import ALWAYS_OFFERED, MODULES_WITH_A_TASK
from zroute_support.domain.errors import DomainError, Forbidden
from zroute_support.entrypoints.http.agreements import AgreementIn, terms_of
from zroute_support.entrypoints.http.deps import deps_of
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import registry
from zroute_support.ui.pages import REASONS
from zroute_support.ui.work_unit import unit_of_work

TASKS = {
    RouteTask.INTAKE: N_("intake"),
    RouteTask.LANGUAGE_TEACHING: N_("language teaching"),
    RouteTask.KNM: N_("knowledge of Dutch society"),
    RouteTask.MAP: N_("labour market and participation (MAP)"),
    RouteTask.PARTICIPATION_PLACEMENT: N_("participation placement"),
    RouteTask.JOB_COACHING: N_("job coaching"),
    RouteTask.CARE_REFERRAL_PHYSICAL: N_("care referral: physical care"),
    RouteTask.CARE_REFERRAL_MENTAL_HEALTH: N_("care referral: mental health care"),
    RouteTask.CARE_REFERRAL_DEBT_FINANCE: N_("care referral: debts and finances"),
    RouteTask.CHILDCARE: N_("childcare"),
    RouteTask.TRANSPORT: N_("transport"),
    RouteTask.INTERPRETER: N_("interpreter"),
    RouteTask.PROGRESS_CONSULTATION: N_("progress consultation"),
    RouteTask.FOLLOW_UP: N_("follow-up"),
}
# Tasks a programme may leave unassigned, with a reason (issue 17): all but the route's core.
OPTIONAL_TASKS = [task for task in TASKS if task not in ALWAYS_OFFERED]
# Modules no task covers: the agreement may name the partner that provides each one and
# records its hours (issue 16; PVT above all).
MODULES = {
    CurriculumModule.PVT: N_("participation statement (PVT)"),
    CurriculumModule.LITERACY: N_("literacy"),
    CurriculumModule.HEALTH_SKILLS: N_("health skills"),
    CurriculumModule.DIGITAL_SKILLS: N_("digital skills"),
    CurriculumModule.FINANCIAL_SELF_RELIANCE: N_("financial self-reliance"),
    CurriculumModule.WORK_SKILLS: N_("work skills"),
}
assert set(MODULES) == set(CurriculumModule) - MODULES_WITH_A_TASK, "a module without a label"
CAPABILITIES = {
    "language_teaching": N_("language teaching"),
    "knm": N_("knowledge of Dutch society"),
    "participation_workplaces": N_("participation workplaces"),
    "physical_care": N_("physical care"),
    "mental_health_care": N_("mental health care"),
    "debt_finance": N_("debts and finances"),
    "childcare": N_("childcare"),
    "transport": N_("transport"),
    "interpreting": N_("interpreting"),
    "job_coaching": N_("job coaching"),
}
# The domain's problems (English sentences for the API) as the catalogue's messages.
PROBLEMS = (
    ("has no responsible partner", N_("Choose a partner for this task.")),
    ("unknown partner", N_("This partner is unknown.")),
    ("takes no new work", N_("This partner takes no new work.")),
    ("lacks the capability", N_("This partner cannot do this task.")),
    ("does not serve", N_("This partner does not serve this municipality.")),
    ("valid_until is before valid_from", N_("The last day is before the first day.")),
    (
        "both assigned and not offered",
        N_("Choose a partner or a reason it is not offered, not both."),
    ),
    ("is always offered", N_("Every programme offers this task: choose a partner.")),
    ("is not one of", N_("Choose one of the reasons in the list.")),
    ("providers", N_("Choose one partner for this module.")),
    ("overlaps version", N_("The period overlaps an earlier version; end that one first.")),
)
FIELDS = {
    "municipality": N_("Enter a municipality code such as GM0363."),
    "valid_from": N_("Enter the first day as a date: day-month-year, like 31-01-2026."),
    "valid_until": N_("Enter the last day as a date (day-month-year), or leave it empty."),
    "lead_partner_id": N_("Choose the lead partner."),
}


def problem_field(problem: str) -> str:
    """The form field a problem of the domain is about."""
    if problem.startswith("lead partner"):
        return "lead_partner_id"
    if problem.startswith("task ") and ("not offered" in problem or "reason" in problem):
        return "not-offered-" + problem.removeprefix("task ").split(":")[0].split(" ")[0]
    if problem.startswith("task "):
        return "task-" + problem.removeprefix("task ").split(":")[0].split(" ")[0]
    if problem.startswith("module "):
        return "module-" + problem.removeprefix("module ").split(":")[0].split(" ")[0]
    if problem.startswith("valid_until"):
        return "valid_until"
    return "valid_from"


def problem_errors(problems: list[str]) -> FormErrors:
    errors = FormErrors()
    for problem in problems:
        message = next((m for key, m in PROBLEMS if key in problem), N_("This is not allowed."))
        errors.add(problem_field(problem), message)
    return errors


def parse(form: dict[str, str]) -> tuple[AgreementIn | None, FormErrors]:
    """The form as the API's request body, or the fields it could not read."""
    body: dict[str, Any] = {
        "municipality": form.get("municipality", "").strip(),
        "valid_from": iso_day(form.get("valid_from")) or None,
        "valid_until": iso_day(form.get("valid_until")) or None,
        "lead_partner_id": form.get("lead_partner_id", ""),
        "assignments": [
            {"task": task.value, "partner_id": form[f"task-{task.value}"]}
            for task in TASKS
            # A reason it is not offered outranks the partner the row still shows (a
            # radio cannot be cleared).
            if form.get(f"task-{task.value}") and not form.get(f"not-offered-{task.value}")
        ],
        # Carried through every new version: an editor that dropped them would silently
        # undo what a version recorded through the API said (issue 16, 17).
        "not_offered": [
            {"task": task.value, "reason": form[f"not-offered-{task.value}"]}
            for task in OPTIONAL_TASKS
            if form.get(f"not-offered-{task.value}")
        ],
        "module_providers": [
            {"module": module.value, "partner_id": form[f"module-{module.value}"]}
            for module in MODULES
            if form.get(f"module-{module.value}")
        ],
    }
    try:
        return AgreementIn.model_validate(body), FormErrors()
    except ValidationError as exc:
        errors = FormErrors()
        for error in exc.errors():
            name = str(error["loc"][0])
            if name == "assignments":
                problems = [f"task {t.value} has no responsible partner" for t in TASKS]
                errors = problem_errors(problems)
            elif name in ("not_offered", "module_providers"):
                # Only a forged form gets here: the fields are choices from lists.
                errors.add("valid_from", N_("This is not allowed."))
            else:
                errors.add(name, FIELDS.get(name, N_("This is not allowed.")))
        return None, errors


def add(kit: UiKit) -> None:
    Managers = Annotated[Page, Depends(kit.api_page("GET /partners"))]
    # The editor records a new version: whom the API's recording admits.
    Coordinator = Annotated[
        Page, Depends(kit.api_page("POST /programmes/{programme_id}/agreements"))
    ]

    @kit.router.get("/partners")
    async def partners(page: Managers, runtime: Runtime) -> Response:
        async with unit_of_work(runtime, page) as uow:
            found = await views.partners(uow)
        return page.render("partners.html.j2", partners=found, capabilities=CAPABILITIES)

    async def editor(page: Page, runtime: Runtime, programme: str, **context: Any) -> Response:
        scope = page.principal.municipality_scope()
        deps = deps_of(runtime)
        async with unit_of_work(runtime, page) as uow:
            programmes = await views.programmes(uow)
            versions = await views.agreements(uow, page.principal, programme)
            partner_list = await views.partners(uow)
        latest = versions[-1] if versions else None
        if "values" not in context:
            context["values"] = _values(latest, scope)
        return page.render(
            "agreements.html.j2",
            programme=programme,
            programmes=programmes,
            versions=versions,
            partners=partner_list,
            partner_options=[
                (p.partner_id, f"{p.partner_id} ({p.organisation})") for p in partner_list
            ],
            tasks=TASKS,
            optional_tasks=OPTIONAL_TASKS,
            not_offered_reasons=[
                (reason, REASONS.get(reason, reason)) for reason in deps.task_not_offered_reasons
            ],
            modules=MODULES,
            errors=context.pop("errors", FormErrors()),
            status_code=context.pop("status_code", 200),
            **context,
        )

    @kit.router.get("/agreements")
    async def agreements(page: Coordinator, runtime: Runtime, programme: str = "") -> Response:
        return await editor(page, runtime, programme)

    @kit.router.post("/agreements/{programme_id}")
    async def record(programme_id: str, page: Coordinator, runtime: Runtime) -> Response:
        body, errors = parse(page.form)
        if body is not None:
            try:
                async with unit_of_work(runtime, page) as uow:
                    await registry.record_agreement(
                        uow,
                        deps_of(runtime),
                        terms_of(programme_id, body),
                        scope=page.principal.municipality_scope(),
                    )
                    await uow.commit()
            except Forbidden as exc:
                raise HTTPException(403, "another municipality's agreement") from exc
            except DomainError as exc:
                errors = problem_errors(exc.problems or [exc.reason])
        if errors:
            return await editor(
                page, runtime, programme_id, values=page.form, errors=errors, status_code=422
            )
        page.flash("ok", N_("The new version of the agreement is recorded."))
        return page.redirect(f"/ui/agreements?programme={programme_id}")


def _values(latest: Any, scope: str | None) -> dict[str, str]:
    """The editor's fields, filled in from the latest version."""
    if latest is None:
        return {"municipality": scope or ""}
    terms = latest.terms
    values = {
        "municipality": terms.municipality,
        "valid_from": "",
        "valid_until": "",
        "lead_partner_id": terms.lead_partner_id,
    }
    values |= {f"task-{task.value}": partner for task, partner in terms.assignments}
    values |= {f"not-offered-{task.value}": reason for task, reason in terms.not_offered}
    values |= {f"module-{module.value}": partner for module, partner in terms.module_providers}
    return values
