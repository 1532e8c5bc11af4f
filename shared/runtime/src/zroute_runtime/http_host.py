"""The HTTP side of a running service: its routers, plus the operator's clock control.

Routers reach the running service through :data:`Runtime` (``app.state.runtime``),
never through module globals, so several services can run in one test process.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import zroute_contract
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from zroute_contract.envelope import TRACEPARENT_PATTERN

from zroute_runtime.auth import CurrentPrincipal, Role, require_roles
from zroute_runtime.auth.matrix import matrix_for
from zroute_runtime.clock import SimulatedClock
from zroute_runtime.context import MessageContext
from zroute_runtime.http import create_app

if TYPE_CHECKING:
    from zroute_runtime.service import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


async def _runtime(request: Request) -> ServiceRuntime:
    # async: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop on
    # every request for what is an attribute read (seen in the intake profile)
    return get_runtime(request)


Runtime = Annotated[Any, Depends(_runtime)]
"""The running :class:`~zroute_runtime.service.ServiceRuntime` (typed ``Any`` for FastAPI)."""


def command_context(request: Request) -> MessageContext:
    """The context of an HTTP command: the caller's correlation id (``X-Correlation-ID``)
    or a new one, and the W3C trace context headers, carried into the events it causes."""
    correlation = request.headers.get("x-correlation-id", "")
    valid = 0 < len(correlation) <= 128 and correlation.isprintable()
    return MessageContext(
        correlation_id=correlation if valid else MessageContext.new().correlation_id,
        traceparent=_valid_traceparent(request.headers.get("traceparent")),
        tracestate=(request.headers.get("tracestate") or None),
    )


def _valid_traceparent(value: str | None) -> str | None:
    if value and re.fullmatch(TRACEPARENT_PATTERN, value):
        return value
    return None  # a malformed header is dropped, not passed on


async def _command_context(request: Request) -> MessageContext:
    return command_context(request)  # async for the same reason as _runtime


CommandContext = Annotated[MessageContext, Depends(_command_context)]
"""Inject into a command endpoint and pass to ``runtime.uow(ctx)``."""


class ClockState(BaseModel):
    now: datetime
    simulated: bool


class ClockAdvance(BaseModel):
    """How far to move a simulated clock; at most a year per call."""

    seconds: float = Field(gt=0, le=366 * 24 * 3600)


clock_router = APIRouter(prefix="/admin/clock", tags=["operations"])


@clock_router.get("", dependencies=[Depends(require_roles(Role.OPERATOR))])
async def read_clock(runtime: Runtime) -> ClockState:
    """The service's current time, and whether it is simulated."""
    return ClockState(now=runtime.clock.now(), simulated=isinstance(runtime.clock, SimulatedClock))


@clock_router.post("/advance", dependencies=[Depends(require_roles(Role.OPERATOR))])
async def advance_clock(body: ClockAdvance, runtime: Runtime) -> ClockState:
    """Move a simulated clock forward and fire the timers that fell due (demo, tests)."""
    if not isinstance(runtime.clock, SimulatedClock):
        raise HTTPException(409, "this service runs on the system clock; it cannot be advanced")
    await runtime.advance_clock(timedelta(seconds=body.seconds))
    return ClockState(now=runtime.clock.now(), simulated=True)


events_router = APIRouter(prefix="/events", tags=["events"])

FEED_LIMIT = 500
MAX_SEQUENCE = 2**63 - 1  # zr_outbox.sequence is a bigint


class EventFeed(BaseModel):
    """A page of the events this service published, in ``sequence`` order, for an
    integrator resynchronising after a gap (docs/integrators.md)."""

    source: str = Field(description="The CloudEvents source all these events share.")
    events: list[dict[str, Any]] = Field(description="CloudEvents, structured JSON, as published.")
    withheld: list[int] = Field(
        description="Sequence numbers in this page of events addressed to one partner (care "
        "details): they reach only that partner's own binding, never the feed."
    )
    next_after: int = Field(description="Pass as ``after`` to read on.")
    more: bool = Field(description="True when more published events follow.")


@events_router.get("", summary="The events this service published, by sequence or time")
async def read_events(
    runtime: Runtime,
    principal: Annotated[Any, Depends(require_roles(Role.COORDINATOR, Role.OPERATOR))],
    after: Annotated[
        int, Query(ge=0, le=MAX_SEQUENCE, description="Events with a higher sequence")
    ] = 0,
    since: Annotated[
        datetime | None, Query(description="Only events whose CloudEvents time is at or after")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=FEED_LIMIT)] = 100,
) -> EventFeed:
    """Published events with ``sequence`` above ``after`` (and ``time`` at or after
    ``since``), oldest first, up to the first number not yet published, so a page never
    has a hole that a later read would fill. A coordinator or operator without a
    municipality scope may read it: the feed is not divided by municipality."""
    if principal.municipality_scope() is not None:
        raise HTTPException(403, "the event feed is not scoped by municipality")
    if since is not None and since.tzinfo is None:
        raise HTTPException(422, "since needs a UTC offset")
    rows = await runtime.pool.fetch(
        """
        SELECT sequence, routing_key, body FROM zr_outbox
        WHERE sequence > $1
          AND published_at IS NOT NULL
          AND sequence < COALESCE(
                (SELECT min(sequence) FROM zr_outbox WHERE published_at IS NULL),
                $4)
          AND ($2::timestamptz IS NULL OR (body::jsonb ->> 'time')::timestamptz >= $2)
        ORDER BY sequence
        LIMIT $3
        """,
        after,
        since,
        limit + 1,
        MAX_SEQUENCE,
    )
    page, more = rows[:limit], len(rows) > limit
    events, withheld = [], []
    for row in page:
        if len(row["routing_key"].split(".")) > 3:
            withheld.append(row["sequence"])
        else:
            events.append(json.loads(row["body"]))
    return EventFeed(
        source=runtime.source,
        events=events,
        withheld=withheld,
        next_after=page[-1]["sequence"] if page else after,
        more=more,
    )


contract_router = APIRouter(prefix="/contract", tags=["contract"])
_CONTRACT_DIR = Path(zroute_contract.__file__).parent


@contract_router.get("/asyncapi.json")
async def asyncapi(_: CurrentPrincipal) -> FileResponse:
    """The AsyncAPI 3.0 document of every event (references resolve under ``schemas/``)."""
    return FileResponse(_CONTRACT_DIR / "asyncapi.json", media_type="application/json")


@contract_router.get("/schemas/{name}")
async def json_schema(name: str, _: CurrentPrincipal) -> FileResponse:
    """The committed JSON Schema of one event type's data (``<type>.json``) or of the
    envelope (``cloudevent.json``), for integrators who do not use Python."""
    if not re.fullmatch(r"[a-z0-9.-]+\.json", name):
        raise HTTPException(404, "no such schema")
    path = _CONTRACT_DIR / "schemas" / name
    if not path.is_file():
        raise HTTPException(404, f"no schema named {name}; see /contract/asyncapi.json")
    return FileResponse(path, media_type="application/schema+json")


def build_app(runtime: ServiceRuntime) -> FastAPI:
    app = create_app(
        service=runtime.service,
        settings=runtime.settings,
        routers=[*runtime.definition.routers, clock_router, events_router, contract_router],
        readiness=runtime.ready,
        metrics=runtime.metrics,
        version=runtime.definition.version,
        access=matrix_for(runtime.service),
    )
    for exception, handler in runtime.definition.exception_handlers.items():
        app.add_exception_handler(exception, handler)
    app.state.runtime = runtime
    return app
