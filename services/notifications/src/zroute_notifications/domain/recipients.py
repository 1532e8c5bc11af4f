"""Recipients as the matrix names them, resolved to an organisation or a person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import RecipientRole


@dataclass(frozen=True)
class Recipient:
    """Who gets a message: ``kind`` is staff, partner, employer or operator, ``ref`` the
    id in that kind (a staff ref, a partner id, an employer id, ``operator``)."""

    role: RecipientRole
    kind: str
    ref: str
    partner_id: str | None = None
    staff_ref: str | None = None
    subscription_id: UUID | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"


def staff(role: RecipientRole, staff_ref: str, partner_id: str | None) -> Recipient:
    return Recipient(role, "staff", staff_ref, partner_id=partner_id, staff_ref=staff_ref)


def partner(role: RecipientRole, partner_id: str) -> Recipient:
    return Recipient(role, "partner", partner_id, partner_id=partner_id)


OPERATOR = Recipient(RecipientRole.OPERATOR, "operator", "operator")


def participants_of(data: dict[str, Any]) -> list[str]:
    """The participants an event is about: its subject, or a group's members."""
    if isinstance(data.get("participant_ref"), str):
        return [data["participant_ref"]]
    return [m for m in data.get("members", []) if isinstance(m, str)]


def programme_partners(agreement: dict[str, Any] | None) -> set[str]:
    """Every partner with a part in a programme's current agreement."""
    if not agreement:
        return set()
    partners = {agreement["lead_partner_id"]}
    partners.update(a["partner_id"] for a in agreement["assignments"])
    return partners
