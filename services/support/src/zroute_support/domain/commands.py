"""What a caller asks the support service to do (imperatives; events say what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from zroute_contract.events.codes import CareCategory, NeedSeverity, Urgency


@dataclass(frozen=True)
class RequestReferral:
    """A caseworker's or coordinator's referral of a participant, under a consent on
    record; ``partner_id`` names the care partner, else the agreement does."""

    participant_ref: str
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID
    partner_id: str | None = None
