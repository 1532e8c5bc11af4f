"""Look-ups the handlers share: the participant, the agreement in force, the partner to
route new work to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import date

import asyncpg
from zroute_contract.events.codes import PartnerCapability, RouteTask

from zroute_support.adapters.participants_repo import Participant, ParticipantRepository
from zroute_support.adapters.partners_repo import AgreementRepository, PartnerRepository
from zroute_support.domain.agreements import Agreement, in_force
from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.partners import Partner
from zroute_support.domain.routing import Choice, choose_partner


async def participant(conn: asyncpg.Connection, ref: str) -> Participant:
    found = await ParticipantRepository(conn).get(ref)
    if found is None:
        raise NotFound(f"unknown participant {ref}")
    return found


async def partner(conn: asyncpg.Connection, partner_id: str) -> Partner:
    found = await PartnerRepository(conn).get(partner_id)
    if found is None:
        raise NotFound(f"unknown partner {partner_id}")
    return found


async def capable_partner(
    conn: asyncpg.Connection, partner_id: str, capability: PartnerCapability
) -> Partner:
    found = await partner(conn, partner_id)
    if not found.can(capability):
        raise Refused(f"partner {partner_id} lacks the capability {capability.value}")
    return found


async def agreement_on(conn: asyncpg.Connection, programme_id: str, day: date) -> Agreement | None:
    return in_force(await AgreementRepository(conn).for_programme(programme_id), day)


async def route(
    conn: asyncpg.Connection,
    *,
    who: Participant,
    task: RouteTask,
    capability: PartnerCapability,
    day: date,
    load: Callable[[], Awaitable[Mapping[str, int]]],
    preferred: str | None = None,
    exclude: Collection[str] = (),
) -> Choice:
    """The partner that takes new work for ``task``: ``preferred`` or the one responsible
    under the agreement in force, else the next capable one with room.

    ``load`` counts each partner's active work; it runs under a transaction-scoped lock
    per capability, so two requests at once cannot both take a partner's last place.
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('support-capacity:' || $1, 0))",
        capability.value,
    )
    responsible = preferred
    if responsible is None:
        agreement = await agreement_on(conn, who.programme_id, day)
        if agreement is None:
            return Choice(None, f"no agreement in force for {who.programme_id} on {day}")
        responsible = agreement.responsible_for(task)
    return choose_partner(
        responsible=responsible,
        capability=capability,
        municipality=who.municipality,
        partners=await PartnerRepository(conn).all(),
        load=await load(),
        exclude=exclude,
    )
