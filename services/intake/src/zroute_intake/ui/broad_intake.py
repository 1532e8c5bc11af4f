"""The broad intake's written record (B 5.2) in the caseworker's dossier: the summons log
(up to three calls, each with its deadline and whether it followed a written warning),
completion in the participant's absence, the learnability test's result and advice or the
exemption ground, schooling and work history, the language level, work prospects,
self-reliance and the choice to hold the talks alone.

The record is part of the intake's outcome, so the form records it as the API does: a
correction of the outcome (``POST /participants/{ref}/intake/corrections``) whose only
change is this record, with the caseworker's reason, the acting user and the version the
form was read at. The form's errors show in the error summary and beside each field.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import dataclasses
import re
from typing import Annotated, Any

from fastapi import Depends, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_contract.events.codes import CorrectionReason, LearnabilityBand, Route
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, Refused, UiKit, api_roles, iso_day

from zroute_intake.domain import commands
from zroute_intake.domain.broad_intake import (
    MAX_SUMMONSES,
    SchoolingLevel,
    SelfReliance,
    TestExemption,
    WorkProspects,
)
from zroute_intake.domain.errors import Conflict, DomainError, Forbidden
from zroute_intake.domain.participant import Participant
from zroute_intake.entrypoints.http.broad_intake_schemas import BroadIntakeIn
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import intakes as handlers
from zroute_intake.ui import life_domains

READ = "GET /participants/{participant_ref}"
CORRECT = "POST /participants/{participant_ref}/intake/corrections"
SUMMONS_FIELDS = ("summoned_on", "respond_by", "attended", "after_warning")
DATE_FIELDS = ("summoned_on", "respond_by", "taken_on")
TEST_FIELDS = ("taken_on", "result", "advised_route", "exemption")
OTHER_FIELDS = (
    "completed_in_absence",
    "schooling_years",
    "schooling_level",
    "work_experience_years",
    "work_prospects",
    "self_reliance",
    "talks_alone",
    "reason",
)
LABELS = {
    # learnability test
    "very_low": N_("very low"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "visual_impairment": N_("visual impairment"),
    "auditory_impairment": N_("auditory impairment"),
    "z_route": N_("Z-route"),
    "b1_route": N_("B1 route"),
    "education_route": N_("education route"),
    # schooling
    "none": N_("none"),
    "primary": N_("primary school"),
    "secondary": N_("secondary school"),
    "vocational": N_("vocational training"),
    "higher": N_("higher education"),
    # work prospects
    "not_foreseen": N_("not foreseen"),
    "long_term": N_("in the long term"),
    "with_support": N_("with support"),
    "short_term": N_("in the short term"),
    # self-reliance (low and high above)
    "moderate": N_("moderate"),
    # why the outcome is corrected
    "data_entry_error": N_("data entry error"),
    "new_information": N_("new information"),
    "reassessment": N_("reassessment"),
}
CHOICES = {
    "result": [b.value for b in LearnabilityBand],
    "advised_route": [r.value for r in Route],
    "exemption": [e.value for e in TestExemption],
    "schooling_level": [s.value for s in SchoolingLevel],
    "work_prospects": [w.value for w in WorkProspects],
    "self_reliance": [s.value for s in SelfReliance],
    "reason": [r.value for r in CorrectionReason],
}
# Each field's message when its value cannot be used.
MESSAGES = {
    "summoned_on": N_("Enter the day of the call as a date: day-month-year, like 12-01-2027"),
    "respond_by": N_("Enter the deadline as a date, on or after the call"),
    "attended": N_("Say whether the participant came"),
    "after_warning": N_("A call after a no-show follows a written warning"),
    "completed_in_absence": N_("Only after three calls the participant did not answer"),
    "taken_on": N_("Give the day and the result of the test, or the exemption ground"),
    "result": N_("Choose the test's result"),
    "advised_route": N_("Choose the advised route"),
    "exemption": N_("An exempted participant has no test result"),
    "schooling_years": N_("Enter the years of schooling as a number from 0 to 40"),
    "schooling_level": N_("Choose the schooling level"),
    "work_experience_years": N_("Enter the years of work as a number from 0 to 60"),
    "work_prospects": N_("Choose the work prospects"),
    "self_reliance": N_("Choose the degree of self-reliance"),
    "talks_alone": N_("Say whether the participant holds the talks alone"),
    "reason": N_("Choose why the record changes"),
    "summonses": N_("List the calls in the order they were made, at most three"),
}
# The domain's rules, to the field that shows them.
PROBLEM_FIELDS = {
    "summonses: respond_by": "respond_by",
    "summonses: a call after": "after_warning",
    "summonses:": "summonses",
    "completed_in_absence:": "completed_in_absence",
    "learnability_test: an exempted": "exemption",
    "learnability_test:": "taken_on",
}
YES_NO = {"yes": True, "no": False}
# Labels of configured precondition kinds (issue 17 item 8); others show their code in words.
PRECONDITION_KINDS = {
    "digital_device": N_("digital device"),
    "medical_aid": N_("medical aid"),
}
NUMBER = re.compile(r"^[0-9]{1,3}$")


def add(kit: UiKit) -> None:
    Reader = Annotated[Page, Depends(kit.api_page(READ))]
    Caseworker = Annotated[Page, Depends(kit.api_page(CORRECT))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/participants/{ref}/broad-intake")
    async def broad_intake(ref: Ref, page: Reader, runtime: Runtime) -> Response:
        participant = await _load(runtime, page, ref)
        kinds = intake_dependencies(runtime).precondition_kinds
        values = _values_of(participant, kinds)
        return _render(
            page, participant, values, FormErrors(), kinds, may_record=_may_record(page, kit)
        )

    @kit.router.post("/participants/{ref}/broad-intake")
    async def record(ref: Ref, page: Caseworker, runtime: Runtime) -> Response:
        participant = await _load(runtime, page, ref)
        kinds = intake_dependencies(runtime).precondition_kinds
        values = _form_values(page.form, kinds)
        errors, body = _parse(values)
        outcome = participant.current_outcome
        if outcome is None:
            raise Refused(
                409,
                N_(
                    "The written record is kept with the intake's outcome: record the outcome first."
                ),
            )
        if not errors:
            try:
                cmd = commands.CorrectIntake(
                    ref=ref,
                    expected_version=_int(page.form.get("version", "")),
                    scope=page.principal.municipality,
                    outcome=dataclasses.replace(
                        outcome,
                        broad_intake=body.to_domain(),
                        other_preconditions=_chosen(values, kinds),
                    ),
                    reason=CorrectionReason(values["reason"]),
                    by=page.principal.subject,
                )
                async with runtime.uow(command_context(page.request)) as uow:
                    await handlers.correct_intake(cmd, uow, intake_dependencies(runtime))
                    await uow.commit()
            except Conflict:
                errors.add("reason", N_("Someone changed the dossier meanwhile: reload the page"))
            except DomainError as exc:
                errors.add("reason", _domain_message(exc.reason))
        if errors:
            return _render(
                page, participant, values, errors, kinds, may_record=True, status_code=422
            )
        page.flash("ok", N_("The broad intake's record is saved."))
        return page.redirect(f"/ui/participants/{ref}/broad-intake")


def _may_record(page: Page, kit: UiKit) -> bool:
    """Whether the reader may also record (a coordinator reads the record only)."""
    return bool(api_roles(kit.service, CORRECT) & set(page.principal.roles))


async def _load(runtime: Runtime, page: Page, ref: str) -> Participant:
    async with runtime.uow() as uow:
        try:
            return await views.participant(uow, page.principal, ref)
        except Forbidden:
            raise HTTPException(403, "another municipality") from None
        except DomainError:
            raise HTTPException(404, "no such participant") from None


def _render(
    page: Page,
    participant: Participant,
    values: dict[str, str],
    errors: FormErrors,
    kinds: tuple[str, ...],
    *,
    may_record: bool,
    status_code: int = 200,
) -> Response:
    outcome = participant.current_outcome
    return page.render(
        "broad_intake.html.j2",
        p=participant,
        outcome=outcome,
        record=outcome.broad_intake if outcome else None,
        values=values,
        errors=errors,
        labels=LABELS,
        choices=CHOICES,
        calls=range(1, MAX_SUMMONSES + 1),
        kinds=kinds,
        kind_labels=PRECONDITION_KINDS,
        may_record=may_record,
        status_code=status_code,
        **life_domains.page_context(outcome, page.language, page.principal.roles),
    )


def record_names() -> list[str]:
    """The form's fields of the written record (the calls, the test, history, prospects)."""
    names = [f"summons-{n}-{f}" for n in range(1, MAX_SUMMONSES + 1) for f in SUMMONS_FIELDS]
    names += [f"test-{f}" for f in TEST_FIELDS]
    return names + [name for name in OTHER_FIELDS if name != "reason"]


