"""The participant's consents (toestemming): a referral goes out only under one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.consent import consent_covers_referral, consent_in_force
from zroute_contract.events.codes import CareCategory, ConsentPurpose


@dataclass(frozen=True)
class Consent:
    consent_id: UUID
    participant_ref: str
    purpose: ConsentPurpose
    care_signal_ids: tuple[UUID, ...] = ()
    given_on: date = date.min
    valid_until: date | None = None
    withdrawn_on: date | None = None

    def in_force(self, day: date) -> bool:
        return consent_in_force(
            given_on=self.given_on,
            valid_until=self.valid_until,
            withdrawn_on=self.withdrawn_on,
            day=day,
        )

    def covers_referral(
        self,
        day: date,
        signal_id: UUID | None = None,
        *,
        category: CareCategory | None = None,
        signal_categories: Mapping[UUID, CareCategory] | None = None,
    ) -> bool:
        """True when this consent allows a care referral on ``day``: of the signal, or a
        manual one in ``category`` (the contract's rule, ``consent_covers_referral``)."""
        return self.in_force(day) and consent_covers_referral(
            purpose=self.purpose,
            care_signal_ids=self.care_signal_ids,
            signal_id=signal_id,
            category=category,
            signal_categories=signal_categories,
        )
