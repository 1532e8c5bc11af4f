"""The outcome of the broad intake and its rules: coded needs per life domain, levels,
preconditions, availability, goals, care signals and the route decision (the PIP's input)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.events.codes import (
    HEALTH_DOMAINS,
    CareCategory,
    CorrectionReason,
    Goal,
    LanguageLevel,
    LearnabilityBand,
    LifeDomain,
    Literacy,
    NeedSeverity,
    Route,
    RouteReason,
    Urgency,
)
from zroute_contract.events.intake import CareSignal, ChildcareNeed, DomainNeed, TransportNeed
from zroute_contract.events.parts import AvailabilitySlot

from zroute_intake.domain.broad_intake import BroadIntake


@dataclass(frozen=True)
class CareSignalEntry:
    """A care need the intake noticed (a health detail: addressed events only)."""

    signal_id: UUID
    domain: LifeDomain
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency


# The life domain each care category belongs to.
CATEGORY_DOMAINS = {
    CareCategory.PHYSICAL_CARE: LifeDomain.HEALTH_PHYSICAL,
    CareCategory.MENTAL_HEALTH_CARE: LifeDomain.HEALTH_PSYCHOLOGICAL,
    CareCategory.DEBT_FINANCE: LifeDomain.FINANCES,
}

Z_ROUTE_REASONS = frozenset(
    {
        RouteReason.LOW_LEARNABILITY,
        RouteReason.LITERACY,
        RouteReason.CARE_NEEDS,
        RouteReason.COMBINED,
    }
)
OTHER_ROUTE_REASONS = {
    Route.B1_ROUTE: frozenset({RouteReason.LEARNABILITY_SUFFICIENT}),
    Route.EDUCATION_ROUTE: frozenset({RouteReason.EDUCATION_LEVEL}),
}


@dataclass(frozen=True)
class Outcome:
    """What the broad intake established over the life domains: the PIP's input."""

    language_level: LanguageLevel
    literacy: Literacy
    learnability_band: LearnabilityBand
    needs: tuple[DomainNeed, ...]
    childcare: ChildcareNeed
    transport: TransportNeed
    availability: tuple[AvailabilitySlot, ...]
    goals: tuple[Goal, ...]
    route: Route
    route_reason: RouteReason
    care_signals: tuple[CareSignalEntry, ...] = ()
    broad_intake: BroadIntake | None = None
    """The written record of B 5.2 (kept in intake, never on the bus)."""
    other_preconditions: tuple[str, ...] = ()
    """Configured precondition kinds besides childcare and transport to arrange before the
    start (issue 17 item 8), by code, such as ``digital_device``."""

    def precondition_problems(self, configured: Collection[str]) -> list[str]:
        """The kinds named that this service is not configured for (or named twice)."""
        found: list[str] = []
        if len(set(self.other_preconditions)) != len(self.other_preconditions):
            found.append("other_preconditions: name each kind at most once")
        for code in self.other_preconditions:
            if code not in configured:
                known = ", ".join(sorted(configured)) or "none"
                found.append(
                    f"other_preconditions: {code} is not a configured precondition kind"
                    f" (configured: {known})"
                )
        return found

    def problems(self) -> list[str]:
        """Every rule the outcome breaks, as reasons a caseworker can act on."""
        return [
            *self._need_problems(),
            *self._route_problems(),
            *self._care_signal_problems(),
            *(self.broad_intake.problems() if self.broad_intake else []),
        ]

    def _need_problems(self) -> list[str]:
        found: list[str] = []
        domains = [need.domain for need in self.needs]
        if len(set(domains)) != len(domains):
            found.append("needs: name each life domain at most once")
        if any(domain in HEALTH_DOMAINS for domain in domains):
            found.append("needs: record health domains as care_signals, not as needs")
        if self.childcare.needed and not self.childcare.child_ages:
            found.append("childcare: give the ages of the children who need care")
        if self.transport.needed and not self.transport.modes:
            found.append("transport: name at least one transport mode that would work")
        if not self.goals:
            found.append("goals: agree at least one goal for the PIP")
        return found

    def _route_problems(self) -> list[str]:
        found: list[str] = []
        if self.route is Route.Z_ROUTE:
            if self.route_reason not in Z_ROUTE_REASONS:
                allowed = ", ".join(sorted(Z_ROUTE_REASONS))
                found.append(f"route_reason: the Z-route needs one of {allowed}")
            if not self.availability:
                found.append("availability: give at least one part of the week for the Z-route")
        elif self.route_reason not in OTHER_ROUTE_REASONS[self.route]:
            allowed = ", ".join(sorted(OTHER_ROUTE_REASONS[self.route]))
            found.append(f"route_reason: the {self.route} needs {allowed}")
        return found

    def _care_signal_problems(self) -> list[str]:
        found: list[str] = []
        ids = [signal.signal_id for signal in self.care_signals]
        if len(set(ids)) != len(ids):
            found.append("care_signals: each signal_id must be unique")
        for signal in self.care_signals:
            if CATEGORY_DOMAINS[signal.category] is not signal.domain:
                found.append(
                    f"care_signals: category {signal.category} belongs to life domain "
                    f"{CATEGORY_DOMAINS[signal.category]}, not {signal.domain}"
                )
        return found


@dataclass(frozen=True)
class OutcomeRecord:
    """One recorded version of the outcome: the completion, then each correction."""

    outcome: Outcome
    recorded_on: date
    recorded_by: str
    correction_reason: CorrectionReason | None = None


def event_fields(outcome: Outcome) -> dict[str, object]:
    """The coded fields ``intake-completed`` and ``intake-corrected`` carry (no care signals)."""
    return {
        "language_level": outcome.language_level,
        "literacy": outcome.literacy,
        "learnability_band": outcome.learnability_band,
        "needs": outcome.needs,
        "childcare": outcome.childcare,
        "transport": outcome.transport,
        "other_preconditions": outcome.other_preconditions,
        "availability": outcome.availability,
        "goals": outcome.goals,
        "route": outcome.route,
        "route_reason": outcome.route_reason,
    }


def care_signals(
    outcome: Outcome, consent_for: Callable[[UUID], UUID | None]
) -> tuple[CareSignal, ...]:
    """The outcome's care signals as the addressed event carries them, with their consent."""
    return tuple(
        CareSignal(
            signal_id=entry.signal_id,
            domain=entry.domain,
            category=entry.category,
            severity=entry.severity,
            urgency=entry.urgency,
            consent_id=consent_for(entry.signal_id),
        )
        for entry in outcome.care_signals
    )
