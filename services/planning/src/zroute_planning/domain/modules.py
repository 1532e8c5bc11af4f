"""The curriculum of a plan (L12): the core for everyone, plus modules the intake calls for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zroute_contract.events.codes import (
    CurriculumModule,
    HoursKind,
    LevelBand,
    NeedSeverity,
    TeachingForm,
)
from zroute_contract.events.intake import IntakeOutcome

from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.rules import GroupRules, PlanningRules

SEVERITY = list(NeedSeverity)


def choose_modules(intake: IntakeOutcome, rules: PlanningRules) -> tuple[CurriculumModule, ...]:
    """Core modules first, then each customised module whose need, goal or literacy fits."""
    chosen = list(rules.core_modules)
    needs = {need.domain: need.severity for need in intake.needs}
    for rule in rules.module_rules:
        severity = needs.get(rule.need) if rule.need else None
        by_need = severity is not None and SEVERITY.index(severity) >= SEVERITY.index(
            rule.min_severity
        )
        by_goal = any(goal in intake.goals for goal in rule.goals)
        by_literacy = intake.literacy in rule.literacies
        if (by_need or by_goal or by_literacy) and rule.module not in chosen:
            chosen.append(rule.module)
    return tuple(chosen)


def level_band(intake: IntakeOutcome, rules: GroupRules) -> LevelBand:
    """Alphabetisation groups for those still learning to read and write, else the level."""
    if intake.literacy in rules.alpha_literacies:
        return LevelBand.ALPHA
    return LevelBand(intake.language_level.value.lower())


def customised(
    modules: tuple[CurriculumModule, ...], rules: PlanningRules
) -> list[CurriculumModule]:
    """The plan's customised (maatwerk) modules: every module beyond the core."""
    return [m for m in modules if m not in rules.core_modules]


def with_module(
    modules: tuple[CurriculumModule, ...], module: CurriculumModule, rules: PlanningRules
) -> tuple[CurriculumModule, ...]:
    """The plan's modules with a customised ``module`` added (issue 16 item 4)."""
    if module in rules.core_modules:
        raise InvalidRequest(f"{module} is a core module: every plan has it")
    if module in modules:
        raise PlanError(f"the plan has the module {module} already")
    return (*modules, module)


def without_module(
    modules: tuple[CurriculumModule, ...], module: CurriculumModule, rules: PlanningRules
) -> tuple[CurriculumModule, ...]:
    """The plan's modules with a customised ``module`` removed; the core stays."""
    if module in rules.core_modules:
        raise InvalidRequest(f"{module} is a core module and cannot be removed")
    if module not in modules:
        raise PlanError(f"the plan has no module {module}")
    return tuple(m for m in modules if m != module)


def modules_open(
    modules: tuple[CurriculumModule, ...],
    completed: set[CurriculumModule],
    rules: PlanningRules,
) -> list[CurriculumModule]:
    """The customised modules completion still waits for, when the rules require them."""
    if not rules.completion_requires_modules:
        return []
    return [m for m in customised(modules, rules) if m not in completed]


@dataclass(frozen=True)
class PlannedModule:
    """A customised module as the plan keeps it: its planned hours, the form it is taught
    in (None: the configured one) and whether its completion was recorded."""

    module: CurriculumModule
    hours: float
    teaching_form: TeachingForm | None = None
    completed: bool = False


@dataclass(frozen=True)
class ModuleSession:
    """A customised module in the participant's week (issue 16 item 4): one session a
    week, in its form, counting toward its kind, while hours of it remain."""

    module: CurriculumModule
    form: TeachingForm
    kind: HoursKind
    hours_left: float


def module_teaching_of(
    module: CurriculumModule, form: TeachingForm | None, rules: PlanningRules
) -> tuple[TeachingForm, HoursKind]:
    """The form a module is taught in (the one named, else the configured one) and the
    kind of hours it counts toward; refused for a module the rules do not say how to teach."""
    teaching = rules.module_teaching.get(module)
    if teaching is None:
        raise InvalidRequest(
            f"the rules do not say how {module} is taught (module_teaching): it cannot be"
            " planned with hours"
        )
    return form or teaching.form, teaching.kind


def module_sessions(
    modules: tuple[CurriculumModule, ...],
    planned: Iterable[PlannedModule],
    attended: Mapping[CurriculumModule, float],
    rules: PlanningRules,
) -> tuple[ModuleSession, ...]:
    """The customised modules of the plan that take a session in the week: planned with
    hours, not completed, not removed, and with hours left after those attended on the
    module's sessions. A module the intake chose has no hours until someone plans them."""
    wanted = set(customised(modules, rules))
    out = []
    for row in planned:
        left = row.hours - attended.get(row.module, 0.0)
        if row.module not in wanted or row.completed or left <= 0:
            continue
        if row.module not in rules.module_teaching:
            continue  # the rules no longer say how to teach it: it stays off the week
        form, kind = module_teaching_of(row.module, row.teaching_form, rules)
        out.append(ModuleSession(row.module, form, kind, left))
    return tuple(out)
