"""Teaching-form variety (L10): every week mixes forms under explicit rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field
from zroute_contract.events.codes import TeachingForm


class VarietyRules(BaseModel):
    """No form above ``max_share`` of a week's sessions (weeks of ``min_sessions`` or
    more), and never more than ``max_run`` sessions of one form in a row."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_share: float = Field(default=0.5, gt=0, le=1)
    max_run: int = Field(default=1, ge=1)
    min_sessions: int = Field(default=2, ge=1)


def check_variety(forms: Sequence[TeachingForm], rules: VarietyRules) -> list[str]:
    """The variety rules a week of sessions (in weekly order) breaks; empty when none."""
    problems = []
    if len(forms) >= rules.min_sessions:
        for form, count in Counter(forms).items():
            if count / len(forms) > rules.max_share + 1e-9:
                problems.append(
                    f"{form} is {count} of {len(forms)} sessions, above {rules.max_share:.0%}"
                )
    run = 1
    for before, after in pairwise(forms):
        run = run + 1 if before == after else 1
        if run > rules.max_run:
            problems.append(f"{after} runs {run} sessions in a row, above {rules.max_run}")
            break
    return problems
