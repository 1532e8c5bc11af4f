"""What a caller asks the support service to do (imperatives; events say what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from zroute_contract.events.codes import CareCategory, NeedSeverity, Urgency


@dataclass(frozen=True)
class OverrideConsent:
    """A coordinator's emergency override: the legal ground (a code) and why (words)."""

    legal_ground: str
    reason: str


@dataclass(frozen=True)
class ReferralReason:
    """Why a referral is made (a code), what supports it (codes) and a note (words)."""

    reason_code: str | None = None
    supporting_info: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class RequestReferral:
    """A caseworker's or coordinator's referral of a participant, under a consent on
    record or a coordinator's override; ``partner_id`` names the care partner, else the
    agreement does."""

    participant_ref: str
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID | None
    partner_id: str | None = None
    override: OverrideConsent | None = None
    context: ReferralReason | None = None


@dataclass(frozen=True)
class Reassign:
    """Move a referral or a waiting-list entry to a chosen partner, with a reason."""

    item_id: UUID
    partner_id: str
    reason: str
