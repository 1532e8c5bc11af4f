"""Which partner gets new work: the one responsible under the agreement, or when it is at
capacity (or declined) the next capable partner in the configured overflow order, or else
a waiting list with the reason.

The overflow order is the coordinator's (setting ``overflow_order``): the partners it
names first, in its order, then the others in the order they were registered. Never the
alphabet: a partner's name says nothing about the agreed task division."""

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
    overflow_order: Sequence[str] = (),
) -> Choice:
    """The responsible partner first, then the other active partners with the capability
    that serve the municipality, in :func:`overflow` order; the first one below its
    capacity takes it. ``partners`` come in the order they were registered."""
    if responsible is None:
        return Choice(None, f"no partner is responsible for {capability.value} under the agreement")
    by_id = {p.partner_id: p for p in partners}
    ordered = [by_id[responsible]] if responsible in by_id else []
    ordered += overflow([p for p in partners if p.partner_id != responsible], overflow_order)
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


def overflow(partners: Sequence[Partner], order: Sequence[str]) -> list[Partner]:
    """``partners`` in the configured overflow order: those ``order`` names first, in its
    order; the rest as given (the order they were registered)."""
    rank = {partner_id: i for i, partner_id in enumerate(order)}
    listed = sorted((p for p in partners if p.partner_id in rank), key=lambda p: rank[p.partner_id])
    return listed + [p for p in partners if p.partner_id not in rank]
