"""The ledger's refusals worded for the screens (issue 16): the API answers a refused line
with every reason as a code with its parameters (``reason_code``, ``reason_params``,
``domain/roll_call.LineProblem``) beside the English sentence; the roll-call and the
attendance pages put each reason beside the field it concerns, in the page's language,
from this one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zroute_ui import N_

from zroute_planning.domain.roll_call import LineProblem

WHEN, MINUTES, REASON = "when", "minutes", "reason"
"""What a reason concerns: the day of the session, the minutes, the absence's reason."""

WORDING: dict[LineProblem, tuple[str, str]] = {
    LineProblem.SESSION_IN_FUTURE: (WHEN, N_("The session is in the future.")),
    LineProblem.BEFORE_PLAN_START: (
        WHEN,
        N_("The session is before this participant's plan starts (%(day)s)."),
    ),
    LineProblem.AFTER_PLAN_END: (WHEN, N_("The session is after the plan's end.")),
    LineProblem.ABSENCE_HAS_MINUTES: (MINUTES, N_("An absence has no minutes.")),
    LineProblem.MINUTES_OUT_OF_RANGE: (
        MINUTES,
        N_("Enter the minutes present, from 1 to %(max)s."),
    ),
    LineProblem.OVER_DAY_MAXIMUM: (
        MINUTES,
        N_("More than %(max)s minutes on one day for this participant."),
    ),
    LineProblem.REASON_MISSING: (REASON, N_("Choose the reason of the absence.")),
    LineProblem.REASON_NOT_ALLOWED: (REASON, N_("Only an absence with a reason has a reason.")),
    LineProblem.SESSION_CANCELLED: (WHEN, N_("The session was cancelled.")),
    LineProblem.OTHER_DAY: (WHEN, N_("The calendar has this session on %(day)s.")),
    LineProblem.OTHER_LENGTH: (MINUTES, N_("The calendar's session lasts %(minutes)s minutes.")),
    LineProblem.OTHER_FORM: (WHEN, N_("The calendar's session is taught in another form.")),
    LineProblem.OTHER_GROUP: (WHEN, N_("The session belongs to another group.")),
    LineProblem.NOT_EXPECTED: (WHEN, N_("This participant is not expected at this session.")),
    LineProblem.NOT_IN_CALENDAR: (
        WHEN,
        N_("The session is not in the programme's calendar on %(day)s."),
    ),
    LineProblem.MODULE_OF_OTHER_KIND: (WHEN, N_("Hours of this module count as another kind.")),
}


@dataclass(frozen=True)
class Reason:
    """One coded reason of a refusal: whose line, which field it concerns, its words."""

    participant_ref: str | None
    field: str
    message: str
    params: dict[str, str]

    def text(self, gettext: Callable[[str], str]) -> str:
        """The reason in the page's language, its parameters filled in."""
        return gettext(self.message) % self.params if self.params else gettext(self.message)


def reasons(detail: Any) -> list[Reason]:
    """The coded reasons of the API's refusal (``{"error", "detail": [...]}``); an answer
    without codes gives none."""
    items = detail.get("detail") if isinstance(detail, dict) else None
    found = []
    for item in items or ():
        if not isinstance(item, dict):
            continue
        try:
            code = LineProblem(str(item.get("reason_code")))
        except ValueError:
            continue
        field, message = WORDING[code]
        params = {k: str(v) for k, v in (item.get("reason_params") or {}).items()}
        found.append(Reason(item.get("participant_ref"), field, message, params))
    return found
