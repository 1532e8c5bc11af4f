"""The curriculum of a plan (L12): the core for everyone, plus modules the intake calls for."""

from __future__ import annotations

from zroute_contract.events.codes import CurriculumModule, LevelBand, NeedSeverity
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
