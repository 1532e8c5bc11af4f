"""The reads of the HTTP API and the screens, with who may make them: one module, one
connection style (the unit of work's repositories and ``uow.reads``), no SQL here and
none in a router or a screen.

Refusals are support's kinds of the contract's errors (``NotFound``, ``Forbidden``); the
runtime's command path answers them with their 4xx."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import RouteTask
from zroute_runtime.auth import Principal

from zroute_support.domain.agreements import Agreement, in_force
from zroute_support.domain.consent_overrides import ConsentOverride
from zroute_support.domain.errors import NotFound
from zroute_support.domain.interpreters import InterpreterRequest
from zroute_support.domain.partners import Partner
from zroute_support.domain.placements import Placement, PlacementStatus
from zroute_support.domain.preconditions import Precondition, PreconditionStatus
from zroute_support.domain.referral_context import Message, ReferralContext, ensure_readable
from zroute_support.domain.referrals import Referral
from zroute_support.domain.routing import WaitingReason
from zroute_support.domain.urgency import serving_order
from zroute_support.service_layer import access
from zroute_support.service_layer.handlers import interpreters, routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork


async def referrals(
    uow: SupportUnitOfWork,
    principal: Principal,
    *,
    programme_id: str | None = None,
    partner_id: str | None = None,
) -> list[Referral]:
    """Partner staff get their own partner's referrals only; caseworkers and coordinators
    limited to a municipality that municipality's; others the programme."""
    own = principal.partner_scope()
    if own is not None:
        if partner_id is not None:
            access.ensure_partner(principal, partner_id)
        partner_id = own
    return await uow.referrals.list(
        partner_id=partner_id,
        programme_id=programme_id,
        municipality=principal.municipality_scope(),
    )


async def referral(uow: SupportUnitOfWork, principal: Principal, referral_id: UUID) -> Referral:
    """One referral the caller may see."""
    found = await uow.referrals.get(referral_id)
    if found is None:
        raise NotFound(f"unknown referral {referral_id}")
    await access.ensure_participant_municipality(uow, principal, found.participant_ref, "referral")
    if principal.partner_scope() is not None:
        access.ensure_partner(principal, found.partner_id)
    return found


async def referral_context(
    uow: SupportUnitOfWork, principal: Principal, referral_id: UUID
) -> tuple[Referral, ReferralContext | None, list[Message]]:
    """The referral's context and message thread: the referrer's side always, the care
    partner once it has accepted the referral (403 with the reason before)."""
    found = await referral(uow, principal, referral_id)
    ensure_readable(access.side_of(principal, found.partner_id), found.status)
    context = await uow.referrals.context(referral_id)
    return found, context, await uow.referrals.messages(referral_id)


async def referral_interpreter(
    uow: SupportUnitOfWork, principal: Principal, referral_id: UUID
) -> InterpreterRequest | None:
    """The interpreter asked for the referral's intake (issue 18 item 4), for whoever
    reads the referral."""
    found = await referral(uow, principal, referral_id)
    return await interpreters.for_referral(uow, found)


async def referral_interpreters(
    uow: SupportUnitOfWork, found: list[Referral]
) -> dict[UUID, InterpreterRequest]:
    """The interpreter of each referral's intake that has one, for the referrals page."""
    asked = {}
    for r in found:
        request = await interpreters.for_referral(uow, r)
        if request is not None:
            asked[r.referral_id] = request
    return asked


async def consent_overrides(
    uow: SupportUnitOfWork, principal: Principal, participant_ref: str
) -> list[ConsentOverride]:
    """The participant's emergency consent overrides (the audit trail), for the
    caseworkers and coordinators of the participant's municipality."""
    await access.ensure_participant_municipality(uow, principal, participant_ref, "participant")
    await routing.participant(uow, participant_ref)  # 404 for an unknown participant
    return await uow.overrides.for_participant(participant_ref)


async def board(
    uow: SupportUnitOfWork, principal: Principal
) -> tuple[list[Referral], list[dict[str, Any]]]:
    """The referral board's referrals and lead times, in the scope of ``GET /referrals``."""
    partner, municipality = principal.partner_scope(), principal.municipality_scope()
    found = await uow.referrals.list(partner_id=partner, municipality=municipality)
    lead = await uow.reads.lead_times(partner_id=partner, municipality=municipality)
    return found, lead


async def placements(
    uow: SupportUnitOfWork, principal: Principal, programme_id: str | None = None
) -> list[Placement]:
    """The placements of the caller's partner (as participation or job-coach partner)
    and municipality."""
    return await uow.placements.list(
        partner_id=principal.partner_scope(),
        programme_id=programme_id,
        municipality=principal.municipality_scope(),
    )


async def employer_names(uow: SupportUnitOfWork, employer_ids: set[str]) -> dict[str, str]:
    """The registered name of each employer id (an organisation, not personal data); an
    id the registry does not hold is left out and shown as it is."""
    found = {e_id: await uow.employers.get(e_id) for e_id in sorted(employer_ids)}
    return {e_id: employer.name for e_id, employer in found.items() if employer is not None}


