"""Draft, establish and amend the PIP from the caseworker's screens (issue 19, section 4;
issue 15: the PIP as a decision).

Each form does what its API operation does, through the API's own request model, command
and handler, with the acting user and the PIP case's version the page was read at:

- ``/ui/participants/{ref}/pip/draft``: the content (route and its reason, the hours a
  week, progress meetings, support, early-childhood agreements, attached decisions, the
  exam wish, the hours norm) as ``PUT /participants/{ref}/pip/draft`` (``PipContentIn``);
  filled with the draft, else the PIP in force, else the intake's route decision;
- on the PIP page, once a draft is ready: establish it with its date
  (``POST .../pip/establishment``), or establish it as a new version with the reason
  (``POST .../pip/amendments``).

A refusal comes back beside its field and in the error summary, the values entered kept.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import Route, RouteReason
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, UiKit, parse_day

from zroute_intake.domain import hours_norm as hn
from zroute_intake.domain import pip_commands as c
from zroute_intake.domain.errors import Conflict, DomainError, InvalidRequest
from zroute_intake.domain.pip import AmendmentReason, ExamPart, PipContent
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.pip_schemas import PipContentIn
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import pip as h
from zroute_intake.ui.pages import load
from zroute_intake.ui.pip import AMEND, DRAFT, ESTABLISH, OPEN_CODE_LABELS, PIP_LABELS, pip_page

HOURS = ("route_hours_per_week", "pvt_hours_per_week", "map_hours_per_week")
REDUCED = ("reduced_course_hours", "reduced_participation_hours")
# The open codes (``ReasonCode``) the form offers; a code already in the content is kept.
OPEN_CODES = {
    "support": ["language_buddy", "social_guidance", "debt_counselling", "job_coaching", "mentor"],
    "early_childhood_agreements": ["childcare", "preschool"],
    "participatiewet_decisions": ["ontzorgen_56a"],
    "exam_wish": [e.value for e in ExamPart],
}
CHOICES = {
    "route": [r.value for r in Route],
    "route_reason": [r.value for r in RouteReason],
    "category": [v.value for v in hn.ParticipantCategory],
    "reduction_ground": [v.value for v in hn.ReductionGround],
    "amendment_reason": [r.value for r in AmendmentReason],
}
LABELS = {
    "asylum_permit_holder": N_("asylum permit holder"),
    "family_migrant": N_("family migrant"),
    "other_migrant": N_("other migrant"),
    "auditory_impairment": N_("auditory impairment"),
    "visual_impairment": N_("visual impairment"),
}
MESSAGES = {
    "route": N_("Choose the route"),
    "route_reason": N_("Choose a reason that fits the route"),
    "hours": N_("Enter the hours a week as a number from 0 to 60, like 7,5"),
    "progress_meetings": N_("Enter the number of progress meetings, from 1 to 100"),
    "exam_wish": N_("An exam wish is recorded for the Z-route only"),
    "category": N_("Choose who the participant is for the hours norm"),
    "reduced": N_("Enter the lower norm in hours, or leave it empty"),
    "reduction_ground": N_("A lower norm needs its ground: an auditory or visual impairment"),
    "hours_norm": N_("The hours norm of B 3.14 is the Z-route's: keep the full norm"),
    "not_completed": N_("The PIP rests on the broad intake: record the intake's outcome first"),
    "stale": N_("Someone changed the PIP meanwhile: reload the page"),
    "refused": N_("The PIP cannot be drafted as it is: check the fields"),
    "dated": N_("Enter the decision's date: day-month-year, not after today"),
    "amendment_reason": N_("Choose why the PIP changes"),
    "established": N_("The PIP is established already: amend it with a reason"),
    "no_draft": N_("Draft the PIP's content first"),
    "unchanged": N_("Draft the changed content before amending the PIP"),
    "before": N_("An amendment cannot be dated before the version in force"),
    "route_switch": N_(
        "A route switch is possible within 18 months of the term's start; "
        "a progress meeting or a move keeps the route"
    ),
}
NUMBER = re.compile(r"^[0-9]{1,4}([.,][0-9]{1,2})?$")


@dataclass(frozen=True)
class _Source:
    """What the draft form starts from, and the credits it carries over unchanged."""

    values: dict[str, str]
    credits: tuple[hn.Credit, ...]


def add(kit: UiKit) -> None:
    Drafter = Annotated[Page, Depends(kit.api_page(DRAFT))]
    Establisher = Annotated[Page, Depends(kit.api_page(ESTABLISH))]
    Amender = Annotated[Page, Depends(kit.api_page(AMEND))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/participants/{ref}/pip/draft")
    async def draft_form(ref: Ref, page: Drafter, runtime: Runtime) -> Response:
        source = await _source(runtime, page, ref)
        version = await _case_version(runtime, page, ref)
        return _render(page, ref, source.values, FormErrors(), version)

    @kit.router.post("/participants/{ref}/pip/draft")
    async def draft(ref: Ref, page: Drafter, runtime: Runtime) -> Response:
        """Prepare the draft as ``PUT .../pip/draft`` does."""
        source = await _source(runtime, page, ref)
        values = _form_values(page.form, source.values)
        errors, content = _parse(values, source.credits)
        version = _int(page.form.get("version", ""))
        if content is not None:
            cmd = c.PreparePip(**_base(page, ref, version), content=content)
            await _run(runtime, page, h.prepare_pip, cmd, errors, "route")
        if errors:
            return _render(page, ref, values, errors, version, status_code=422)
        page.flash("ok", N_("The draft of the PIP is ready: establish it on this page."))
        return page.redirect(f"/ui/participants/{ref}/pip")

    @kit.router.post("/participants/{ref}/pip/establishment")
    async def establish(ref: Ref, page: Establisher, runtime: Runtime) -> Response:
        """Establish the draft as the PIP (the decision), as the API does."""
        return await _establish(page, runtime, ref)

    @kit.router.post("/participants/{ref}/pip/amendments")
    async def amend(ref: Ref, page: Amender, runtime: Runtime) -> Response:
        """Establish the draft as a new version, with its reason, as the API does."""
        return await _amend(page, runtime, ref)


async def _establish(page: Page, runtime: Runtime, ref: str) -> Response:
    values = {"dated": str(page.form.get("dated", "")).strip()}
    errors = FormErrors()
    dated = parse_day(values["dated"])
    if dated is None:
        errors.add("dated", MESSAGES["dated"])
    else:
        version = _int(page.form.get("version", ""))
        cmd = c.EstablishPip(**_base(page, ref, version), dated=dated)
        await _run(runtime, page, h.establish_pip, cmd, errors, "dated")
    if errors:
        return await pip_page(page, runtime, ref, errors=errors, values=values)
    page.flash("ok", N_("The PIP is established: the term starts the day after its date."))
    return page.redirect(f"/ui/participants/{ref}/pip")


async def _amend(page: Page, runtime: Runtime, ref: str) -> Response:
    values = {
        "amended_on": str(page.form.get("amended_on", "")).strip(),
        "amendment_reason": str(page.form.get("amendment_reason", "")).strip(),
    }
    errors = FormErrors()
    dated = parse_day(values["amended_on"])
    if dated is None:
        errors.add("amended_on", MESSAGES["dated"])
    if values["amendment_reason"] not in CHOICES["amendment_reason"]:
        errors.add("amendment_reason", MESSAGES["amendment_reason"])
    if dated is not None and not errors:
        version = _int(page.form.get("version", ""))
        reason = AmendmentReason(values["amendment_reason"])
        cmd = c.AmendPip(**_base(page, ref, version), dated=dated, reason=reason)
        await _run(runtime, page, h.amend_pip, cmd, errors, "amended_on")
    if errors:
        return await pip_page(page, runtime, ref, errors=errors, values=values)
    page.flash("ok", N_("The PIP is amended: a new version is in force."))
    return page.redirect(f"/ui/participants/{ref}/pip")


def _base(page: Page, ref: str, version: int | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "expected_version": version,
        "scope": page.principal.municipality,
        "by": page.principal.subject,
    }


async def _run(
    runtime: Runtime, page: Page, handler: Any, cmd: Any, errors: FormErrors, field: str
) -> None:
    """Run one PIP command in its own unit of work; a refusal becomes an error on ``field``."""
    deps = intake_dependencies(runtime)
    try:
        async with runtime.uow(command_context(page.request)) as uow:
            await handler(cmd, uow, deps)
            await uow.commit()
    except (Conflict, InvalidRequest) as exc:
        errors.add(*_refusal(exc.reason, field))
    except DomainError:
        errors.add(field, MESSAGES["refused"])


def _refusal(reason: str, field: str) -> tuple[str, str]:
    """The domain's refusal, in the catalogue's words, beside ``field``."""
    found = {
        "changed since": "stale",
        "complete the intake first": "not_completed",
        "established already": "established",
        "prepare the PIP's content first": "no_draft",
        "prepare the changed content": "unchanged",
        "cannot be dated before": "before",
        "keeps the route": "route_switch",
        "route switch is possible": "route_switch",
        "after today": "dated",
        "ahead": "dated",
    }
    for text, key in found.items():
        if text in reason:
            return field, MESSAGES[key]
    return field, MESSAGES["refused"] if field == "route" else MESSAGES["dated"]


async def _case_version(runtime: Runtime, page: Page, ref: str) -> int:
    async with runtime.uow() as uow:
        case, _ = await views.pip(uow, page.principal, ref)
    return case.version


async def _source(runtime: Runtime, page: Page, ref: str) -> _Source:
    """The form's first values: the draft, else the PIP in force, else the intake's route."""
    participant = await load(runtime, page, ref)
    async with runtime.uow() as uow:
        case, _ = await views.pip(uow, page.principal, ref)
    content = case.decision.draft or (
        case.decision.current.content if case.decision.current else None
    )
    if content is not None:
        return _Source(
            _values_of(content), content.hours_norm.credits if content.hours_norm else ()
        )
    values = _values_of(None)
    outcome = participant.current_outcome
    if outcome is not None:
        values |= {"route": outcome.route.value, "route_reason": outcome.route_reason.value}
    return _Source(values, ())


def _names() -> list[str]:
    names = ["route", "route_reason", *HOURS, "progress_meetings", "category"]
    names += ["reduction_ground", *REDUCED]
    return names


def _values_of(content: PipContent | None) -> dict[str, str]:
    values = dict.fromkeys(_names(), "")
    values["category"] = hn.ParticipantCategory.ASYLUM_PERMIT_HOLDER.value
    if content is None:
        return values
    values |= {
        "route": content.route.value,
        "route_reason": content.route_reason.value,
        "progress_meetings": str(content.progress_meetings),
    }
    for name in HOURS:
        values[name] = _shown(getattr(content, name))
    for group in OPEN_CODES:
        for code in getattr(content, group):
            values[f"{group}-{getattr(code, 'value', code)}"] = "yes"
    norm = content.hours_norm
    if norm is not None:
        values["category"] = norm.category.value
        values["reduction_ground"] = norm.reduction_ground.value if norm.reduction_ground else ""
        for name in REDUCED:
            number = getattr(norm, name)
            values[name] = "" if number is None else _shown(number)
    return values


def _form_values(form: Any, source: dict[str, str]) -> dict[str, str]:
    values = {name: str(form.get(name, "")).strip() for name in _names()}
    for group, codes in _offered(source).items():
        for code in codes:
            values[f"{group}-{code}"] = "yes" if form.get(f"{group}-{code}") == "yes" else ""
    return values


def _offered(values: dict[str, str]) -> dict[str, list[str]]:
    """Each group's codes on the form: the usual ones and any the content holds."""
    offered = {}
    for group, codes in OPEN_CODES.items():
        held = [k.split("-", 1)[1] for k in values if k.startswith(f"{group}-")]
        offered[group] = codes + [code for code in held if code not in codes]
    return offered


