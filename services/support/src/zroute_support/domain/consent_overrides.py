"""The audited emergency override of consent (issue 17, after Primero's consent-gated
referrals): a coordinator may refer without a covering consent, giving a legal ground from
the configured list and a reason in words. The override is an audit record readable by
the caseworker and the coordinator; its event (codes only) tells the caseworker. Without
an override, a referral without consent is refused as ever: it never happens silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from zroute_contract.events.base import Event
from zroute_contract.events.support import ConsentOverridden


@dataclass
class ConsentOverride:
    override_id: UUID
    participant_ref: str
    programme_id: str
    legal_ground: str
    reason: str
    overridden_by: str
    overridden_at: datetime
    referral_id: UUID | None = None
    waiting_entry: UUID | None = None
    events: list[Event] = field(default_factory=list)

    @classmethod
    def new(
        cls,
        *,
        participant_ref: str,
        programme_id: str,
        legal_ground: str,
        reason: str,
        overridden_by: str,
        overridden_at: datetime,
    ) -> ConsentOverride:
        """An override not yet attached to its referral (its id stands in for the consent)."""
        return cls(
            uuid4(),
            participant_ref,
            programme_id,
            legal_ground,
            reason,
            overridden_by,
            overridden_at,
        )

    def applied(self, referral_id: UUID | None, waiting_entry: UUID | None) -> None:
        """The referral made under it (or the waiting-list entry): recorded and reported."""
        self.referral_id, self.waiting_entry = referral_id, waiting_entry
        self.events.append(
            ConsentOverridden(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                override_id=self.override_id,
                referral_id=referral_id,
                legal_ground=self.legal_ground,
                overridden_by=self.overridden_by,
                overridden_at=self.overridden_at,
            )
        )
