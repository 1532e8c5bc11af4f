"""Serving a real app for HTTP tests: uvicorn on an ephemeral 127.0.0.1 port, in a task.

Also a small router standing in for a service's endpoints, so auth and the app factory
are tested on routes shaped like the real ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, Field
from starlette.types import ASGIApp
from zroute_runtime.auth import (
    CurrentPrincipal,
    Principal,
    Role,
    ensure_partner_access,
    require_roles,
)
from zroute_runtime.http import Lifespan, Readiness, create_app
from zroute_runtime.logging import get_logger
from zroute_runtime.metrics import Metrics
from zroute_runtime.settings import ServiceSettings

from tests.helpers import wait_for

SIGNING_KEY = "http-test-signing-key-0123456789-abcdefghij"
SERVICE = "probe"


def local_settings(**overrides: Any) -> ServiceSettings:
    """Settings for an app verifying locally signed tokens; explicit values beat the env."""
    values: dict[str, Any] = {
        "auth_signing_key": SIGNING_KEY,
        "auth_oidc_jwks_url": None,
        "auth_issuer": "zroute-test",
        "auth_audience": "zroute-probe",
    }
    values.update(overrides)
    return ServiceSettings(**values)


class ThingIn(BaseModel):
    """A request body with constraints, for validation-error tests."""

    count: int = Field(ge=1, le=10)
    code: str = Field(pattern=r"^[a-z]{3}$")


CaseworkerDep = Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]
PartnerSideDep = Annotated[Principal, Depends(require_roles(Role.PARTNER_STAFF, Role.COORDINATOR))]


def probe_router() -> APIRouter:
    """Endpoints with the access rules a real service has."""
    router = APIRouter()
    log = get_logger("tests.probe")

    @router.get("/whoami")
    async def whoami(principal: CurrentPrincipal) -> dict[str, Any]:
        return {"subject": principal.subject, "roles": sorted(principal.roles)}

    @router.get("/cases")
    async def cases(principal: CaseworkerDep) -> dict[str, Any]:
        log.info("cases_listed", subject=principal.subject)
        return {"cases": [], "subject": principal.subject}

    @router.get("/partners/{partner_id}/things")
    async def partner_things(partner_id: str, principal: PartnerSideDep) -> dict[str, Any]:
        ensure_partner_access(principal, partner_id)
        return {"partner_id": partner_id, "things": []}

    @router.post("/things", status_code=201)
    async def create_thing(thing: ThingIn, principal: CaseworkerDep) -> dict[str, Any]:
        return thing.model_dump()

    @router.get("/boom")
    async def boom(principal: CaseworkerDep) -> dict[str, Any]:
        raise RuntimeError("a bug in a handler")

    return router


async def all_ready() -> Mapping[str, bool]:
    return {"database": True, "broker": True}


def probe_app(
    settings: ServiceSettings | None = None,
    *,
    readiness: Readiness = all_ready,
    metrics: Metrics | None = None,
    lifespan: Lifespan | None = None,
) -> FastAPI:
    """An app built by the real factory around :func:`probe_router`."""
    return create_app(
        service=SERVICE,
        settings=settings if settings is not None else local_settings(),
        routers=[probe_router()],
        readiness=readiness,
        metrics=metrics if metrics is not None else Metrics(SERVICE),
        lifespan=lifespan,
        version="0.0.1-test",
    )


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn until the block ends; yields its base URL."""
    # log_config=None: uvicorn must not replace the logging setup a test made.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await wait_for(lambda: server.started or task.done(), timeout=10, what="uvicorn")
        if not server.started:
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
