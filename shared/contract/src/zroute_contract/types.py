"""Identifier and code types shared by every event.

They are constrained strings so that a value that could carry personal data (a BSN, a
name) cannot pass for an identifier: a participant reference is a random token minted
by the intake service, never derived from the BSN.
"""

from __future__ import annotations

import re
import uuid
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

PARTICIPANT_REF_PATTERN = r"^zr-[0-9a-f]{32}$"
PARTNER_ID_PATTERN = r"^[a-z][a-z0-9-]{1,62}$"
MUNICIPALITY_CODE_PATTERN = r"^GM[0-9]{4}$"

ParticipantRef = Annotated[str, StringConstraints(pattern=PARTICIPANT_REF_PATTERN)]
"""Pseudonymous participant reference, ``zr-`` and 32 hex digits; the CloudEvents subject."""

PartnerId = Annotated[str, StringConstraints(pattern=PARTNER_ID_PATTERN)]
"""A partner's identifier: lowercase letters, digits and dashes, usable as a routing-key word.
It starts with a letter, so that no number (a BSN least of all) passes for one."""

MunicipalityCode = Annotated[str, StringConstraints(pattern=MUNICIPALITY_CODE_PATTERN)]
"""CBS municipality code (gemeentecode), for example ``GM0363`` for Amsterdam."""

ProgrammeId = Annotated[str, StringConstraints(pattern=PARTNER_ID_PATTERN)]
"""A programme (one municipality's Z-route offer), same shape as a partner id."""


def new_participant_ref() -> str:
    """Mint a fresh random participant reference (no relation to any personal data)."""
    return f"zr-{uuid.uuid4().hex}"


def is_participant_ref(value: str) -> bool:
    """True when ``value`` has the shape of a participant reference."""
    return re.fullmatch(PARTICIPANT_REF_PATTERN, value) is not None


# Added with the event catalogue: identifiers the events share beyond the four above.

STAFF_REF_PATTERN = (
    r"^([A-Za-z][A-Za-z0-9_-]{1,63}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"
REASON_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,62}$"

StaffRef = Annotated[str, StringConstraints(pattern=STAFF_REF_PATTERN)]
"""A staff member (caseworker, teacher, job coach) as their organisation's system knows
them, for example the OIDC subject: a token starting with a letter, or a UUID. No dots
or ``@`` (never an e-mail address) and never a bare number (never a BSN)."""

EmployerId = Annotated[str, StringConstraints(pattern=PARTNER_ID_PATTERN)]
"""An employer offering workplaces, as registered in the support service."""

LocationId = Annotated[str, StringConstraints(pattern=PARTNER_ID_PATTERN)]
"""A place (an intake office, a classroom building, a workplace) by its registered id,
never by its address."""

LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_CODE_PATTERN)]
"""An ISO 639-1 or 639-3 language code, for example ``ar``, ``ti`` or ``prs``."""

ReasonCode = Annotated[str, StringConstraints(pattern=REASON_CODE_PATTERN)]
"""A reason or outcome from a list the operating service configures (snake_case code)."""


_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` is exactly nine ASCII digits passing the elfproef.

    The BSN (burgerservicenummer) never travels in an event; the contract holds the check
    so that every service and a partner's own system recognise one the same way. All
    zeros passes the arithmetic but is no BSN, so it is rejected.
    """
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    if value == "000000000":
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _BSN_WEIGHTS, strict=True))
    return total % 11 == 0


# Added with issue 13 (strict formats): a weekly session's clock time.

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$"


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local time carries no UTC offset")
    return value


LocalTime = Annotated[
    time,
    AfterValidator(_without_offset),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN}),
]
"""A wall-clock time in Europe/Amsterdam, ``HH:MM:SS`` without a UTC offset (RFC 3339
``partial-time``). A weekly session starts at 13:30 in winter and in summer, so its
offset changes with daylight saving time and is not part of the value. Not JSON
Schema's ``"format": "time"``, which requires an offset (``full-time``)."""
