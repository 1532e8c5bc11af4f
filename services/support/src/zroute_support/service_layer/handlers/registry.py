"""The partner registry (lesson L1) and task-division agreements (lesson L2)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from zroute_runtime.logging import get_logger

from zroute_support.domain.agreements import Agreement, AgreementTerms, overlapping, problems
from zroute_support.domain.errors import Conflict, Forbidden, NotFound, Refused
from zroute_support.domain.partners import Partner
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers.waiting import dispatch_waiting
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


def _check_partner_scope(scope: str | None, partner: Partner, what: str) -> None:
    """A caller limited to municipality ``scope`` manages only partners that serve that
    municipality alone: a change to a partner shared with other municipalities (its
    capacity, capabilities, whether it is active) reaches them too, so it is left to a
    coordinator without that limit (a regional one)."""
    if scope is not None and tuple(partner.municipalities) != (scope,):
        raise Forbidden(
            f"{what} serves other municipalities than yours ({scope}): only a coordinator "
            "without a municipality limit manages partners shared between municipalities"
        )


async def register_partner(
    uow: SupportUnitOfWork, deps: Deps, partner: Partner, *, scope: str | None = None
) -> None:
    """Register a partner; ``scope`` is the municipality the caller is limited to."""
    _check_partner_scope(scope, partner, "the partner")
    repo = uow.partners
    if await repo.get(partner.partner_id) is not None:
        raise Conflict(f"partner {partner.partner_id} is already registered")
    if not partner.contact_points:
        raise Refused("a partner needs at least one contact point (channel and address)")
    partner.registered()
    await repo.save(partner, uow.clock.now())
    _log.info("partner_registered", partner_id=partner.partner_id)


async def update_partner(
    uow: SupportUnitOfWork, deps: Deps, partner: Partner, *, scope: str | None = None
) -> None:
    """Replace a partner's profile; ``scope`` is the municipality the caller is limited to
    (the partner must serve that municipality alone, before and after)."""
    repo = uow.partners
    current = await repo.get(partner.partner_id, for_update=True)
    if current is None:
        raise NotFound(f"unknown partner {partner.partner_id}")
    _check_partner_scope(scope, current, f"partner {partner.partner_id}")
    _check_partner_scope(scope, partner, "the changed partner")
    if not partner.contact_points:
        raise Refused("a partner needs at least one contact point (channel and address)")
    partner.version = current.version
    partner.updated()
    await repo.save(partner, uow.clock.now())
    _log.info("partner_updated", partner_id=partner.partner_id, active=partner.active)
    await dispatch_waiting(uow, deps)


def _check_scope(scope: str | None, recorded: list[Agreement], terms: AgreementTerms) -> None:
    """A caller limited to ``scope`` records only for its own municipality, and only in a
    programme no other municipality has versions in."""
    if scope is None:
        return
    if terms.municipality != scope:
        raise Forbidden("you may record agreements for your own municipality only")
    if any(a.terms.municipality != scope for a in recorded):
        raise Forbidden("this programme's agreements belong to another municipality")


async def record_agreement(
    uow: SupportUnitOfWork, deps: Deps, terms: AgreementTerms, *, scope: str | None = None
) -> Agreement:
    """Record a new version, or refuse it with every problem found.

    ``scope`` is the municipality the caller is limited to (None: not limited); it is
    checked under the programme's lock, so no version of another municipality slips in
    between the check and the write.
    """
    repo = uow.agreements
    await repo.lock_programme(terms.programme_id)
    recorded = await repo.for_programme(terms.programme_id)
    _check_scope(scope, recorded, terms)
    partners = {p.partner_id: p for p in await uow.partners.all()}
    found = problems(terms, partners)
    found += [
        f"task {task.value}: reason {reason!r} is not one of: "
        + ", ".join(deps.task_not_offered_reasons)
        for task, reason in terms.not_offered
        if reason not in deps.task_not_offered_reasons
    ]
    if found:
        raise Refused("the agreement cannot be recorded", found)
    clash = overlapping(terms, recorded)
    if clash:
        versions = ", ".join(str(v) for v in clash)
        raise Conflict(
            f"the period overlaps version {versions}; end that version first",
            [f"overlaps version {v}" for v in clash],
        )
    agreement = Agreement(uuid4(), max((a.version for a in recorded), default=0) + 1, terms)
    agreement.recorded()
    await repo.add(agreement, uow.clock.now())
    _log.info("agreement_recorded", programme_id=terms.programme_id, version=agreement.version)
    await dispatch_waiting(uow, deps)
    return agreement


async def end_agreement(
    uow: SupportUnitOfWork,
    programme_id: str,
    version: int,
    valid_until: date,
    *,
    scope: str | None = None,
) -> Agreement:
    """Limit a version's period (so a successor can start); the change is an event too.

    ``scope`` is the municipality the caller is limited to (None: not limited).
    """
    repo = uow.agreements
    await repo.lock_programme(programme_id)
    recorded = await repo.for_programme(programme_id)
    agreement = next((a for a in recorded if a.version == version), None)
    if agreement is None:
        raise NotFound(f"programme {programme_id} has no agreement version {version}")
    if scope is not None and agreement.terms.municipality != scope:
        raise Forbidden("this agreement belongs to another municipality")
    if valid_until < agreement.terms.valid_from:
        raise Refused("valid_until is before the version's valid_from")
    current = agreement.terms.valid_until
    if current is not None and valid_until > current:
        raise Conflict("a version's period can be shortened, not extended")
    terms = AgreementTerms(**{**agreement.terms.__dict__, "valid_until": valid_until})
    agreement = Agreement(agreement.agreement_id, agreement.version, terms)
    agreement.recorded()
    await repo.set_until(agreement)
    _log.info("agreement_ended", programme_id=programme_id, version=version)
    return agreement
