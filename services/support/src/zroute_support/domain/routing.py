"""Which partner gets new work: the one responsible under the agreement, or when it is at
capacity (or declined) the next capable partner in the configured overflow order, or else
a waiting list with the reason.

The overflow order is the coordinator's (setting ``overflow_order``): the partners it
names first, in its order, then the others in the order they were registered. Never the
alphabet: a partner's name says nothing about the agreed task division."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from zroute_contract.events.codes import PartnerCapability

from zroute_support.domain.partners import Partner


class WaitCode(StrEnum):
    """Why work waits for a partner. Each code has its parameters (below); a screen words
    it in the reader's language, the API and the logs in English (:meth:`WaitingReason.sentence`)."""

    NO_AGREEMENT = "no_agreement"  # programme, day
    NO_RESPONSIBLE_PARTNER = "no_responsible_partner"  # capability
    NO_PARTNER_SERVES = "no_partner_serves"  # capability, municipality
    AT_CAPACITY = "at_capacity"  # capability
    KIND_NOT_CONFIGURED = "kind_not_configured"  # kind: a precondition kind support has no rule for
    UNCODED = "uncoded"  # text: a reason recorded as a sentence, before the codes


_SENTENCES: dict[WaitCode, str] = {
    WaitCode.NO_AGREEMENT: "no agreement in force for {programme} on {day}",
    WaitCode.NO_RESPONSIBLE_PARTNER: "no partner is responsible for {capability} under the agreement",
    WaitCode.NO_PARTNER_SERVES: "no other partner with {capability} serves {municipality}",
    WaitCode.AT_CAPACITY: "every partner with {capability} is at capacity",
    WaitCode.KIND_NOT_CONFIGURED: "the precondition kind {kind} is not configured in support",
    WaitCode.UNCODED: "{text}",
}


@dataclass(frozen=True)
class WaitingReason:
    """Why nobody took the work: a code and its parameters (codes and ids, never words)."""

    code: WaitCode
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: WaitCode, **params: str) -> WaitingReason:
        return cls(code, tuple(sorted(params.items())))

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self.params)

    def sentence(self) -> str:
        """The reason in English, as the API and the logs have always said it."""
        try:
            return _SENTENCES[self.code].format(**self.parameters)
        except KeyError:
            return self.code.value


@dataclass(frozen=True)
class Choice:
    """The partner chosen, or why nobody was (``reason`` for the waiting list)."""

    partner_id: str | None
    reason: WaitingReason | None = None


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
        return Choice(
            None, WaitingReason.of(WaitCode.NO_RESPONSIBLE_PARTNER, capability=capability.value)
        )
    by_id = {p.partner_id: p for p in partners}
    ordered = [by_id[responsible]] if responsible in by_id else []
    ordered += overflow([p for p in partners if p.partner_id != responsible], overflow_order)
    capable = [
        p
        for p in ordered
        if p.active and p.can(capability) and p.serves(municipality) and p.partner_id not in exclude
    ]
    if not capable:
        return Choice(
            None,
            WaitingReason.of(
                WaitCode.NO_PARTNER_SERVES, capability=capability.value, municipality=municipality
            ),
        )
    for partner in capable:
        if partner.has_room(capability, load.get(partner.partner_id, 0)):
            return Choice(partner.partner_id)
    return Choice(None, WaitingReason.of(WaitCode.AT_CAPACITY, capability=capability.value))


def overflow(partners: Sequence[Partner], order: Sequence[str]) -> list[Partner]:
    """``partners`` in the configured overflow order: those ``order`` names first, in its
    order; the rest as given (the order they were registered)."""
    rank = {partner_id: i for i, partner_id in enumerate(order)}
    listed = sorted((p for p in partners if p.partner_id in rank), key=lambda p: rank[p.partner_id])
    return listed + [p for p in partners if p.partner_id not in rank]
