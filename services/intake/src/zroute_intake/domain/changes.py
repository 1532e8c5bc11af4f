"""Changes after registration: the personal data (address, phone, preferred language,
interpreter need) and re-enrolment after a withdrawal, each recorded with its reason, the
acting user (the token subject) and the time.

``PersonalDataChange`` carries new values; its ``repr`` shows none of the personal ones.
The record kept of a change (``RecordedChange``) holds codes only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from zroute_contract.events.codes import PersonalDataChangeReason, PersonalDataField


@dataclass(frozen=True)
class Address:
    """A Dutch address, as registration takes it."""

    street: str = field(repr=False)
    house_number: str = field(repr=False)
    postal_code: str = field(repr=False)
    city: str = field(repr=False)


@dataclass(frozen=True)
class PersonalDataChange:
    """What a caseworker changes; a field left ``None`` stays as it is."""

    reason: PersonalDataChangeReason
    address: Address | None = None
    phone: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    preferred_language: str | None = None
    interpreter_needed: bool | None = None

    def touches_personal(self) -> bool:
        """Whether the change needs the (encrypted) personal data: address, phone, e-mail."""
        return any(v is not None for v in (self.address, self.phone, self.email))


@dataclass(frozen=True)
class RecordedChange:
    """Who changed what (codes), why, and when: the participant's own audit trail."""

    action: str
    """``personal_data_changed``, ``re_enrolled``, ``participant_paused``, ``participant_resumed``,
    ``intake_cancelled``."""
    reason: str
    by: str
    at: datetime
    fields: tuple[PersonalDataField, ...] = ()
