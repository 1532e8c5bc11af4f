"""The integration term (*inburgeringstermijn*, Wet inburgering 2021, art. 11-12).

The obligation must be met within three years, counted from the day after the date of
the PIP (*de dag na die van dagtekening van het persoonlijk plan*). An amended PIP does
not move the start (art. 11(3)): the start is locked to the first established version.
Only DUO moves the end, by an extension it decided (art. 12): the municipality records
the ground, the decision date and the new end as DUO decided them. A release
(*ontheffing*, art. 5) or exemption (*vrijstelling*, art. 4) decided by DUO ends the
obligation, and with it the term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from zroute_intake.domain.errors import InvalidRequest


class ExtensionGround(StrEnum):
    """Why DUO extended the term (Wet inburgering 2021, art. 12(1))."""

    NOT_BLAMEWORTHY = "not_blameworthy"
    """(a) the delay is not the person's fault; the practical path for the Z-route."""
    CONSIDERABLE_EFFORT = "considerable_effort"
    """(b) considerable effort, and an extension will lead to compliance (six months)."""


class ReleaseKind(StrEnum):
    """A decision of DUO that ends the obligation before the route does."""

    EXEMPTION = "exemption"
    """*Vrijstelling* (art. 4)."""
    MEDICAL_RELEASE = "medical_release"
    """*Ontheffing* on medical grounds (art. 5; B 2.7)."""
    SPECIAL_CIRCUMSTANCES_RELEASE = "special_circumstances_release"
    """*Ontheffing* for very exceptional individual circumstances (B 2.8)."""


@dataclass(frozen=True)
class Extension:
    """An extension as DUO decided it."""

    ground: ExtensionGround
    decided_on: date
    new_end: date


@dataclass(frozen=True)
class Release:
    """An exemption or release as DUO decided it; it ends the term on ``effective_on``."""

    kind: ReleaseKind
    decided_on: date
    effective_on: date

    def check_on_record_from(self, registered_on: date) -> None:
        """A release takes effect on or after the participant's registration, as a
        withdrawal, a move and a pause do: the retention runs from ``effective_on``
        (B 9.9), so one dated years back would erase and delete the record at once."""
        if self.effective_on < registered_on:
            raise InvalidRequest(
                f"effective_on: a release takes effect on or after the registration "
                f"({registered_on})"
            )


@dataclass(frozen=True)
class Term:
    """The term as it stands: its locked start, its current end, and an early end."""

    start: date
    end: date
    original_end: date
    ended_on: date | None = None

    @property
    def extended(self) -> bool:
        return self.end != self.original_end

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the end (negative once passed; 0 after a release)."""
        if self.ended_on is not None:
            return 0
        return (self.end - today).days


def three_years_on(start: date) -> date:
    """The last day within three years of ``start`` (29 February runs to 28 February)."""
    try:
        anniversary = start.replace(year=start.year + 3)
    except ValueError:  # 29 February, three years on, is no date
        anniversary = date(start.year + 3, 3, 1)
    return anniversary - timedelta(days=1)


def term_from(
    pip_date: date, extensions: Sequence[Extension] = (), release: Release | None = None
) -> Term:
    """The term of a PIP dated ``pip_date``, with DUO's extensions and release applied.

    Extensions apply in the order DUO decided them; each must end later than the term as
    it stood, or it is refused as a recording mistake.
    """
    start = pip_date + timedelta(days=1)
    original_end = end = three_years_on(start)
    for extension in sorted(extensions, key=lambda e: e.decided_on):
        if extension.new_end <= end:
            raise InvalidRequest(
                f"an extension decided on {extension.decided_on} must end after {end}, "
                f"the end of the term as it stood"
            )
        end = extension.new_end
    ended_on = None
    if release is not None:
        if release.effective_on < start:
            raise InvalidRequest("a release cannot take effect before the term starts")
        ended_on = release.effective_on
    return Term(start=start, end=end, original_end=original_end, ended_on=ended_on)
