"""The employer registry (issue 17): registering employers, and the check that a
placement names a registered one."""

from __future__ import annotations

from dataclasses import replace

from zroute_runtime.auth import Principal
from zroute_runtime.logging import get_logger

from zroute_support.domain.employers import Employer, ensure_registered
from zroute_support.domain.errors import Conflict, Refused
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def register_employer(
    uow: SupportUnitOfWork, principal: Principal, employer: Employer
) -> Employer:
    """Register an employer (409 when it is registered already); a coordinator limited to
    a municipality registers employers of that municipality."""
    scope = principal.municipality_scope()
    if scope is not None and scope not in employer.municipalities:
        raise Refused(f"the employer must take participants from your municipality ({scope})")
    if not employer.contact_points:
        raise Refused("an employer needs at least one contact point (channel and address)")
    existing = await uow.employers.get(employer.employer_id)
    if existing is not None and existing.registered:
        raise Conflict(f"employer {employer.employer_id} is already registered")
    registered = replace(employer, registered_by=principal.subject, registered_at=uow.clock.now())
    await uow.employers.save(registered, uow.clock.now())
    _log.info("employer_registered", employer_id=employer.employer_id)
    return registered


async def registered_employer(uow: SupportUnitOfWork, employer_id: str) -> Employer:
    """The registered employer ``employer_id`` names (400 with the reason otherwise)."""
    return ensure_registered(employer_id, await uow.employers.get(employer_id))
