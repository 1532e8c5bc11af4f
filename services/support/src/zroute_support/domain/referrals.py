"""A closed-loop care referral (lesson L5): the aggregate and the events it causes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    CareCategory,
    NeedSeverity,
    ReferralCancelReason,
    ReferralSide,
    ReferralStatus,
    Urgency,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_contract.events.support import (
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralEscalated,
    ReferralRequested,
    ReferralStatusChanged,
)

from zroute_support.domain import referral_states
from zroute_support.domain.errors import Refused

S = ReferralStatus


@dataclass(frozen=True)
class Outcome:
    """How a referral closed, as the referrer can act on it (after Primero)."""

    successful: bool
    service_delivered: bool
    delivered_on: date | None = None
    reason: str | None = None
    # What was delivered (FHIR Task.output): codes from the configured list, and words
    # when codes do not say it all. Both stay in support (the event has the flags only).
    delivered: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Referral:
    referral_id: UUID
    participant_ref: str
    programme_id: str
    partner_id: str
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID
    referrer: ContactPersonRef
    answer_due_by: datetime
    signal_id: UUID | None = None
    rerouted_from: UUID | None = None
    consent_overridden: bool = False
    status: ReferralStatus = S.REQUESTED
    reason: str | None = None
    outcome: Outcome | None = None
    escalation_level: int = 0
    # Who makes the transition being stored: a user's token subject, or ``system`` for
    # the service's own moves (consent withdrawn, escalation); kept in the history.
    acted_by: str = "system"
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @classmethod
    def request(cls, **fields: object) -> Referral:
        referral = cls(**fields)  # type: ignore[arg-type]
        referral.events.append(
            ReferralRequested(
                **referral._ids(),
                category=referral.category,
                severity=referral.severity,
                urgency=referral.urgency,
                consent_id=referral.consent_id,
                signal_id=referral.signal_id,
                referrer=referral.referrer,
                answer_due_by=referral.answer_due_by,
                rerouted_from=referral.rerouted_from,
                consent_overridden=referral.consent_overridden,
            )
        )
        return referral

    @property
    def is_open(self) -> bool:
        return self.status in referral_states.OPEN

    def _ids(self) -> dict[str, object]:
        return {
            "participant_ref": self.participant_ref,
            "programme_id": self.programme_id,
            "referral_id": self.referral_id,
            "partner_id": self.partner_id,
        }

    def _move(self, target: ReferralStatus, side: ReferralSide) -> ReferralStatus:
        referral_states.check(self.status, target, side)
        previous, self.status = self.status, target
        return previous

    def accept(self, side: ReferralSide) -> None:
        self._move(S.ACCEPTED, side)
        self.events.append(ReferralAccepted(**self._ids()))

    def decline(self, side: ReferralSide, reason: str, *, rerouting: bool) -> None:
        self._move(S.REJECTED, side)
        self.reason = reason
        self.events.append(ReferralDeclined(**self._ids(), reason=reason, rerouting=rerouting))

    def start(self, side: ReferralSide) -> None:
        self._changed(S.IN_PROGRESS, side, None)

    def hold(self, side: ReferralSide, reason: str) -> None:
        self._changed(S.ON_HOLD, side, reason)

    def fail(self, side: ReferralSide, reason: str) -> None:
        self._changed(S.FAILED, side, reason)

    def _changed(self, target: ReferralStatus, side: ReferralSide, reason: str | None) -> None:
        previous = self._move(target, side)
        self.reason = reason
        self.events.append(
            ReferralStatusChanged(
                **self._ids(),
                status=target,
                previous_status=previous,
                changed_by=side,
                reason=reason,
            )
        )

    def complete(self, side: ReferralSide, outcome: Outcome) -> None:
        if outcome.service_delivered and outcome.delivered_on is None:
            raise Refused("a delivered service needs the day it was delivered (delivered_on)")
        if not outcome.successful and outcome.reason is None:
            raise Refused("an unsuccessful outcome needs a reason")
        self._move(S.COMPLETED, side)
        self.outcome = outcome
        self.reason = outcome.reason
        self.events.append(
            ReferralCompleted(
                **self._ids(),
                successful=outcome.successful,
                service_delivered=outcome.service_delivered,
                delivered_on=outcome.delivered_on,
                reason=outcome.reason,
            )
        )

    def cancel(self, side: ReferralSide, reason: ReferralCancelReason) -> None:
        self._move(S.CANCELLED, side)
        self.reason = reason.value
        self.events.append(ReferralCancelled(**self._ids(), reason=reason))

    def escalate(self) -> bool:
        """Escalate an unanswered referral; False (nothing happens) once it was answered."""
        if self.status is not S.REQUESTED:
            return False
        self.escalation_level += 1
        self.events.append(
            ReferralEscalated(
                **self._ids(),
                status=self.status,
                answer_due_by=self.answer_due_by,
                level=min(self.escalation_level, 10),
            )
        )
        return True
