"""Record the broad intake's outcome from the dossier (issue 19, section 4: the caseworker
records the intake): the language level, literacy and learnability, the support needed per
life domain, care signals, childcare, transport and the configured preconditions to
arrange, the parts of the week the participant is available, the goals for the PIP, and
the route decision with its reason.

The form does what ``POST /participants/{ref}/intake/outcome`` does: the API's own request
model (``OutcomeIn``), command (``CompleteIntake``) and handler, the acting user and the
version the dossier was read at. The outcome's rules (``Outcome.problems``) and the
handler's refusals (not held yet, no booked interpreter, completed already) come back
beside the field they are about and in the error summary, with the values entered kept.
The broad intake's written record (B 5.2: the calls, the learnability test, schooling and
work, prospects, self-reliance) may come with it, through the broad intake page's own
fields and checks (``broad_intake.parse_record``), or later on that page.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import re
from typing import Annotated, Any

from fastapi import Depends
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import (
    HEALTH_DOMAINS,
    CareCategory,
    DayPart,
    Goal,
    LanguageLevel,
    LearnabilityBand,
    LifeDomain,
    Literacy,
    NeedSeverity,
    Route,
    RouteReason,
    TransportMode,
    Urgency,
    Weekday,
)
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, UiKit

from zroute_intake.domain import commands
from zroute_intake.domain.broad_intake import MAX_SUMMONSES
from zroute_intake.domain.errors import Conflict, DomainError, InvalidRequest, StaleVersion
from zroute_intake.domain.outcome import CATEGORY_DOMAINS
from zroute_intake.domain.participant import Participant
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.schemas import OutcomeIn
from zroute_intake.service_layer.handlers import intakes as handlers
from zroute_intake.ui import broad_intake as record
from zroute_intake.ui import life_domains
from zroute_intake.ui.broad_intake import LABELS as RECORD_LABELS
from zroute_intake.ui.broad_intake import PRECONDITION_KINDS
from zroute_intake.ui.pages import load
from zroute_intake.ui.pip import PIP_LABELS

COMPLETE = "POST /participants/{participant_ref}/intake/outcome"
NEED_DOMAINS = [d for d in LifeDomain if d not in HEALTH_DOMAINS]
SLOTS = [f"{w.value}-{p.value}" for w in Weekday for p in DayPart]
CHECKBOXES = {
    "transport_modes": [m.value for m in TransportMode],
    "availability": SLOTS,
    "goals": [g.value for g in Goal],
}
CHOICES = {
    "language_level": [v.value for v in LanguageLevel],
    "literacy": [v.value for v in Literacy],
    "learnability_band": [v.value for v in LearnabilityBand],
    "severity": [v.value for v in NeedSeverity],
    "urgency": [v.value for v in Urgency],
    "route": [v.value for v in Route],
    "route_reason": [v.value for v in RouteReason],
    # the written record (B 5.2), as the broad intake's page asks it
    **{name: codes for name, codes in record.CHOICES.items() if name != "reason"},
}
MESSAGES = {
    "language_level": N_("Choose the language level"),
    "literacy": N_("Choose the literacy"),
    "learnability_band": N_("Choose the learnability"),
    "needs": N_("Choose the support needed, or leave the life domain not recorded"),
    "signal": N_("Give the care signal's urgency as well"),
    "childcare": N_("Say whether childcare must be arranged"),
    "child_ages": N_("Give the ages of the children who need care, like 2, 5"),
    "transport": N_("Say whether transport must be arranged"),
    "transport_modes": N_("Choose at least one kind of transport that would work"),
    "availability": N_("Choose at least one part of the week the participant is available"),
    "goals": N_("Choose at least one goal for the PIP"),
    "route": N_("Choose the route"),
    "route_reason": N_("Choose a reason that fits the route"),
    "precondition": N_("This precondition is not configured here"),
    "not_held": N_("The intake has not been held yet: record its outcome after it"),
    "interpreter": N_(
        "The interpreter is not booked yet: move the intake with a booked or confirmed interpreter"
    ),
    "completed": N_("The intake's outcome is recorded already: correct it on the broad intake"),
    "stale": N_("Someone changed the dossier meanwhile: reload the page"),
    "refused": N_("The outcome cannot be recorded as it is: check the fields"),
}
# The domain's rules (``Outcome.problems``): the field that shows them, and the words.
PROBLEM_FIELDS = {
    "needs:": ("need-" + NEED_DOMAINS[0].value, "needs"),
    "childcare:": ("child_ages", "child_ages"),
    "transport:": ("transport_modes", "transport_modes"),
    "goals:": ("goals", "goals"),
    "route_reason:": ("route_reason", "route_reason"),
    "availability:": ("availability", "availability"),
    "care_signals:": ("signal-" + CareCategory.PHYSICAL_CARE.value, "signal"),
    "other_preconditions:": ("language_level", "precondition"),
}
LABELS = RECORD_LABELS | PIP_LABELS | {"A0": "A0", "A1": "A1", "A2": "A2", "B1": "B1"}
YES_NO = {"yes": True, "no": False}
AGES = re.compile(r"[\s,;]+")


def add(kit: UiKit) -> None:
    Caseworker = Annotated[Page, Depends(kit.api_page(COMPLETE))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/participants/{ref}/intake-outcome")
    async def outcome_form(ref: Ref, page: Caseworker, runtime: Runtime) -> Response:
        participant = await load(runtime, page, ref)
        kinds = intake_dependencies(runtime).precondition_kinds
        return _render(page, participant, _empty(participant, kinds), FormErrors(), kinds)

    @kit.router.post("/participants/{ref}/intake-outcome")
    async def record(ref: Ref, page: Caseworker, runtime: Runtime) -> Response:
        """Record the outcome and the route decision as the API does."""
        participant = await load(runtime, page, ref)
        deps = intake_dependencies(runtime)
        values = _form_values(page.form, deps.precondition_kinds)
        errors, body = _parse(values, deps.precondition_kinds)
        if body is not None:
            version = str(page.form.get("version", ""))
            cmd = commands.CompleteIntake(
                ref=ref,
                expected_version=int(version) if version.isdigit() else None,
                scope=page.principal.municipality,
                outcome=body.to_outcome(),
                by=page.principal.subject,
            )
            try:
                async with runtime.uow(command_context(page.request)) as uow:
                    await handlers.complete_intake(cmd, uow, deps)
                    await uow.commit()
            except StaleVersion:
                errors.add("language_level", MESSAGES["stale"])
            except (Conflict, InvalidRequest) as exc:
                errors.add(*_refusal(exc.reason))
            except DomainError:
                errors.add("language_level", MESSAGES["refused"])
        if errors:
            kinds = deps.precondition_kinds
            return _render(page, participant, values, errors, kinds, status_code=422)
        page.flash("ok", N_("The intake's outcome is recorded: the intake is completed."))
        return page.redirect(f"/ui/participants/{ref}")


def _render(
    page: Page,
    participant: Participant,
    values: dict[str, str],
    errors: FormErrors,
    kinds: tuple[str, ...],
    status_code: int = 200,
) -> Response:
    return page.render(
        "intake_outcome.html.j2",
        p=participant,
        values=values,
        errors=errors,
        choices=CHOICES,
        labels=LABELS | life_domains.CODES,
        domains=[(d.value, life_domains.DOMAINS[d]) for d in NEED_DOMAINS],
        categories=[(c.value, life_domains.CODES[c.value]) for c in CareCategory],
        transport_modes=CHECKBOXES["transport_modes"],
        goals=CHECKBOXES["goals"],
        checked={group: _checked(values, group) for group in CHECKBOXES},
        weekdays=[w.value for w in Weekday],
        day_parts=[p.value for p in DayPart],
        kinds=kinds,
        kind_labels=PRECONDITION_KINDS,
        calls=range(1, MAX_SUMMONSES + 1),
        severities=life_domains.SEVERITY,
        lang_path=f"/ui/participants/{participant.ref}/intake-outcome",
        status_code=status_code,
    )


def _names(kinds: tuple[str, ...]) -> list[str]:
    names = ["language_level", "literacy", "learnability_band", "childcare", "child_ages"]
    names += ["transport", "route", "route_reason"]
    names += [f"need-{d.value}" for d in NEED_DOMAINS]
    for c in CareCategory:
        names += [f"signal-{c.value}", f"signal-{c.value}-urgency"]
    names += [f"precondition-{code}" for code in kinds]
    names += [f"{group}-{code}" for group, codes in CHECKBOXES.items() for code in codes]
    return names


def _form_values(form: Any, kinds: tuple[str, ...]) -> dict[str, str]:
    values = {name: str(form.get(name, "")).strip() for name in _names(kinds)}
    return values | record.record_values(form)


def _empty(participant: Participant, kinds: tuple[str, ...]) -> dict[str, str]:
    """A new outcome: nothing chosen, no precondition beyond childcare and transport."""
    values = dict.fromkeys(_names(kinds) + record.record_names(), "")
    for code in kinds:
        values[f"precondition-{code}"] = "no"
    return values


def _checked(values: dict[str, str], group: str) -> list[str]:
    return [code for code in CHECKBOXES[group] if values.get(f"{group}-{code}") == "yes"]


def _parse(values: dict[str, str], kinds: tuple[str, ...]) -> tuple[FormErrors, OutcomeIn | None]:
    """The API's request model from the form, or the errors on the form's fields."""
    errors = FormErrors()
    for name in ("language_level", "literacy", "learnability_band", "route", "route_reason"):
        if values[name] not in CHOICES[name]:
            errors.add(name, MESSAGES[name])
    for name in ("childcare", "transport"):
        if values[name] not in YES_NO:
            errors.add(name, MESSAGES[name])
    signals = _care_signals(values, errors)
    needs = [
        {"domain": d.value, "severity": values[f"need-{d.value}"]}
        for d in NEED_DOMAINS
        if values[f"need-{d.value}"]
    ]
    ages = _ages(values["child_ages"])
    if ages is None:
        errors.add("child_ages", MESSAGES["child_ages"])
    body: dict[str, Any] = {
        "language_level": values["language_level"],
        "literacy": values["literacy"],
        "learnability_band": values["learnability_band"],
        "needs": needs,
        "childcare": {"needed": values["childcare"] == "yes", "child_ages": ages or []},
        "transport": {
            "needed": values["transport"] == "yes",
            "modes": _checked(values, "transport_modes"),
        },
        "other_preconditions": [c for c in kinds if values[f"precondition-{c}"] == "yes"],
        "availability": [
            {"weekday": slot.split("-")[0], "day_part": slot.split("-")[1]}
            for slot in _checked(values, "availability")
        ],
        "goals": _checked(values, "goals"),
        "route": values["route"],
        "route_reason": values["route_reason"],
        "care_signals": signals,
    }
    if errors:
        return errors, None
    try:
        parsed = OutcomeIn.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            errors.add(*_error_field(error["loc"]))
        return errors, None
    for problem in parsed.to_outcome().problems():
        errors.add(*_problem_field(problem))
    parsed = _with_record(parsed, values, errors)
    return errors, None if errors else parsed


def _with_record(parsed: OutcomeIn, values: dict[str, str], errors: FormErrors) -> OutcomeIn:
    """The outcome with the written record of B 5.2 when the form gives one, checked as
    the broad intake's page checks it (its errors added to ``errors``)."""
    if not record.record_given(values):
        return parsed
    found, written = record.parse_record(values)
    for field, message in found.items():
        errors.add(field, message)
    return parsed.model_copy(update={"broad_intake": written})


