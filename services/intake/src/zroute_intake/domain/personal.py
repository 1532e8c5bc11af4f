"""Personal data of a participant: it never leaves this service.

``repr`` shows no values, so a stray log call or traceback cannot leak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zroute_contract.types import is_valid_bsn

from zroute_intake.domain.errors import InvalidRequest

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class PersonalData:
    """Who the participant is. Held encrypted at rest; erased after retention."""

    bsn: str = field(repr=False)
    given_names: str = field(repr=False)
    family_name: str = field(repr=False)
    date_of_birth: date = field(repr=False)
    street: str = field(repr=False)
    house_number: str = field(repr=False)
    postal_code: str = field(repr=False)
    city: str = field(repr=False)
    phone: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    """Optional: where the participant's own messages go by e-mail as well (issue 18)."""

    def check(self, today: date) -> None:
        """The rules every registration must pass; raises :class:`InvalidRequest`."""
        if not is_valid_bsn(self.bsn):
            raise InvalidRequest(
                "bsn: not a valid BSN (nine digits that pass the elfproef); check the number "
                "on the participant's identity document"
            )
        if self.date_of_birth >= today:
            raise InvalidRequest("date_of_birth: must be before today")
        if self.date_of_birth < EARLIEST_BIRTH_DATE:
            raise InvalidRequest(f"date_of_birth: must be on or after {EARLIEST_BIRTH_DATE}")

    def fields_without_bsn(self) -> dict[str, str | None]:
        """Everything but the BSN, as text (what the adapter encrypts as one record)."""
        return {
            "given_names": self.given_names,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "street": self.street,
            "house_number": self.house_number,
            "postal_code": self.postal_code,
            "city": self.city,
            "phone": self.phone,
            "email": self.email,
        }
