"""The curriculum of a plan (L12): the core for everyone, plus modules the intake calls for."""

from __future__ import annotations

from zroute_contract.events.codes import CurriculumModule, LevelBand, NeedSeverity
from zroute_contract.events.intake import IntakeOutcome

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
