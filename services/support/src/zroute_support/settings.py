"""Settings of the support service: the shared ZROUTE_ variables plus the service's own
rules (deadlines and the configurable reason lists); see docs/support.md."""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import field_validator
from zroute_contract.types import REASON_CODE_PATTERN
from zroute_ui.settings import UiSettings


class Settings(UiSettings):
    """Support service settings."""

    http_port: int = 8003

    # A referral not accepted or declined within this time escalates ...
    referral_answer_within: timedelta = timedelta(days=5)
    # ... and escalates again after each further interval, up to the maximum level.
    referral_escalation_repeat: timedelta = timedelta(days=2)
    referral_max_escalations: int = 3
    # A declined referral goes to the next capable partner on its own (else it waits).
    referral_reroute_on_decline: bool = True

    # The configurable reason lists (snake_case codes, as the events carry them).
    referral_decline_reasons: list[str] = [
        "no_capacity",
        "outside_expertise",
        "not_eligible",
        "participant_unreachable",
        "other",
    ]
    referral_status_reasons: list[str] = [
        "participant_unavailable",
        "waiting_for_information",
        "participant_ill",
        "participant_unreachable",
        "other",
    ]
    referral_outcome_reasons: list[str] = [
        "goal_reached",
        "partially_reached",
        "participant_declined",
        "participant_unreachable",
        "needs_other_care",
        "other",
    ]
    placement_decline_reasons: list[str] = [
        "no_workplace_available",
        "hours_not_feasible",
        "support_not_available",
        "other",
    ]

    @field_validator(
        "referral_decline_reasons",
        "referral_status_reasons",
        "referral_outcome_reasons",
        "placement_decline_reasons",
    )
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not re.fullmatch(REASON_CODE_PATTERN, code)]
        if bad or not value:
            raise ValueError("reason lists hold at least one snake_case code")
        return value
