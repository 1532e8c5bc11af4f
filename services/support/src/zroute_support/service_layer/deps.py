"""The service's rules as the handlers need them: taken from the settings once, in the
bootstrap (``Deps.from_settings``), and handed to every handler and route."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zroute_contract.events.codes import Urgency
from zroute_runtime.settings import ServiceSettings

from zroute_support.domain.errors import Refused
from zroute_support.domain.precondition_kinds import DEFAULT_KINDS, KindRule
from zroute_support.domain.urgency import DEFAULT_RULES, UrgencyRule
from zroute_support.settings import Settings


@dataclass(frozen=True)
class Deps:
    """Escalation, the configurable reason lists and the deadlines per urgency
    (docs/support.md)."""

    max_escalations: int
    reroute_on_decline: bool
    decline_reasons: tuple[str, ...]
    status_reasons: tuple[str, ...]
    outcome_reasons: tuple[str, ...]
    placement_decline_reasons: tuple[str, ...]
    referral_reasons: tuple[str, ...] = ()
    referral_supporting_info: tuple[str, ...] = ()
    referral_outputs: tuple[str, ...] = ()
    consent_override_grounds: tuple[str, ...] = ()
    reassign_reasons: tuple[str, ...] = ()
    placement_end_reasons: tuple[str, ...] = ()
    public_base_url: str | None = None
    # Days between job-coach check-ins unless a placement sets its own (issue 17).
    check_in_every_days: int = 14
    # End reasons after which a request is served again by a replacement placement.
    placement_replaceable_reasons: frozenset[str] = frozenset({"employer_dropped_out"})
    # Why a programme may leave a task not offered.
    task_not_offered_reasons: tuple[str, ...] = (
        "offered_by_municipality",
        "not_contracted",
        "no_provider_available",
        "other",
    )
    # Why an interpreter partner declines an interpreter request.
    interpreter_decline_reasons: tuple[str, ...] = (
        "no_interpreter_available",
        "language_not_offered",
        "too_short_notice",
        "other",
    )
    # Why a coordinator gives a participant a lead partner of their own.
    lead_partner_reasons: tuple[str, ...] = (
        "continuity_of_care",
        "main_activity_elsewhere",
        "participant_preference",
        "back_to_programme_default",
        "other",
    )
    # Where work overflows when the responsible partner cannot take it (partner ids).
    overflow_order: tuple[str, ...] = ()
    # The answer deadline and escalation rhythm per urgency.
    urgency_rules: Mapping[Urgency, UrgencyRule] = field(default_factory=lambda: DEFAULT_RULES)
    # The precondition kinds support arranges, by code (issue 17 item 8).
    precondition_kinds: Mapping[str, KindRule] = field(default_factory=lambda: DEFAULT_KINDS)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Deps:
        """The rules of ``settings`` (support's own, or the defaults for shared ones)."""
        s = settings if isinstance(settings, Settings) else Settings()
        return cls(
            max_escalations=s.referral_max_escalations,
            reroute_on_decline=s.referral_reroute_on_decline,
            decline_reasons=tuple(s.referral_decline_reasons),
            status_reasons=tuple(s.referral_status_reasons),
            outcome_reasons=tuple(s.referral_outcome_reasons),
            placement_decline_reasons=tuple(s.placement_decline_reasons),
            referral_reasons=tuple(s.referral_reasons),
            referral_supporting_info=tuple(s.referral_supporting_info),
            referral_outputs=tuple(s.referral_outputs),
            consent_override_grounds=tuple(s.consent_override_grounds),
            reassign_reasons=tuple(s.reassign_reasons),
            placement_end_reasons=tuple(s.placement_end_reasons),
            public_base_url=settings.public_base_url,
            check_in_every_days=s.check_in_every_days,
            placement_replaceable_reasons=frozenset(s.placement_replaceable_reasons),
            task_not_offered_reasons=tuple(s.task_not_offered_reasons),
            overflow_order=tuple(s.overflow_order),
            interpreter_decline_reasons=tuple(s.interpreter_decline_reasons),
            lead_partner_reasons=tuple(s.lead_partner_reasons),
            urgency_rules=s.urgency_rules(),
            precondition_kinds=s.precondition_rules(),
        )


def check_codes(codes: Sequence[str], allowed: Sequence[str], what: str) -> None:
    """Refuse any code that is not on the configured list."""
    for code in codes:
        check_reason(code, allowed, what)


def check_reason(code: str | None, allowed: Sequence[str], what: str) -> None:
    """Refuse a reason code that is not on the configured list."""
    if code is not None and code not in allowed:
        raise Refused(f"{what} reason {code!r} is not one of: {', '.join(allowed)}")
