"""The check-in rhythm of a placement (issue 17): a job coach checks in every so many
days (the placement's own rhythm or the service's default); timer ``check-in-due`` fires
the day after a check-in was due, and a placement still without one raises
``check-in-overdue`` for the job coach's partner and the contact person, again every
interval until a check-in is recorded."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day, local_moment
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_support.domain.errors import Refused
from zroute_support.domain.placements import Placement
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers.placements import (
    CHECK_IN_TIMER,
    check_in_key,
    load,
    save,
    schedule_next,
)
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def check_in_overdue(timer: DueTimer, uow: SupportUnitOfWork, deps: Deps) -> None:
    """Timer ``check-in-due``: alert once the due day passed without a check-in."""
    request_id, placement_id, level = timer.key.split("/")
    placement = await uow.placements.get(UUID(request_id))
    if placement is None or str(placement.placement_id) != placement_id:
        return  # replaced or gone: this timer is stale
    today = local_day(uow.clock.now())
    due = placement.check_in_due_on(deps.check_in_every_days)
    if due is None or today <= due:
        await schedule_next(uow, deps, placement)  # a check-in moved the due day
        return
    every = placement.check_in_every_days or deps.check_in_every_days
    # The level is the interval overdue today, counted from the due day, not from the
    # timer: a check-in arms level 1 again while the timer of the old due day may still
    # be pending for the same day, and counted per timer the two went on side by side,
    # each alerting (a placement whose coach checked in every 8 weeks on a 14-day rhythm
    # had 3 such chains after 6 months, 3 alerts each fortnight). Counted from the day,
    # they share each next key; a timer counted from an older due day (a higher level
    # than today's) alerts nothing. A timer that fires late alerts at today's level.
    current = ((today - due).days - 1) // every + 1
    await uow.timers.schedule(
        kind=CHECK_IN_TIMER,
        key=check_in_key(placement, current + 1),
        due_at=local_moment(due + timedelta(days=current * every + 1)),
    )
    if int(level) > current:
        _log.info("check_in_timer_merged", placement_id=placement_id, level=int(level))
        return
    placement.check_in_overdue(deps.check_in_every_days, today, current)
    await save(uow, placement)
    _log.info("check_in_overdue", placement_id=placement_id, level=current)


async def set_rhythm_as(
    uow: SupportUnitOfWork, deps: Deps, principal: Principal, request_id: UUID, every_days: int
) -> Placement:
    """The placement's own rhythm (days between check-ins), from its last check-in."""
    if not 1 <= every_days <= 366:
        raise Refused("every_days must be between 1 and 366")
    placement = await load(uow, request_id)
    await access.ensure_placement(uow, principal, placement)
    placement.check_in_every_days = every_days
    await save(uow, placement)
    await schedule_next(uow, deps, placement)
    return placement
