"""Which partner gets new work: the one responsible under the agreement, or when it is at
capacity (or declined) the next capable partner, or else a waiting list with the reason."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from zroute_contract.events.codes import PartnerCapability

from zroute_support.domain.partners import Partner


@dataclass(frozen=True)
class Choice:
    """The partner chosen, or why nobody was (``reason`` for the waiting list)."""

    partner_id: str | None
    reason: str | None = None


def choose_partner(
    *,
    responsible: str | None,
    capability: PartnerCapability,
    municipality: str,
    partners: Sequence[Partner],
    load: Mapping[str, int],
    exclude: Collection[str] = (),
) -> Choice:
    """The responsible partner first, then the other active partners with the capability
    that serve the municipality (by id); the first one below its capacity takes it."""
    if responsible is None:
        return Choice(None, f"no partner is responsible for {capability.value} under the agreement")
    by_id = {p.partner_id: p for p in partners}
    ordered = [by_id[responsible]] if responsible in by_id else []
    ordered += sorted(
        (p for p in partners if p.partner_id != responsible),
        key=lambda p: p.partner_id,
    )
    capable = [
        p
        for p in ordered
        if p.active and p.can(capability) and p.serves(municipality) and p.partner_id not in exclude
    ]
    if not capable:
        return Choice(None, f"no other partner with {capability.value} serves {municipality}")
    for partner in capable:
        if partner.has_room(capability, load.get(partner.partner_id, 0)):
            return Choice(partner.partner_id)
    return Choice(None, f"every partner with {capability.value} is at capacity")
