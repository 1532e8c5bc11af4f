"""Request and response schemas of ``/referrals`` (never the table rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints
from zroute_contract.events.codes import (
    CareCategory,
    NeedSeverity,
    ReferralCancelReason,
    ReferralStatus,
    Urgency,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_contract.types import ParticipantRef, PartnerId, ReasonCode

from zroute_support.domain.commands import OverrideConsent, ReferralReason, RequestReferral
from zroute_support.domain.consent_overrides import ConsentOverride
from zroute_support.domain.referral_context import MAX_TEXT, Message, ReferralContext
from zroute_support.domain.referrals import Outcome, Referral
from zroute_support.domain.routing import WaitCode

Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
"""Words (a note, a message, a reason): kept in support, never on the bus."""


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
    delivered: list[str] = []
    outcome_note: str | None = None
    escalation_level: int
    consent_overridden: bool = False

    @classmethod
    def of(cls, r: Referral) -> ReferralOut:
        o = r.outcome
        return cls(
            **{k: getattr(r, k) for k in cls.model_fields if hasattr(r, k) and k != "reason"},
            reason=r.reason,
            successful=o.successful if o else None,
            service_delivered=o.service_delivered if o else None,
            delivered_on=o.delivered_on if o else None,
            delivered=list(o.delivered) if o else [],
            outcome_note=o.note if o else None,
        )


class OverrideIn(BaseModel):
    """An emergency referral without a covering consent (coordinators only)."""

    legal_ground: ReasonCode
    reason: Text


class ReferralIn(BaseModel):
    participant_ref: ParticipantRef
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency = Urgency.ROUTINE
    # Required unless ``consent_override`` is given (422 without either, as before).
    consent_id: UUID | None = None
    partner_id: PartnerId | None = None
    consent_override: OverrideIn | None = None
    # Why, and what supports it: codes from the configured lists, a note in words.
    reason_code: ReasonCode | None = None
    supporting_info: list[ReasonCode] = Field(default=[], max_length=20)
    note: Text | None = None

    def command(self) -> RequestReferral:
        """The command this body asks for."""
        override = self.consent_override
        given = self.reason_code or self.supporting_info or self.note
        return RequestReferral(
            participant_ref=self.participant_ref,
            category=self.category,
            severity=self.severity,
            urgency=self.urgency,
            consent_id=self.consent_id,
            partner_id=self.partner_id,
            override=OverrideConsent(override.legal_ground, override.reason) if override else None,
            context=ReferralReason(self.reason_code, tuple(self.supporting_info), self.note)
            if given
            else None,
        )


class RequestedOut(BaseModel):
    """The referral sent, or why it waits."""

    referral: ReferralOut | None
    waiting_reason: str | None = None
    waiting_reason_code: WaitCode | None = None
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
    # What was delivered (FHIR Task.output): codes from the list, words where needed.
    delivered: list[ReasonCode] = Field(default=[], max_length=20)
    note: Text | None = None

    def outcome(self) -> Outcome:
        """The outcome the referral closes with."""
        return Outcome(
            self.successful,
            self.service_delivered,
            self.delivered_on,
            self.reason,
            tuple(self.delivered),
            self.note,
        )


class CancelIn(BaseModel):
    reason: Literal[ReferralCancelReason.REFERRER_CANCELLED, ReferralCancelReason.NO_LONGER_NEEDED]


class MessageIn(BaseModel):
    body: Text


class MessageOut(BaseModel):
    message_id: UUID
    side: str
    author: str
    body: str
    sent_at: datetime

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        return cls(
            message_id=m.message_id,
            side=m.side.value,
            author=m.author,
            body=m.body,
            sent_at=m.sent_at,
        )


class ContextOut(BaseModel):
    """What the referral says besides its codes, and its message thread."""

    referral_id: UUID
    reason_code: str | None = None
    supporting_info: list[str] = []
    note: str | None = None
    recorded_by: str | None = None
    recorded_at: datetime | None = None
    messages: list[MessageOut]

    @classmethod
    def of(cls, referral_id: UUID, c: ReferralContext | None, thread: list[Message]) -> ContextOut:
        return cls(
            referral_id=referral_id,
            reason_code=c.reason_code if c else None,
            supporting_info=list(c.supporting_info) if c else [],
            note=c.note if c else None,
            recorded_by=c.recorded_by if c else None,
            recorded_at=c.recorded_at if c else None,
            messages=[MessageOut.of(m) for m in thread],
        )


class ReassignIn(BaseModel):
    partner_id: PartnerId
    reason: ReasonCode


class OverrideOut(BaseModel):
    """One emergency consent override, as the audit trail holds it."""

    override_id: UUID
    participant_ref: str
    programme_id: str
    referral_id: UUID | None
    waiting_entry: UUID | None
    legal_ground: str
    reason: str
    overridden_by: str
    overridden_at: datetime

    @classmethod
    def of(cls, o: ConsentOverride) -> OverrideOut:
        return cls(**{k: getattr(o, k) for k in cls.model_fields})
