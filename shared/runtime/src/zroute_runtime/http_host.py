"""The HTTP side of a running service: its routers, plus the operator's clock control.

Routers reach the running service through :data:`Runtime` (``app.state.runtime``),
never through module globals, so several services can run in one test process.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import zroute_contract
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
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


Runtime = Annotated[Any, Depends(get_runtime)]
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


CommandContext = Annotated[MessageContext, Depends(command_context)]
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
        routers=[*runtime.definition.routers, clock_router, contract_router],
        readiness=runtime.ready,
        metrics=runtime.metrics,
        version=runtime.definition.version,
        access=matrix_for(runtime.service),
    )
    for exception, handler in runtime.definition.exception_handlers.items():
        app.add_exception_handler(exception, handler)
    app.state.runtime = runtime
    return app
