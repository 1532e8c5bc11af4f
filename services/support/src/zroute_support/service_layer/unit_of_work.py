"""What support's handlers reach on a unit of work: the typed repositories the bootstrap
registers (``uow.referrals``, ``uow.participants``, ...), the clock, the context, ``emit``
and ``commit``. The runtime's ``UnitOfWork`` and the fast tier's ``FakeUnitOfWork`` both
fit it."""

from __future__ import annotations

from typing import Any, Protocol

from zroute_contract.events.base import Event
from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext

from zroute_support.adapters.care_pauses_repo import CarePauseRepository
from zroute_support.adapters.employers_repo import EmployerRepository
from zroute_support.adapters.interpreters_repo import InterpreterRequestRepository
from zroute_support.adapters.overrides_repo import ConsentOverrideRepository
from zroute_support.adapters.participants_repo import ParticipantRepository
from zroute_support.adapters.partners_repo import AgreementRepository, PartnerRepository
from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.adapters.reads import SupportReads
from zroute_support.adapters.reassignments_repo import ReassignmentRepository
from zroute_support.adapters.referrals_repo import ReferralRepository
from zroute_support.adapters.retention_repo import RetentionRepository
from zroute_support.adapters.timer_repo import TimerRepository
from zroute_support.adapters.waiting_repo import WaitingList


class SupportUnitOfWork(Protocol):
    """The type of ``uow`` in support's handlers and views."""

    participants: ParticipantRepository
    partners: PartnerRepository
    agreements: AgreementRepository
    referrals: ReferralRepository
    placements: PlacementRepository
    employers: EmployerRepository
    preconditions: PreconditionRepository
    waiting: WaitingList
    overrides: ConsentOverrideRepository
    interpreters: InterpreterRequestRepository
    reassignments: ReassignmentRepository
    care_pauses: CarePauseRepository
    timers: TimerRepository
    retention: RetentionRepository
    reads: SupportReads
    clock: Clock
    context: MessageContext

    def emit(
        self, payload: Event, *, subject: str | None = None, dataref: str | None = None
    ) -> Any:
        """Record an event that belongs to no aggregate (published at commit)."""

    async def commit(self) -> Any:
        """Write the collected events to the outbox and commit."""
