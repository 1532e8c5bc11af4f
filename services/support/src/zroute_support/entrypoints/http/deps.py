"""What the routers share: the service's rules (built once, in the bootstrap) and who
may call. Access checks live in ``service_layer/access.py``; refusals are mapped to 4xx by
the runtime's one command path (``zroute_runtime.commands``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.http_host import Runtime

from zroute_support.service_layer.deps import Deps


def deps_of(runtime: Any) -> Deps:
    """The rules the bootstrap built; built from the settings once if it did not."""
    deps: Deps | None = getattr(runtime.definition, "deps", None)
    if deps is None:
        deps = Deps.from_settings(runtime.settings)
        runtime.definition.deps = deps
    return deps


async def get_deps(runtime: Runtime) -> Deps:
    """``deps_of`` as a dependency (async: no thread hop for an attribute read)."""
    return deps_of(runtime)


SupportDeps = Annotated[Deps, Depends(get_deps)]

Anyone = Annotated[
    Principal,
    Depends(require_roles(Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER_STAFF, Role.OPERATOR)),
]
"""Any staff role: reads that are scoped further per partner."""
Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]
Referrer = Annotated[Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR))]
PartnerStaff = Annotated[Principal, Depends(require_roles(Role.PARTNER_STAFF))]
"""A partner's own staff (answers only the partner itself gives)."""
