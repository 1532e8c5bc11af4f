"""The participant's consents (toestemming): a referral goes out only under one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.events.codes import ConsentPurpose


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
        return (
            self.withdrawn_on is None
            and self.given_on <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def covers_referral(self, day: date, signal_id: UUID | None = None) -> bool:
        """True when this consent allows a care referral on ``day`` (for the signal, if any).

        A care-referral consent that lists signals covers those; one listing none covers
        a caseworker's referral for the participant.
        """
        if self.purpose is not ConsentPurpose.CARE_REFERRAL or not self.in_force(day):
            return False
        if signal_id is None or not self.care_signal_ids:
            return True
        return signal_id in self.care_signal_ids