def _care_signals(values: dict[str, str], errors: FormErrors) -> list[dict[str, str]]:
    """A care signal per category given a severity and an urgency (one alone: an error)."""
    signals = []
    for category in CareCategory:
        severity = values[f"signal-{category.value}"]
        urgency = values[f"signal-{category.value}-urgency"]
        if severity and urgency:
            signals.append(
                {
                    "domain": CATEGORY_DOMAINS[category].value,
                    "category": category.value,
                    "severity": severity,
                    "urgency": urgency,
                }
            )
        elif severity or urgency:
            errors.add(f"signal-{category.value}-urgency", MESSAGES["signal"])
    return signals


def _ages(text: str) -> list[int] | None:
    """The children's ages as typed ("2, 5"); None when one is no age of a child."""
    parts = [part for part in AGES.split(text) if part]
    if not all(part.isdigit() and int(part) <= 17 for part in parts):
        return None
    return [int(part) for part in parts]


def _error_field(loc: tuple[Any, ...]) -> tuple[str, str]:
    name = str(loc[0]) if loc else "language_level"
    if name in ("needs", "care_signals"):
        field, message = PROBLEM_FIELDS[f"{name}:"]
        return field, MESSAGES[message]
    if name == "childcare":
        return "child_ages", MESSAGES["child_ages"]
    if name == "transport":
        return "transport_modes", MESSAGES["transport_modes"]
    return name, MESSAGES.get(name, MESSAGES["refused"])


def _problem_field(problem: str) -> tuple[str, str]:
    for prefix, (field, message) in PROBLEM_FIELDS.items():
        if problem.startswith(prefix):
            return field, MESSAGES[message]
    return "language_level", MESSAGES["refused"]


def _refusal(reason: str) -> tuple[str, str]:
    """The handler's refusal beside the field it is about."""
    if "has not taken place" in reason:
        return "language_level", MESSAGES["not_held"]
    if "interpreter" in reason:
        return "language_level", MESSAGES["interpreter"]
    if "already completed" in reason:
        return "language_level", MESSAGES["completed"]
    return _problem_field(reason)
