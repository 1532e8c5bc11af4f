"""The unit of work: one database transaction, and the events it causes.

Handlers change state through repositories bound to the unit of work's connection and
record what happened on aggregates (``aggregate.events``) or with :meth:`emit`. On
:meth:`commit` the collected events are drained into the outbox inside the same
transaction; nothing is ever published straight from a handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import asyncpg
from asyncpg.transaction import TransactionState
from zroute_contract.events.base import Event

from zroute_runtime import audit
from zroute_runtime.clock import Clock
from zroute_runtime.context import MessageContext
from zroute_runtime.outbox import PendingEvent, subject_of, write_events
from zroute_runtime.repository import Aggregate, RepositoryFactory, TrackingRepository

__all__ = ["Aggregate", "UnitOfWork", "UnitOfWorkFactory"]


def _can_adopt() -> bool:
    """True when asyncpg has the private attributes :meth:`UnitOfWork._begin` sets to
    adopt a transaction begun by its first statement (checked, not assumed)."""
    slots = getattr(asyncpg.Connection, "__slots__", ())
    return (
        "_top_xact" in slots
        and "_connection" in getattr(asyncpg.transaction.Transaction, "__slots__", ())
        and "_state" in getattr(asyncpg.transaction.Transaction, "__slots__", ())
    )


_CAN_ADOPT = _can_adopt()


class UnitOfWork:
    """``async with uow:`` opens a transaction; leaving without ``commit`` rolls it back."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        source: str,
        clock: Clock,
        context: MessageContext | None = None,
        on_commit: Callable[[], None] | None = None,
        dataref_for: Callable[[Event], str | None] | None = None,
        repositories: RepositoryFactory | None = None,
    ) -> None:
        self._pool = pool
        # Where the record an event is about can be read (the service's own API), for
        # events whose emitter named none (see ServiceDefinition.datarefs).
        self._dataref_for = dataref_for
        self.source = source
        self.clock = clock
        self.context = context or MessageContext.new()
        self._on_commit = on_commit
        self._pending: list[PendingEvent] = []
        self._seen: list[Aggregate] = []
        self.conn: asyncpg.Connection
        self._transaction: asyncpg.transaction.Transaction | None = None
        self.committed = False
        # The service's repositories (``uow.plans``), made on the connection on entry.
        self._repository_factory = repositories
        self._repositories: dict[str, TrackingRepository] = {}
        self._first_statement: str | None = None
        # The command status of the statement given to begin_with ("INSERT 0 1").
        self.first_status: str | None = None
        # What the earlier steps of a batch caused (next_step), written at commit.
        self._earlier: list[PendingEvent] = []

    def begin_with(self, statement: str) -> UnitOfWork:
        """Run ``statement`` (literal SQL, no parameters) in the round trip that begins
        the transaction, before ``async with``; its command status is then in
        :attr:`first_status`. The consumer claims the inbox row this way: one round trip
        less per event (the ``BEGIN`` was the consumer's costliest statement in the
        issue 20 profile)."""
        self._first_statement = statement
        return self

    async def __aenter__(self) -> UnitOfWork:
        self.conn = await self._pool.acquire()
        try:
            await self._begin()
        except BaseException:
            await self._pool.release(self.conn)
            raise
        if self._repository_factory is not None:
            self._repositories = dict(self._repository_factory(self.conn))
        return self

    def __getattr__(self, name: str) -> Any:
        """A repository declared by the service (``uow.plans``), bound to this transaction."""
        repositories = self.__dict__.get("_repositories") or {}
        if name in repositories:
            return repositories[name]
        raise AttributeError(name)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._transaction is not None and not self.committed:
                await self._transaction.rollback()
        finally:
            await self._pool.release(self.conn)
        if self.committed and self._on_commit is not None:
            self._on_commit()

    async def _begin(self) -> None:
        transaction = self.conn.transaction()
        if self._first_statement is None or not _CAN_ADOPT:
            await transaction.start()
            self._transaction = transaction
            if self._first_statement is not None:  # the public path: a round trip more
                self.first_status = await self.conn.execute(self._first_statement)
            return
        # Transaction.start sends "BEGIN;" alone; here the first statement goes with it
        # in one simple query, and the transaction is then marked started as start()
        # marks it (the connection's top transaction), so commit, rollback and nested
        # savepoints (``conn.transaction()`` in a repository or a timer) work as usual.
        #
        # Why private attributes: asyncpg (0.32) has no public way to do this. Its
        # Transaction always sends BEGIN alone; a BEGIN sent with ``execute`` is a
        # "manually started transaction", in which asyncpg refuses ``conn.transaction()``
        # (the savepoints above) and leaves commit and rollback to raw SQL; and it does
        # not pipeline two statements. The two attributes are checked at import
        # (``_CAN_ADOPT``): without them this takes the public path above.
        connection = transaction._connection
        if connection._top_xact is not None or connection.is_in_transaction():
            raise RuntimeError("a unit of work begins on a connection outside a transaction")
        try:
            self.first_status = await self.conn.execute("BEGIN; " + self._first_statement)
        except BaseException:
            if self.conn.is_in_transaction():
                await self.conn.execute("ROLLBACK")
            raise
        connection._top_xact = transaction
        transaction._state = TransactionState.STARTED
        self._transaction = transaction

    def next_step(self, context: MessageContext) -> None:
        """Go on to the next of several events handled in this one transaction (the
        consumer's batch): what the events so far caused is set aside, each keeping the
        correlation and cause of its own event, and the next one starts with
        ``context`` and repositories of its own, as it would in a transaction of its
        own. Everything is written to the outbox, in order, at :meth:`commit`."""
        for pending in self.collect_new_events():
            self._earlier.append(
                PendingEvent(pending.payload, pending.subject, pending.dataref, self.context)
            )
        self.context = context
        self._seen = []
        if self._repository_factory is not None:
            self._repositories = dict(self._repository_factory(self.conn))

    def track(self, aggregate: Aggregate) -> None:
        """Remember an aggregate so its events are collected at commit."""
        self._seen.append(aggregate)

    def emit(
        self, payload: Event, *, subject: str | None = None, dataref: str | None = None
    ) -> None:
        """Record an event to publish when (and only if) this unit of work commits."""
        self._pending.append(PendingEvent(payload, subject or subject_of(payload), dataref))

    def collect_new_events(self) -> list[PendingEvent]:
        """The events to write: those emitted, and those of every aggregate tracked or seen
        by a repository, in that order (cosmicpython's ``collect_new_events``)."""
        seen = list(self._seen)
        for repository in self._repositories.values():
            seen.extend(a for a in repository.seen if not any(a is s for s in seen))
        for aggregate in seen:
            while aggregate.events:
                payload = aggregate.events.pop(0)
                self._pending.append(PendingEvent(payload, subject_of(payload)))
        pending, self._pending = self._pending, []
        if self._dataref_for is not None:
            pending = [
                p if p.dataref else PendingEvent(p.payload, p.subject, self._dataref_for(p.payload))
                for p in pending
            ]
        return pending

    async def commit(self) -> list[str]:
        """Write collected events to the outbox and commit; returns the event ids."""
        assert self._transaction is not None, "commit outside 'async with'"
        events = self._earlier + self.collect_new_events()
        self._earlier = []
        now = self.clock.now()
        ids = await write_events(
            self.conn,
            source=self.source,
            events=events,
            context=self.context,
            now=now,
            # The acting user's trail, in the same transaction as what they did.
            trail=audit.trail_rows(events),
        )
        await self._transaction.commit()
        self.committed = True
        return ids

    async def rollback(self) -> None:
        if self._transaction is not None and not self.committed:
            await self._transaction.rollback()
            self._transaction = None


UnitOfWorkFactory = Callable[[MessageContext | None], UnitOfWork]
"""Makes a unit of work for a context; chosen in bootstrap, faked in unit tests."""

AsyncHook = Callable[[], Awaitable[None]]
