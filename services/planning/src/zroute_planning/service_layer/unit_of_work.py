"""What planning's handlers reach on a unit of work, typed: the repositories the bootstrap
hands the runtime's unit of work (``uow.plans``, ...), the clock, the context, ``emit`` and
``commit``. The runtime's ``UnitOfWork`` is one; the fast tier's fake is another."""

from __future__ import annotations

from typing import Protocol

from zroute_contract.events.base import Event
from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext

from zroute_planning.adapters.calendar_repo import CalendarRepository
from zroute_planning.adapters.group_repo import GroupRepository
from zroute_planning.adapters.ledger_repo import LedgerRepository
from zroute_planning.adapters.placement_repo import PlacementRepository
from zroute_planning.adapters.plan_repo import PlanRepository
from zroute_planning.adapters.reads import PlanningReads
from zroute_planning.adapters.record_repo import RecordRepository
from zroute_planning.adapters.retention_repo import RetentionRepository
from zroute_planning.adapters.timer_repo import TimerRepository


class PlanningUnitOfWork(Protocol):
    """The type of ``uow`` in planning's handlers."""

    plans: PlanRepository
    placements: PlacementRepository
    groups: GroupRepository
    records: RecordRepository
    timers: TimerRepository
    ledger: LedgerRepository
    reads: PlanningReads
    calendar: CalendarRepository
    retention: RetentionRepository
    clock: Clock
    context: MessageContext

    def emit(
        self, payload: Event, *, subject: str | None = None, dataref: str | None = None
    ) -> None:
        """Record an event that belongs to no aggregate (a group formation's)."""

    async def commit(self) -> list[str]:
        """Write the collected events to the outbox and commit."""
