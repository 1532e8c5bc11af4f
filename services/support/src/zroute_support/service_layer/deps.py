"""The service's rules as the handlers need them: taken from the settings once, in the
bootstrap (``Deps.from_settings``), and handed to every handler and route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from zroute_runtime.settings import ServiceSettings

from zroute_support.domain.errors import Refused
from zroute_support.settings import Settings


@dataclass(frozen=True)
class Deps:
    """Deadlines, escalation and the configurable reason lists (docs/support.md)."""

    answer_within: timedelta
    escalation_repeat: timedelta
    max_escalations: int
    reroute_on_decline: bool
    decline_reasons: tuple[str, ...]
    status_reasons: tuple[str, ...]
    outcome_reasons: tuple[str, ...]
    placement_decline_reasons: tuple[str, ...]
    public_base_url: str | None = None

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Deps:
        """The rules of ``settings`` (support's own, or the defaults for shared ones)."""
        s = settings if isinstance(settings, Settings) else Settings()
        return cls(
            answer_within=s.referral_answer_within,
            escalation_repeat=s.referral_escalation_repeat,
            max_escalations=s.referral_max_escalations,
            reroute_on_decline=s.referral_reroute_on_decline,
            decline_reasons=tuple(s.referral_decline_reasons),
            status_reasons=tuple(s.referral_status_reasons),
            outcome_reasons=tuple(s.referral_outcome_reasons),
            placement_decline_reasons=tuple(s.placement_decline_reasons),
            public_base_url=settings.public_base_url,
        )


def check_reason(code: str | None, allowed: Sequence[str], what: str) -> None:
    """Refuse a reason code that is not on the configured list."""
    if code is not None and code not in allowed:
        raise Refused(f"{what} reason {code!r} is not one of: {', '.join(allowed)}")