def record_values(form: Any) -> dict[str, str]:
    """The written record's fields as given, days typed day-month-year in the ISO form the
    API's model reads."""
    values = {name: str(form.get(name, "")).strip() for name in record_names()}
    for name in values:
        if name.endswith(DATE_FIELDS):
            values[name] = iso_day(values[name])
    return values


def record_given(values: dict[str, str]) -> bool:
    """Whether any part of the written record was filled in (a yes/no left at no is not)."""
    return any(values[name] not in ("", "no") for name in record_names())


def _form_values(form: Any, kinds: tuple[str, ...]) -> dict[str, str]:
    values = record_values(form)
    values["reason"] = str(form.get("reason", "")).strip()
    for code in kinds:
        values[f"precondition-{code}"] = str(form.get(f"precondition-{code}", "")).strip()
    return values


def _chosen(values: dict[str, str], kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The configured precondition kinds the form says must be arranged (issue 17)."""
    return tuple(code for code in kinds if values.get(f"precondition-{code}") == "yes")


def _values_of(participant: Participant, kinds: tuple[str, ...]) -> dict[str, str]:
    """The form filled with the record on file (empty when there is none)."""
    outcome = participant.current_outcome
    values = dict.fromkeys(_form_values({}, kinds), "")
    for code in kinds:
        named = outcome is not None and code in outcome.other_preconditions
        values[f"precondition-{code}"] = "yes" if named else "no"
    record = outcome.broad_intake if outcome else None
    if record is None:
        return values
    for n, call in enumerate(record.summonses, start=1):
        values[f"summons-{n}-summoned_on"] = call.summoned_on.isoformat()
        values[f"summons-{n}-respond_by"] = call.respond_by.isoformat()
        values[f"summons-{n}-attended"] = "yes" if call.attended else "no"
        values[f"summons-{n}-after_warning"] = "yes" if call.after_warning else "no"
    test = record.learnability_test
    if test is not None:
        values["test-taken_on"] = test.taken_on.isoformat() if test.taken_on else ""
        values["test-result"] = _code(test.result)
        values["test-advised_route"] = _code(test.advised_route)
        values["test-exemption"] = _code(test.exemption)
    for name in ("schooling_years", "work_experience_years"):
        number = getattr(record, name)
        values[name] = "" if number is None else str(number)
    for name in ("schooling_level", "work_prospects", "self_reliance"):
        values[name] = _code(getattr(record, name))
    values["completed_in_absence"] = "yes" if record.completed_in_absence else "no"
    values["talks_alone"] = "yes" if record.talks_alone else "no"
    return values


def _parse(values: dict[str, str]) -> tuple[FormErrors, BroadIntakeIn]:
    """The API's request model from the form, and the errors on the form's fields."""
    errors, parsed = parse_record(values)
    if values["reason"] not in CHOICES["reason"]:
        errors.add("reason", MESSAGES["reason"])
    return errors, parsed


def parse_record(values: dict[str, str]) -> tuple[FormErrors, BroadIntakeIn]:
    """The written record's request model (``BroadIntakeIn``) from the form's fields, and
    the errors on them: the model's checks, then the record's own rules."""
    errors = FormErrors()
    rows = [n for n in range(1, MAX_SUMMONSES + 1) if _row_filled(values, n)]
    body: dict[str, Any] = {
        "summonses": [
            {f: _field_value(f, values[f"summons-{n}-{f}"]) for f in SUMMONS_FIELDS} for n in rows
        ],
        "completed_in_absence": YES_NO.get(values["completed_in_absence"], False),
        "talks_alone": YES_NO.get(values["talks_alone"], False),
    }
    for n in rows:
        if values[f"summons-{n}-after_warning"] == "":
            body["summonses"][rows.index(n)]["after_warning"] = False
    test = {f: values[f"test-{f}"] or None for f in TEST_FIELDS}
    if any(test.values()):
        body["learnability_test"] = test
    for name in ("schooling_years", "work_experience_years"):
        body[name] = _number(values[name])
    for name in ("schooling_level", "work_prospects", "self_reliance"):
        body[name] = values[name] or None
    try:
        parsed = BroadIntakeIn.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            errors.add(*_error_field(error["loc"], rows))
        return errors, BroadIntakeIn()
    for problem in parsed.to_domain().problems():
        errors.add(*_problem_field(problem, rows))
    return errors, parsed


def _row_filled(values: dict[str, str], n: int) -> bool:
    return any(values[f"summons-{n}-{f}"] for f in ("summoned_on", "respond_by", "attended"))


def _field_value(name: str, value: str) -> Any:
    if name in ("attended", "after_warning"):
        return YES_NO.get(value)
    return value or None


def _error_field(loc: tuple[Any, ...], rows: list[int]) -> tuple[str, str]:
    """A validation error's place on the form: ``("summonses", 0, "respond_by")`` is the
    respond-by field of the first filled row."""
    if loc and loc[0] == "summonses" and len(loc) > 2 and isinstance(loc[1], int):
        name = str(loc[2])
        return f"summons-{rows[loc[1]]}-{name}", MESSAGES.get(name, MESSAGES["summonses"])
    if loc and loc[0] == "learnability_test" and len(loc) > 1:
        name = str(loc[1])
        return f"test-{name}", MESSAGES.get(name, MESSAGES["taken_on"])
    name = str(loc[0]) if loc else "reason"
    return name, MESSAGES.get(name, MESSAGES["reason"])


def _problem_field(problem: str, rows: list[int]) -> tuple[str, str]:
    for prefix, name in PROBLEM_FIELDS.items():
        if problem.startswith(prefix):
            if name in SUMMONS_FIELDS or name == "summonses":
                row = rows[-1] if rows else 1
                field = name if name in SUMMONS_FIELDS else "summoned_on"
                return f"summons-{row}-{field}", MESSAGES[name]
            if name in TEST_FIELDS:
                return f"test-{name}", MESSAGES[name]
            return name, MESSAGES[name]
    return "reason", MESSAGES["reason"]


def _domain_message(reason: str) -> str:
    return N_("The record cannot be saved as it is: check the fields") if reason else ""


def _number(value: str) -> int | str | None:
    if value == "":
        return None
    return int(value) if NUMBER.match(value) else value  # the model refuses what is left


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _code(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))
