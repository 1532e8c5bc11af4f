"""Request and response schemas of ``/referrals`` (never the table rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel
from zroute_contract.events.codes import (
    CareCategory,
    NeedSeverity,
    ReferralCancelReason,
    ReferralStatus,
    Urgency,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_contract.types import ParticipantRef, PartnerId, ReasonCode

from zroute_support.domain.referrals import Outcome, Referral


class ReferralOut(BaseModel):
    referral_id: UUID
    participant_ref: str
    programme_id: str
    partner_id: str
    status: ReferralStatus
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID
    signal_id: UUID | None
    rerouted_from: UUID | None
    referrer: ContactPersonRef
    answer_due_by: datetime
    reason: str | None
    successful: bool | None = None
    service_delivered: bool | None = None
    delivered_on: date | None = None
    escalation_level: int

    @classmethod
    def of(cls, r: Referral) -> ReferralOut:
        o = r.outcome
        return cls(
            **{k: getattr(r, k) for k in cls.model_fields if hasattr(r, k) and k != "reason"},
            reason=r.reason,
            successful=o.successful if o else None,
            service_delivered=o.service_delivered if o else None,
            delivered_on=o.delivered_on if o else None,
        )


class ReferralIn(BaseModel):
    participant_ref: ParticipantRef
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency = Urgency.ROUTINE
    consent_id: UUID
    partner_id: PartnerId | None = None


class RequestedOut(BaseModel):
    """The referral sent, or why it waits."""

    referral: ReferralOut | None
    waiting_reason: str | None = None
    waiting_entry_id: UUID | None = None


class ReasonIn(BaseModel):
    reason: ReasonCode


class DeclineIn(ReasonIn):
    reroute: bool | None = None


class CompleteIn(BaseModel):
    successful: bool
    service_delivered: bool
    delivered_on: date | None = None
    reason: ReasonCode | None = None

    def outcome(self) -> Outcome:
        """The outcome the referral closes with."""
        return Outcome(self.successful, self.service_delivered, self.delivered_on, self.reason)


class CancelIn(BaseModel):
    reason: Literal[ReferralCancelReason.REFERRER_CANCELLED, ReferralCancelReason.NO_LONGER_NEEDED]
