"""Consent (toestemming) per purpose, and the rules for recording one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.consent import consent_covers_referral, consent_in_force
from zroute_contract.events.codes import ConsentPurpose

from zroute_intake.domain.errors import Conflict, InvalidRequest


@dataclass(frozen=True)
class Consent:
    """Consent (toestemming) for one purpose; withdrawn consents stay on record."""

    consent_id: UUID
    purpose: ConsentPurpose
    given_on: date
    partner_id: str | None = None
    care_signal_ids: tuple[UUID, ...] = ()
    valid_until: date | None = None
    withdrawn_on: date | None = None

    def active_on(self, day: date) -> bool:
        return consent_in_force(
            given_on=self.given_on,
            valid_until=self.valid_until,
            withdrawn_on=self.withdrawn_on,
            day=day,
        )


def check_new(
    consent: Consent, *, existing: Sequence[Consent], known_signals: Collection[UUID], today: date
) -> None:
    """Refuse a consent that cannot be recorded, saying why."""
    if any(c.consent_id == consent.consent_id for c in existing):
        raise Conflict("a consent with this consent_id is already recorded")
    if consent.given_on > today:
        raise InvalidRequest("given_on: consent cannot be given in the future")
    if consent.valid_until is not None and consent.valid_until < today:
        raise InvalidRequest("valid_until: the consent would already have expired")
    if consent.purpose is ConsentPurpose.PARTNER_SHARING:
        if consent.partner_id is None:
            raise InvalidRequest("partner_id: a partner_sharing consent names the partner")
        if consent.care_signal_ids:
            raise InvalidRequest("care_signal_ids: only a care_referral consent covers signals")
        return
    if consent.partner_id is not None:
        raise InvalidRequest("partner_id: only a partner_sharing consent names a partner")
    if not consent.care_signal_ids:
        raise InvalidRequest("care_signal_ids: name the care signals the consent covers")
    unknown = [s for s in consent.care_signal_ids if s not in known_signals]
    if unknown:
        raise InvalidRequest(
            "care_signal_ids: not among the participant's current care signals: "
            + ", ".join(str(s) for s in unknown)
        )


def covering(consents: Sequence[Consent], signal_id: UUID, today: date) -> UUID | None:
    """The latest active care-referral consent that covers ``signal_id``."""
    for consent in reversed(consents):
        if (
            consent.care_signal_ids  # intake's consents always name their signals
            and consent_covers_referral(
                purpose=consent.purpose,
                care_signal_ids=consent.care_signal_ids,
                signal_id=signal_id,
            )
            and consent.active_on(today)
        ):
            return consent.consent_id
    return None
