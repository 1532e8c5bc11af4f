"""Repositories that remember what they loaded or added (cosmicpython's ``seen``).

A service's repository subclasses :class:`TrackingRepository` and calls :meth:`_seen_now`
on every aggregate it hands out or is given. The unit of work, given the repositories at
construction (``UnitOfWork(..., repositories=factory)``), collects the events of every seen
aggregate at commit: a handler never calls ``uow.track`` or ``uow.emit`` for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

from zroute_contract.events.base import Event


class Aggregate(Protocol):
    """Anything that collects the events it causes."""

    events: list[Event]


A = TypeVar("A", bound=Aggregate)


class TrackingRepository:
    """Base of a repository bound to one unit of work's connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._seen: list[Aggregate] = []

    def _seen_now(self, aggregate: A) -> A:
        """Remember ``aggregate`` (once) and return it."""
        if not any(seen is aggregate for seen in self._seen):
            self._seen.append(aggregate)
        return aggregate

    @property
    def seen(self) -> Iterator[Aggregate]:
        """The aggregates this repository loaded or was given, in that order."""
        return iter(self._seen)


RepositoryFactory = Callable[[Any], Mapping[str, TrackingRepository]]
"""Makes a service's repositories on a connection, by name (``{"plans": ...}``); each is an
attribute of the unit of work (``uow.plans``). Chosen in the service's bootstrap."""
