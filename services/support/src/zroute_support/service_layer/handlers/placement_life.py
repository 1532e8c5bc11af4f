"""A confirmed placement's life cycle (issue 17): the participation partner records the
start, a change of workplace or hours, and an early end with a reason (the employer
dropped out, ...). A new job coach is ``placements.hand_over``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day

from zroute_support.domain.errors import Conflict
from zroute_support.domain.placements import Placement, Workplace
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps, check_reason
from zroute_support.service_layer.handlers import employers
from zroute_support.service_layer.handlers.placements import load, save, schedule_next
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork


async def _saved(
    uow: SupportUnitOfWork,
    principal: Principal,
    placement: Placement,
    action: str,
    reason: str | None = None,
) -> Placement:
    await save(uow, placement)
    await uow.placements.record_step(
        placement.placement_request_id, action, reason, principal.subject, uow.clock.now()
    )
    return placement


async def _as_partner(uow: SupportUnitOfWork, principal: Principal, request_id: UUID) -> Placement:
    placement = await load(uow, request_id)
    await access.ensure_participant_municipality(
        uow, principal, placement.participant_ref, "placement"
    )
    access.ensure_partner(principal, placement.partner_id)
    return placement


async def start_as(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, request_id: UUID, started_on: date
) -> Placement:
    """The participant started on the workplace (late when after the day needed); the
    check-in rhythm counts from the start."""
    placement = await _as_partner(uow, principal, request_id)
    placement.start(started_on)
    await schedule_next(uow, deps, placement)
    return await _saved(uow, principal, placement, "started")


async def change_as(
    uow: SupportUnitOfWork,
    principal: Principal,
    request_id: UUID,
    changes: dict[str, object],
    changed_from: date,
) -> Placement:
    """Another location or employer, or other hours, from ``changed_from``."""
    placement = await _as_partner(uow, principal, request_id)
    current = placement.workplace
    if current is None:
        raise Conflict(f"a placement that is {placement.status.value} cannot change")
    fields = {k: v for k, v in changes.items() if v is not None}
    if "employer_id" in fields:
        await employers.registered_employer(uow, str(fields["employer_id"]))
    placement.change(Workplace(**{**current.__dict__, **fields}), changed_from)
    return await _saved(uow, principal, placement, "changed")


async def end_as(
    uow: SupportUnitOfWork,
    deps: Deps,
    principal: Principal,
    request_id: UUID,
    reason: str,
    ended_on: date,
) -> Placement:
    """The placement ends before its time, with a reason from the configured list."""
    check_reason(reason, deps.placement_end_reasons, "end")
    placement = await _as_partner(uow, principal, request_id)
    placement.end_early(reason, ended_on)
    return await _saved(uow, principal, placement, "ended", reason)


async def replace_as(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, request_id: UUID
) -> Placement:
    """Serve a request again after its placement ended for a replaceable reason (the
    employer dropped out): the participation partner confirms a new workplace, linked to
    the ended placement, and the request's escalation stays open until it starts."""
    placement = await _as_partner(uow, principal, request_id)
    ended = placement.reopen_for_replacement(
        deps.placement_replaceable_reasons, local_day(uow.clock.now())
    )
    return await _saved(uow, principal, placement, "replacement_requested", str(ended))
