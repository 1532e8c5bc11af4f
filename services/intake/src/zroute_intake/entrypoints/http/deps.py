"""Dependencies of the HTTP routers: the intake deps, who may call, the participant
reference, the ``If-Match`` version, and the ETag of an answer."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Path, Request, Response, status
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.http_host import Runtime

from zroute_intake.service_layer.deps import IntakeDependencies

__all__ = ["Runtime"]

Caseworker = Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]
"""Writes: the municipality's caseworkers only."""
Reader = Annotated[Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR))]
"""Reads of the pseudonymous record: caseworkers and the programme coordinator."""
Auditor = Annotated[
    Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR, Role.OPERATOR))
]
"""Reads of the access log (which holds no personal data)."""
PartnerStaff = Annotated[Principal, Depends(require_roles(Role.PARTNER_STAFF))]
"""The contact card: a partner's staff, for their own partner (named in the token)."""
Service = Annotated[Principal, Depends(require_roles(Role.SERVICE))]
"""Another Z-route service acting for itself (notifications naming a participant)."""

ParticipantRef = Annotated[
    str, Path(pattern=PARTICIPANT_REF_PATTERN, description="The pseudonymous reference.")
]

_VERSION = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')


async def _expected_version(  # async: a plain def dependency runs in a worker thread
    if_match: Annotated[
        str | None,
        Header(description='The version last read, as an ETag ("3"); a stale one answers 409.'),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    match = _VERSION.match(if_match.strip())
    if match is None:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, 'If-Match must be the participant\'s version, like "3"'
        )
    return int(match.group(2))


ExpectedVersion = Annotated[int | None, Depends(_expected_version)]


def intake_dependencies(runtime: Any) -> IntakeDependencies:
    """The dependencies bootstrap chose (``runtime.definition.deps``)."""
    deps: IntakeDependencies = runtime.definition.deps
    return deps


async def _deps(request: Request) -> IntakeDependencies:
    # From the request rather than from the Runtime dependency: one dependency less to
    # solve on every request that takes both (issue 20). Async: a plain def would run in
    # a worker thread.
    return intake_dependencies(request.app.state.runtime)


IntakeDeps = Annotated[IntakeDependencies, Depends(_deps)]


def etag(response: Response, version: int) -> None:
    """The version of the record answered, for the caller's next ``If-Match``."""
    response.headers["ETag"] = f'"{version}"'
