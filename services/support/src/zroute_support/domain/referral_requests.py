"""What a referral asks for before a partner is chosen (kept on the waiting list as JSON),
and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import CareCategory, NeedSeverity, Urgency
from zroute_contract.events.parts import ContactPersonRef

from zroute_support.domain.referral_context import ReferralContext
from zroute_support.domain.referrals import Referral
from zroute_support.domain.routing import WaitingReason


@dataclass(frozen=True)
class ReferralRequest:
    """What a referral asks for, before a partner is chosen."""

    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID
    referrer: ContactPersonRef
    signal_id: UUID | None = None
    rerouted_from: UUID | None = None
    exclude: tuple[str, ...] = ()
    # An emergency override stands in for the consent (``consent_id`` is its id).
    consent_overridden: bool = False
    context: ReferralContext | None = None
    # Who asked for the referral (a token subject, or ``system`` for a care signal).
    requested_by: str = "system"

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "severity": self.severity.value,
            "urgency": self.urgency.value,
            "consent_id": str(self.consent_id),
            "referrer": self.referrer.model_dump(mode="json"),
            "signal_id": str(self.signal_id) if self.signal_id else None,
            "rerouted_from": str(self.rerouted_from) if self.rerouted_from else None,
            "exclude": list(self.exclude),
            "consent_overridden": self.consent_overridden,
            "context": self.context.to_json() if self.context else None,
            "requested_by": self.requested_by,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferralRequest:
        return cls(
            category=CareCategory(data["category"]),
            severity=NeedSeverity(data["severity"]),
            urgency=Urgency(data["urgency"]),
            consent_id=UUID(data["consent_id"]),
            referrer=ContactPersonRef.model_validate(data["referrer"]),
            signal_id=UUID(data["signal_id"]) if data.get("signal_id") else None,
            rerouted_from=UUID(data["rerouted_from"]) if data.get("rerouted_from") else None,
            exclude=tuple(data.get("exclude", ())),
            consent_overridden=bool(data.get("consent_overridden", False)),
            context=ReferralContext.from_json(data["context"]) if data.get("context") else None,
            requested_by=str(data.get("requested_by") or "system"),
        )


@dataclass(frozen=True)
class Referred:
    """The referral sent, or the waiting-list entry and why."""

    referral: Referral | None
    waiting_entry: UUID | None = None
    waiting_reason: WaitingReason | None = None
