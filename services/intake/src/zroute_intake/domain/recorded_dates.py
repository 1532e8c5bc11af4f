"""The dates of things that happened already, as a caseworker or DUO's message records
them: DUO's notice, the BRP registration, information asked for and received, and DUO's
decisions. None can lie after today, and those of the integration obligation itself not
before the Wet inburgering 2021 came into force. A year 4151 or 0010 is a typing mistake,
and recording it would move the PIP's deadline or the term by centuries."""

from __future__ import annotations

from datetime import date

from zroute_intake.domain.errors import InvalidRequest

# The Wet inburgering 2021 applies from 1 January 2022 (the Besluit's first version, B22
# in LEGAL.md, is of that day): no obligation under it, hence no notice, wait or decision
# of one, comes earlier.
IN_FORCE = date(2022, 1, 1)


def check_happened(field: str, day: date, today: date, *, under_the_act: bool = True) -> None:
    """Refuse ``day`` for ``field`` when it lies after ``today`` or, for a fact of the
    obligation (``under_the_act``), before the act came into force."""
    if day > today:
        raise InvalidRequest(
            f"{field}: {day} lies after today ({today}); record it once it has happened"
        )
    if under_the_act and day < IN_FORCE:
        raise InvalidRequest(
            f"{field}: {day} lies before {IN_FORCE}, when the Wet inburgering 2021 came into force"
        )