async def placement(uow: SupportUnitOfWork, principal: Principal, request_id: UUID) -> Placement:
    """One placement the caller may see."""
    found = await uow.placements.get(request_id, for_update=False)
    if found is None:
        raise NotFound(f"unknown placement request {request_id}")
    await access.ensure_placement(uow, principal, found)
    return found


async def preconditions(
    uow: SupportUnitOfWork, principal: Principal, programme_id: str | None = None
) -> list[Precondition]:
    """Partner staff see the tasks of their own partner only; caseworkers and coordinators
    limited to a municipality the tasks of its participants."""
    return await uow.preconditions.list(
        partner_id=principal.partner_scope(),
        programme_id=programme_id,
        municipality=principal.municipality_scope(),
    )


@dataclass(frozen=True)
class Waiting:
    """One line of the waiting list: what waits, for which capability, and why."""

    kind: str
    id: UUID
    participant_ref: str
    programme_id: str
    capability: str
    reason: WaitingReason | None
    since: datetime | None
    urgency: str | None = None


async def waiting(
    uow: SupportUnitOfWork, principal: Principal, programme_id: str | None = None
) -> list[Waiting]:
    """Everything waiting for a partner, with the reason: referrals in the order they are
    served (most urgent first, then longest waiting), then placements and preconditions
    nobody could take."""
    municipality = principal.municipality_scope()
    entries = serving_order(
        await uow.waiting.waiting(programme_id=programme_id, municipality=municipality)
    )
    found = [
        Waiting(
            e.kind,
            e.entry_id,
            e.participant_ref,
            e.programme_id,
            e.capability.value,
            e.reason,
            e.since,
            e.urgency.value if e.kind == "referral" else None,
        )
        for e in entries
    ]
    found += [
        Waiting(
            "placement",
            p.placement_request_id,
            p.participant_ref,
            p.programme_id,
            "participation_workplaces",
            p.waiting_reason,
            None,
        )
        for p in await uow.placements.list(programme_id=programme_id, municipality=municipality)
        if p.status is PlacementStatus.WAITING
    ]
    found += [
        Waiting(
            p.kind.value,
            p.precondition_id,
            p.participant_ref,
            p.programme_id,
            p.kind.value,
            p.waiting_reason,
            None,
        )
        for p in await uow.preconditions.list(programme_id=programme_id, municipality=municipality)
        if p.partner_id is None and p.status is PreconditionStatus.NEEDED
    ]
    return found


async def partners(uow: SupportUnitOfWork) -> list[Partner]:
    """Every registered partner."""
    return await uow.partners.all()


async def partner(uow: SupportUnitOfWork, partner_id: str) -> Partner:
    """One partner, or :class:`NotFound`."""
    found = await uow.partners.get(partner_id)
    if found is None:
        raise NotFound(f"unknown partner {partner_id}")
    return found


async def agreements(
    uow: SupportUnitOfWork, principal: Principal, programme_id: str
) -> list[Agreement]:
    """All versions; a caller limited to a municipality gets that municipality's only."""
    return await uow.agreements.for_programme(
        programme_id, municipality=principal.municipality_scope()
    )


async def programmes(uow: SupportUnitOfWork) -> Sequence[str]:
    """The programmes that have an agreement."""
    return await uow.agreements.programmes()


async def responsible(
    uow: SupportUnitOfWork, principal: Principal, programme_id: str, task: RouteTask, day: date
) -> tuple[Agreement, str]:
    """The version in force on ``day`` and the partner it makes responsible for ``task``."""
    # All versions, not the caller's only: another municipality's version in force
    # answers 403, not a misleading 404.
    agreement = in_force(await uow.agreements.for_programme(programme_id), day)
    if agreement is None:
        raise NotFound(f"no agreement of {programme_id} is in force on {day}")
    principal.ensure_municipality(agreement.terms.municipality, "agreement")
    partner_id = agreement.responsible_for(task)
    if partner_id is None:
        reason = dict(agreement.terms.not_offered).get(task, "-")
        raise NotFound(f"the programme does not offer task {task.value} ({reason})")
    return agreement, partner_id


async def board_page(
    uow: SupportUnitOfWork,
    principal: Principal,
    *,
    status: str | None,
    urgency: str | None,
    limit: int,
    offset: int,
) -> tuple[dict[tuple[str, str], int], list[dict[str, Any]], int, list[dict[str, Any]]]:
    """The referral board counted, filtered and paged in the database, in the scope of
    ``GET /referrals``: (counts by status and urgency, one page of rows, how many were
    chosen, lead times)."""
    partner, municipality = principal.partner_scope(), principal.municipality_scope()
    counts = await uow.reads.board_counts(partner_id=partner, municipality=municipality)
    rows, total = await uow.reads.board_page(
        partner_id=partner,
        municipality=municipality,
        status=status,
        urgency=urgency,
        limit=limit,
        offset=offset,
    )
    lead = await uow.reads.lead_times(partner_id=partner, municipality=municipality)
    return counts, rows, total, lead
