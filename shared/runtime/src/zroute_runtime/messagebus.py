"""The registry that maps event types to the handlers a service runs for them.

Handlers are plain async functions ``handler(event, ctx)``; the service's
``bootstrap`` builds the registry, so the broker adapter only looks things up here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zroute_contract.envelope import CloudEvent
from zroute_contract.events.base import Event

from zroute_runtime.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class HandlerContext:
    """What a handler gets besides the event: the envelope, the routing key it came
    with, and the unit of work its effects must go through."""

    envelope: CloudEvent
    routing_key: str
    uow: UnitOfWork


Handler = Callable[[Any, HandlerContext], Awaitable[None]]
HandlerRegistry = Mapping[type[Event], Sequence[Handler]]


class Unprocessable(Exception):
    """A valid event this service can never handle, whatever arrives later (a partner
    this service registers itself and does not know, a request it never made): it is
    dead-lettered at once with ``reason``, without retries. For state that is missing
    because an earlier event has not arrived yet, raise :class:`AwaitingPredecessor`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AwaitingPredecessor(Exception):
    """A valid event whose prerequisite this service has not seen yet (the participant's
    ``participant-registered`` is still in a retry queue, or on its way from another
    instance). Not a failure: the consumer rolls back and hands the event back to the
    queue after a delay, again and again, until its predecessor has taken effect or
    ``ZROUTE_PREDECESSOR_WAIT_S`` has passed; only then is it dead-lettered with
    ``reason`` (kind ``predecessor-missing``). Failure retries are not used up by the
    wait."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def binding_keys(handlers: HandlerRegistry, *, partner_id: str | None = None) -> list[str]:
    """The routing keys a service binds for its handlers.

    An addressed event is bound for one partner when ``partner_id`` is given (a
    partner's own service), or for every partner (``.*``) by the service that routes
    them on the partner's behalf.
    """
    keys = []
    for event_cls in handlers:
        spec = event_cls.spec
        if spec.addressed_by:
            keys.append(f"{spec.routing_key}.{partner_id or '*'}")
        else:
            keys.append(spec.routing_key)
    return sorted(set(keys))
