"""The employer registry (issue 17): employers offering workplaces, the municipalities
they take participants from, and how they are reached (contact points). A placement names
an employer by its registered id; an id the registry does not know is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zroute_contract.events.codes import Channel

from zroute_support.domain.errors import DomainError


class UnknownEmployer(DomainError):
    """A placement names an employer the registry does not hold (400)."""


@dataclass(frozen=True)
class EmployerContact:
    """One way to reach the employer: channel, address and whom it reaches (a role such
    as ``placement_desk``, never a participant's data)."""

    channel: Channel
    address: str
    purpose: str = "placements"


@dataclass
class Employer:
    """A registered employer."""

    employer_id: str
    name: str
    municipalities: tuple[str, ...]
    contact_points: tuple[EmployerContact, ...]
    registered_by: str | None = None
    registered_at: datetime | None = None

    @property
    def registered(self) -> bool:
        """Whether it came through the registry (not a pre-registry id seen on a placement)."""
        return self.registered_at is not None


def ensure_registered(employer_id: str, found: Employer | None) -> Employer:
    """The registered employer ``employer_id`` names, or the refusal with the reason."""
    if found is None or not found.registered:
        raise UnknownEmployer(
            f"employer {employer_id} is not in the employer registry: register it first "
            "(POST /employers)"
        )
    return found
