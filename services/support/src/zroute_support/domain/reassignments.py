"""A coordinator's manual reassignment (issue 17): a referral, or work waiting for a
partner, moved to a chosen partner with a reason, within the task division or as a
recorded exception to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.support import ReferralReassigned


@dataclass
class Reassignment:
    kind: str  # referral | waiting_referral | placement
    item_id: UUID
    participant_ref: str
    programme_id: str
    from_partner: str | None
    to_partner: str
    reason: str
    exception: bool
    reassigned_by: str
    reassigned_at: datetime
    events: list[Event] = field(default_factory=list)

    def referral_moved(self, new_referral: UUID, previous_referral: UUID | None) -> None:
        """Report the move of a referral (the new one names the chosen partner)."""
        self.events.append(
            ReferralReassigned(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                referral_id=new_referral,
                partner_id=self.to_partner,
                previous_referral_id=previous_referral,
                previous_partner_id=self.from_partner,
                reason=self.reason,
                exception=self.exception,
                reassigned_by=self.reassigned_by,
            )
        )