def _checked(values: dict[str, str], group: str) -> list[str]:
    prefix = f"{group}-"
    return [k[len(prefix) :] for k, v in values.items() if k.startswith(prefix) and v == "yes"]


def _number(value: str) -> float | str:
    return float(value.replace(",", ".")) if NUMBER.match(value) else value


def _parse(
    values: dict[str, str], credits: tuple[hn.Credit, ...]
) -> tuple[FormErrors, PipContent | None]:
    """The API's request model from the form, or the errors on the form's fields."""
    errors = FormErrors()
    body: dict[str, Any] = {
        "route": values["route"],
        "route_reason": values["route_reason"],
        "progress_meetings": values["progress_meetings"],
        **{name: _number(values[name]) for name in HOURS},
        **{group: _checked(values, group) for group in OPEN_CODES},
    }
    reduced = {name: _number(values[name]) for name in REDUCED if values[name]}
    full = values["category"] == hn.ParticipantCategory.ASYLUM_PERMIT_HOLDER.value
    if values["route"] == Route.Z_ROUTE.value and (
        not full or reduced or values["reduction_ground"] or credits
    ):
        body["hours_norm"] = {
            "category": values["category"],
            "reduction_ground": values["reduction_ground"] or None,
            **reduced,
            "credits": [
                {"part": x.part.value, "hours": x.hours, "source": x.source.value} for x in credits
            ],
        }
    try:
        content = PipContentIn.model_validate(body).to_content()
    except ValidationError as exc:
        for error in exc.errors():
            errors.add(*_error_field(error["loc"]))
        return errors, None
    for problem in content.problems():
        errors.add(*_problem_field(problem))
    return errors, None if errors else content


