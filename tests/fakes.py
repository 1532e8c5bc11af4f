"""Fakes for the fast handler tier of every service: a unit of work and in-memory
repositories that behave like the real ones where a handler can tell, with no broker and no
database.

A service's fast tier subclasses :class:`FakeRepository` for the repositories its handlers
reach and hands them to :class:`FakeUnitOfWork` by name, the way its bootstrap hands the
real ones to the runtime's unit of work (``uow.plans``, ``uow.referrals``, ...). What a
commit would write is :attr:`FakeUnitOfWork.events`, collected as the real unit of work
collects them: emitted events first, then the events of every aggregate a repository saw.
These tests come on top of the real-infrastructure tests, never instead of them.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from zroute_contract.events.base import Event
from zroute_runtime.context import MessageContext

A = TypeVar("A")


class FixedClock:
    """A clock that stands where it is put; ``advance`` moves it forward."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2027, 1, 11, 9, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


class FakeRepository(Generic[A]):
    """An in-memory repository of aggregates by key that remembers what it handed out or
    was given (``seen``), like :class:`zroute_runtime.repository.TrackingRepository`."""

    def __init__(self, *aggregates: A, key: str) -> None:
        self._key = key
        self.rows: dict[Hashable, A] = {getattr(a, key): a for a in aggregates}
        self._seen: list[A] = []
        self.saved: list[A] = []

    def _seen_now(self, aggregate: A) -> A:
        if not any(s is aggregate for s in self._seen):
            self._seen.append(aggregate)
        return aggregate

    @property
    def seen(self) -> list[A]:
        return list(self._seen)

    async def get(self, key: Hashable, **_: Any) -> A | None:
        aggregate = self.rows.get(key)
        return None if aggregate is None else self._seen_now(aggregate)

    async def add(self, aggregate: A) -> None:
        self.rows[getattr(aggregate, self._key)] = self._seen_now(aggregate)

    async def save(self, aggregate: A) -> None:
        self.rows[getattr(aggregate, self._key)] = self._seen_now(aggregate)
        self.saved.append(aggregate)


class FakeUnitOfWork:
    """What a handler reaches on a unit of work: the named repositories, the clock, the
    context, ``emit`` and ``commit``. ``committed`` counts commits; ``events`` is what the
    commits wrote, in order."""

    def __init__(self, clock: FixedClock | None = None, **repositories: Any) -> None:
        self.clock = clock or FixedClock()
        self.context = MessageContext.new()
        self.source = "urn:zroute:test"
        self._repositories = repositories
        self._emitted: list[Event] = []
        self.events: list[Event] = []
        self.committed = 0

    def __getattr__(self, name: str) -> Any:
        repositories = self.__dict__.get("_repositories") or {}
        if name in repositories:
            return repositories[name]
        raise AttributeError(name)

    def emit(self, payload: Event, **_: Any) -> None:
        self._emitted.append(payload)

    def collect_new_events(self) -> list[Event]:
        collected, self._emitted = self._emitted, []
        for repository in self._repositories.values():
            for aggregate in getattr(repository, "seen", ()):
                pending = getattr(aggregate, "events", None)
                while pending:
                    collected.append(pending.pop(0))
        return collected

    async def commit(self) -> list[str]:
        written = self.collect_new_events()
        self.events.extend(written)
        self.committed += 1
        return [str(i) for i in range(len(written))]

    async def rollback(self) -> None:
        self._emitted = []

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None
