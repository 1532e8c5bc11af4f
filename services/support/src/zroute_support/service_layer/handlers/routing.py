"""Look-ups the handlers share: the participant, the partner, the agreement in force, and
the partner to route new work to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import date

from zroute_contract.events.codes import PartnerCapability, RouteTask

from zroute_support.domain.agreements import Agreement, in_force
from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.participants import Participant
from zroute_support.domain.partners import Partner
from zroute_support.domain.routing import Choice, WaitCode, WaitingReason, choose_partner
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork


async def participant(uow: SupportUnitOfWork, ref: str) -> Participant:
    """The participant ``ref``, or :class:`NotFound`."""
    found = await uow.participants.get(ref)
    if found is None:
        raise NotFound(f"unknown participant {ref}")
    return found


async def partner(uow: SupportUnitOfWork, partner_id: str) -> Partner:
    """The partner ``partner_id``, or :class:`NotFound`."""
    found = await uow.partners.get(partner_id)
    if found is None:
        raise NotFound(f"unknown partner {partner_id}")
    return found


async def capable_partner(
    uow: SupportUnitOfWork, partner_id: str, capability: PartnerCapability
) -> Partner:
    """The partner, refused unless it has ``capability``."""
    found = await partner(uow, partner_id)
    if not found.can(capability):
        raise Refused(f"partner {partner_id} lacks the capability {capability.value}")
    return found


async def agreement_on(uow: SupportUnitOfWork, programme_id: str, day: date) -> Agreement | None:
    """The programme's agreement in force on ``day``, if any."""
    return in_force(await uow.agreements.for_programme(programme_id), day)


async def route(
    uow: SupportUnitOfWork,
    *,
    who: Participant,
    task: RouteTask,
    capability: PartnerCapability,
    day: date,
    load: Callable[[], Awaitable[Mapping[str, int]]],
    preferred: str | None = None,
    exclude: Collection[str] = (),
    overflow_order: Sequence[str] = (),
) -> Choice:
    """The partner that takes new work for ``task``: ``preferred`` or the one responsible
    under the agreement in force, else the next capable one with room in the overflow
    order (``overflow_order`` first, then the order of registration; never the alphabet).

    ``load`` counts each partner's active work; it runs under a transaction-scoped lock
    per capability, so two requests at once cannot both take a partner's last place.
    """
    await uow.partners.lock_capacity(capability)
    responsible = preferred
    if responsible is None:
        agreement = await agreement_on(uow, who.programme_id, day)
        if agreement is None:
            return Choice(
                None,
                WaitingReason.of(
                    WaitCode.NO_AGREEMENT, programme=who.programme_id, day=day.isoformat()
                ),
            )
        responsible = agreement.responsible_for(task)
    return choose_partner(
        responsible=responsible,
        capability=capability,
        municipality=who.municipality,
        partners=await uow.partners.in_registration_order(),
        load=await load(),
        exclude=exclude,
        overflow_order=overflow_order,
    )
