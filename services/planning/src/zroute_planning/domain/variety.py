"""Teaching-form variety (L10): every week mixes forms under explicit rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Breach:
    """One variety rule a week breaks: a form above its share of the week (``share``:
    ``count`` of ``total`` sessions, above ``limit`` percent) or in too long a run
    (``run``: ``count`` in a row, above ``limit``). Data, so a screen can say it in words."""

    rule: str
    form: TeachingForm
    count: int
    total: int
    limit: int

    def __str__(self) -> str:
        if self.rule == "share":
            return f"{self.form} is {self.count} of {self.total} sessions, above {self.limit}%"
        return f"{self.form} runs {self.count} sessions in a row, above {self.limit}"


def variety_breaches(forms: Sequence[TeachingForm], rules: VarietyRules) -> list[Breach]:
    """The variety rules a week of sessions (in weekly order) breaks, as data."""
    found = []
    if len(forms) >= rules.min_sessions:
        for form, count in Counter(forms).items():
            if count / len(forms) > rules.max_share + 1e-9:
                share = round(rules.max_share * 100)
                found.append(Breach("share", TeachingForm(form), count, len(forms), share))
    run = 1
    for before, after in pairwise(forms):
        run = run + 1 if before == after else 1
        if run > rules.max_run:
            found.append(Breach("run", TeachingForm(after), run, len(forms), rules.max_run))
            break
    return found


def check_variety(forms: Sequence[TeachingForm], rules: VarietyRules) -> list[str]:
    """The variety rules a week of sessions (in weekly order) breaks; empty when none."""
    return [str(b) for b in variety_breaches(forms, rules)]
