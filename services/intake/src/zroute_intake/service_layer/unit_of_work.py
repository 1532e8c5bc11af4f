"""What intake's handlers and views reach on a unit of work: the typed repositories the
bootstrap registers (``bootstrap.repositories``), the clock, the context, ``emit`` and
``commit``. The runtime's :class:`~zroute_runtime.unit_of_work.UnitOfWork` is one, and so is
the fast tier's ``tests/fakes.FakeUnitOfWork``."""

from __future__ import annotations

from typing import Any, Protocol

from zroute_contract.events.base import Event
from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext

from zroute_intake.adapters.access_log import AccessLogRepository
from zroute_intake.adapters.interpreter_repo import InterpreterAnswerRepository
from zroute_intake.adapters.meeting_repo import MeetingRepository
from zroute_intake.adapters.participant_repo import ParticipantRepository
from zroute_intake.adapters.pip_repo import PipRepository
from zroute_intake.adapters.reads import IntakeReads
from zroute_intake.adapters.relation_repo import RelationRepository
from zroute_intake.adapters.report_repo import ReportRepository
from zroute_intake.adapters.timer_repo import TimerRepository


class IntakeUnitOfWork(Protocol):
    """One transaction of the intake service and the events it causes."""

    participants: ParticipantRepository
    pips: PipRepository
    meetings: MeetingRepository
    timers: TimerRepository
    access_log: AccessLogRepository
    relations: RelationRepository
    interpreters: InterpreterAnswerRepository
    reads: IntakeReads
    report: ReportRepository
    clock: Clock
    context: MessageContext

    def emit(
        self, payload: Event, *, subject: str | None = None, dataref: str | None = None
    ) -> None:
        """Record an event that belongs to no aggregate (intake has none today)."""

    async def commit(self) -> Any:
        """Write the collected events to the outbox and commit."""
