"""Settings of the support service: the shared ZROUTE_ variables plus the service's own
rules (deadlines and the configurable reason lists); see docs/support.md."""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel, Field, field_validator, model_validator
from zroute_contract.events.codes import (
    PRECONDITION_CODE_PATTERN,
    PartnerCapability,
    RouteTask,
    Urgency,
)
from zroute_contract.types import REASON_CODE_PATTERN
from zroute_ui.settings import UiSettings

from zroute_support.domain.precondition_kinds import DEFAULT_KINDS, KindRule
from zroute_support.domain.urgency import DEFAULT_RULES, UrgencyRule, check_rules


class PreconditionKindIn(BaseModel):
    """A configured precondition kind: the task of the task division whose partner
    arranges it, and the capability a partner needs for it."""

    task: RouteTask
    capability: PartnerCapability


class UrgencyTimes(BaseModel):
    """How fast a referral of one urgency must be answered, and how often it escalates."""

    answer_within: timedelta
    escalate_every: timedelta


class Settings(UiSettings):
    """Support service settings."""

    http_port: int = 8003

    # A referral not accepted or declined within this time escalates ...
    referral_answer_within: timedelta = timedelta(days=5)
    # ... and escalates again after each further interval, up to the maximum level.
    referral_escalation_repeat: timedelta = timedelta(days=2)
    referral_max_escalations: int = 3
    # The more urgent referrals (FHIR priority urgent, asap, stat) get their own deadline
    # and escalation rhythm; the two settings above are those of a routine referral. A more
    # urgent referral is never answered later than a less urgent one (checked at start).
    referral_urgency: dict[Urgency, UrgencyTimes] = {
        u: UrgencyTimes(answer_within=r.answer_within, escalate_every=r.escalate_every)
        for u, r in DEFAULT_RULES.items()
        if u is not Urgency.ROUTINE
    }
    # A declined referral goes to the next capable partner on its own (else it waits).
    referral_reroute_on_decline: bool = True
    # When the responsible partner is full or declined, work overflows to the partners
    # named here first, in this order, then to the others in the order they were
    # registered (never alphabetically); the coordinator can always choose by hand
    # (``/referrals/{id}/reassign``, ``/waiting-list/{id}/assign``).
    overflow_order: list[str] = []
    # The kinds of precondition besides childcare and transport (issue 17 item 8), by
    # code: which task's partner arranges each and the capability it needs, for example
    # {"digital_device": {"task": "language_teaching", "capability": "language_teaching"}}.
    # Childcare and transport are always there (their own task and capability).
    precondition_kinds: dict[str, PreconditionKindIn] = {}

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
    # Why a referral is made and what supports it (FHIR reasonCode, supportingInfo), and
    # what a completed one delivered (Task.output): codes first, words only where needed.
    referral_reasons: list[str] = [
        "care_signal",
        "participant_request",
        "caseworker_observation",
        "partner_observation",
        "crisis",
        "other",
    ]
    referral_supporting_info: list[str] = [
        "intake_report",
        "care_history",
        "risk_assessment",
        "previous_referral",
        "other",
    ]
    referral_outputs: list[str] = [
        "assessment",
        "counselling",
        "treatment_started",
        "debt_arrangement",
        "referred_onwards",
        "advice_only",
        "other",
    ]
    # The legal grounds on which a coordinator may refer without a covering consent in an
    # emergency (GDPR art. 6(1)(d) vital interests, (c) legal obligation, (e) public task).
    consent_override_grounds: list[str] = ["vital_interest", "legal_obligation", "public_task"]
    # Why a coordinator moves work to a partner of their choice.
    # Why a coordinator gives a participant a lead partner of their own (issue 17).
    lead_partner_reasons: list[str] = [
        "continuity_of_care",
        "main_activity_elsewhere",
        "participant_preference",
        "back_to_programme_default",
        "other",
    ]
    # Why an interpreter partner declines an interpreter request (issue 17 item 6).
    interpreter_decline_reasons: list[str] = [
        "no_interpreter_available",
        "language_not_offered",
        "too_short_notice",
        "other",
    ]
    reassign_reasons: list[str] = [
        "partner_at_capacity",
        "no_answer",
        "expertise",
        "continuity_of_care",
        "participant_preference",
        "other",
    ]
    # Why a confirmed placement ends before its time.
    placement_end_reasons: list[str] = [
        "employer_dropped_out",
        "participant_withdrew",
        "not_suitable",
        "participant_ill",
        "other",
    ]
    # Issue 17: how often a job coach checks in on a placement unless the placement sets
    # its own rhythm (days), and which end reasons let a request be served again with a
    # replacement placement.
    check_in_every_days: int = Field(default=14, ge=1, le=366)
    # Why a programme does not offer a task of the route (no partner is responsible).
    task_not_offered_reasons: list[str] = [
        "offered_by_municipality",
        "not_contracted",
        "no_provider_available",
        "other",
    ]
    placement_replaceable_reasons: list[str] = ["employer_dropped_out"]
    placement_decline_reasons: list[str] = [
        "no_workplace_available",
        "hours_not_feasible",
        "support_not_available",
        "other",
    ]

    def precondition_rules(self) -> dict[str, KindRule]:
        """Every precondition kind support arranges: the defaults and the configured."""
        return dict(DEFAULT_KINDS) | {
            code: KindRule(k.task, k.capability) for code, k in self.precondition_kinds.items()
        }

    @field_validator("precondition_kinds")
    @classmethod
    def _kind_codes(cls, kinds: dict[str, PreconditionKindIn]) -> dict[str, PreconditionKindIn]:
        for code in kinds:
            if code == "other" or not re.fullmatch(PRECONDITION_CODE_PATTERN, code):
                raise ValueError(f"precondition kind {code!r} is not a snake_case code")
        return kinds

    def urgency_rules(self) -> dict[Urgency, UrgencyRule]:
        """The deadline and escalation rhythm of every urgency (routine from the routine
        settings, the others from ``referral_urgency`` or their defaults)."""
        rules = dict(DEFAULT_RULES)
        rules |= {
            u: UrgencyRule(t.answer_within, t.escalate_every)
            for u, t in self.referral_urgency.items()
        }
        rules[Urgency.ROUTINE] = UrgencyRule(
            self.referral_answer_within, self.referral_escalation_repeat
        )
        return rules

    @model_validator(mode="after")
    def _urgency_in_order(self) -> Settings:
        problems = check_rules(self.urgency_rules())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @field_validator(
        "referral_decline_reasons",
        "referral_status_reasons",
        "referral_outcome_reasons",
        "placement_decline_reasons",
        "referral_reasons",
        "referral_supporting_info",
        "referral_outputs",
        "consent_override_grounds",
        "reassign_reasons",
        "placement_end_reasons",
        "interpreter_decline_reasons",
        "lead_partner_reasons",
    )
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not re.fullmatch(REASON_CODE_PATTERN, code)]
        if bad or not value:
            raise ValueError("reason lists hold at least one snake_case code")
        return value
