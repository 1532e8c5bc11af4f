"""Settings of the planning service: the shared ZROUTE_ variables plus the planning rules.

The rules (targets, ramp-up, variety, groups, deadlines) come from a JSON file named by
``ZROUTE_PLANNING_RULES_FILE``, or as JSON in ``ZROUTE_PLANNING_RULES``; without either,
the defaults of :class:`~zroute_planning.domain.rules.PlanningRules` (the law's numbers).
"""

from __future__ import annotations

from pathlib import Path

from zroute_ui.settings import UiSettings

from zroute_planning.domain.rules import PlanningRules


class Settings(UiSettings):
    """Planning service settings."""

    http_port: int = 8002
    planning_rules: PlanningRules = PlanningRules()
    planning_rules_file: Path | None = None
    teaching_partner_id: str = "language-school"
    solver_workers: int = 2

    def rules(self) -> PlanningRules:
        """The rules in force: the file when one is named, else ``planning_rules``."""
        if self.planning_rules_file is not None:
            return PlanningRules.model_validate_json(self.planning_rules_file.read_text())
        return self.planning_rules
