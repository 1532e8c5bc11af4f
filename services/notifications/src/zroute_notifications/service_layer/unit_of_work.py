"""What a notifications handler reaches on its unit of work: the typed repositories, the
clock, the context, ``emit`` and ``commit``. The runtime's ``UnitOfWork`` with the
repositories of ``bootstrap.repositories`` is one; ``tests/fakes.FakeUnitOfWork`` with
in-memory ones is another."""

from __future__ import annotations

from typing import Protocol

from zroute_contract.events.base import Event
from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext

from zroute_notifications.adapters.directory_repo import DirectoryRepository
from zroute_notifications.adapters.notification_repo import NotificationRepository
from zroute_notifications.adapters.participant_repo import ParticipantRepository
from zroute_notifications.adapters.readmodel_repo import ReadModelRepository
from zroute_notifications.adapters.reads import NotificationsReads
from zroute_notifications.adapters.retention_repo import RetentionRepository
from zroute_notifications.adapters.timer_repo import TimerRepository


class NotificationsUnitOfWork(Protocol):
    """The unit of work of every notifications handler, timer and command."""

    notifications: NotificationRepository
    directory: DirectoryRepository
    readmodel: ReadModelRepository
    timers: TimerRepository
    participants: ParticipantRepository
    retention: RetentionRepository
    reads: NotificationsReads
    clock: Clock
    context: MessageContext

    def emit(
        self, payload: Event, *, subject: str | None = None, dataref: str | None = None
    ) -> None: ...

    async def commit(self) -> list[str]: ...