def _error_field(loc: tuple[Any, ...]) -> tuple[str, str]:
    name = str(loc[0]) if loc else "route"
    if name in HOURS:
        return name, MESSAGES["hours"]
    if name == "hours_norm" and len(loc) > 1:
        part = str(loc[1])
        if part in REDUCED:
            return part, MESSAGES["reduced"]
        return (
            ("category", MESSAGES["category"])
            if part == "category"
            else (
                "reduction_ground",
                MESSAGES["reduction_ground"],
            )
        )
    return name, MESSAGES.get(name, MESSAGES["refused"])


def _problem_field(problem: str) -> tuple[str, str]:
    if problem.startswith("exam_wish"):
        return "exam_wish", MESSAGES["exam_wish"]
    if problem.startswith("hours_norm.reduc"):
        return "reduction_ground", MESSAGES["reduction_ground"]
    if problem.startswith("hours_norm"):
        return "category", MESSAGES["hours_norm"]
    if problem.startswith("progress_meetings"):
        return "progress_meetings", MESSAGES["progress_meetings"]
    return "route", MESSAGES["refused"]


def _render(
    page: Page,
    ref: str,
    values: dict[str, str],
    errors: FormErrors,
    version: int | None,
    status_code: int = 200,
) -> Response:
    offered = _offered(values)
    return page.render(
        "pip_draft.html.j2",
        ref=ref,
        values=values,
        errors=errors,
        version=version,
        choices=CHOICES,
        offered=offered,
        checked={group: _checked(values, group) for group in offered},
        labels=PIP_LABELS | OPEN_CODE_LABELS | LABELS,
        lang_path=f"/ui/participants/{ref}/pip/draft",
        status_code=status_code,
    )


def _shown(hours: float) -> str:
    """Hours as the field shows them: "12,5", as the hint asks them."""
    return f"{hours:g}".replace(".", ",")


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None
