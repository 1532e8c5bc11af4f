"""The municipality rule of this service (``Principal.municipality_scope``, as in intake,
planning and support): a caller limited to one municipality reaches only records of it.

A partner, staff member or employer serving several municipalities is shared: only the
operator and coordinators whose token names no municipality manage it. The operator desk
(kind ``operator``) and integrators (subscriptions without a partner) belong to the
platform, not to one municipality.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zroute_runtime.auth import Principal, Role

from zroute_notifications.domain.errors import NotFound, OutsideScope
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

ELSEWHERE = "this record belongs to another municipality"


async def may_reach_recipient(
    uow: NotificationsUnitOfWork, principal: Principal, kind: str, ref: str
) -> bool:
    """Whether the caller's municipality (if any) is the only one the recipient serves."""
    scope = principal.municipality_scope()
    if scope is None:
        return True
    if kind == "operator":
        return False
    served = await uow.reads.municipalities_of_recipient(kind, ref)
    if served is None:
        return kind != "partner"  # a new staff member or employer; an unknown partner: no
    return served == {scope}


async def ensure_recipient(
    uow: NotificationsUnitOfWork, principal: Principal, kind: str, ref: str
) -> None:
    """Forbidden unless the caller may reach the recipient."""
    if not await may_reach_recipient(uow, principal, kind, ref):
        raise OutsideScope(ELSEWHERE)


async def ensure_programme(
    uow: NotificationsUnitOfWork, principal: Principal, programme_id: str
) -> None:
    """Forbidden when a caller limited to a municipality reaches another's programme."""
    scope = principal.municipality_scope()
    if scope is not None and await uow.reads.municipalities_of_programme(programme_id) != {scope}:
        raise OutsideScope("this programme belongs to another municipality")


async def record_in_scope(
    uow: NotificationsUnitOfWork, principal: Principal, row: Mapping[str, Any]
) -> bool:
    """A notification or inbox message: in scope when its participant (or else its
    programme) is of the caller's municipality; one about nobody in particular only for
    callers without a municipality."""
    scope = principal.municipality_scope()
    if scope is None:
        return True
    participant = row.get("participant_ref")
    if participant:
        return await uow.reads.municipality_of_participant(participant) == scope
    programme = row.get("programme_id")
    if programme:
        return await uow.reads.municipalities_of_programme(programme) == {scope}
    return False


async def in_scope(
    uow: NotificationsUnitOfWork, principal: Principal, rows: Iterable[Mapping[str, Any]]
) -> list[Any]:
    """The rows the caller may see, in their order."""
    return [r for r in rows if await record_in_scope(uow, principal, r)]


async def may_manage(
    uow: NotificationsUnitOfWork, principal: Principal, partner_id: str | None
) -> None:
    """Forbidden unless the caller manages the subscriptions of ``partner_id`` (None: an
    integrator's)."""
    if partner_id is None:
        if not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR):
            raise OutsideScope("only coordinators and operators manage integrators")
        if principal.municipality_scope() is not None:
            # An integrator's subscription may receive every municipality's events.
            raise OutsideScope("integrators serve every municipality: not yours to manage")
        return
    if not principal.may_act_for_partner(partner_id):
        raise OutsideScope("no access to this partner's records")
    await ensure_recipient(uow, principal, "partner", partner_id)


async def ensure_participant(uow: NotificationsUnitOfWork, principal: Principal, ref: str) -> None:
    """NotFound for a participant this service never heard of; Forbidden for one of another
    municipality."""
    profile = await uow.participants.profile(ref)
    if profile is None:
        raise NotFound("no such participant")
    limited_to = principal.municipality_scope()
    if limited_to is not None and profile["municipality"] != limited_to:
        raise OutsideScope(ELSEWHERE)
