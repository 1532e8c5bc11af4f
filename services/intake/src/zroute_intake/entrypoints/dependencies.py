"""FastAPI dependency aliases and the one way HTTP runs a command."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, HTTPException, Path, Request, status
from pydantic import ValidationError
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.http_host import Runtime, command_context
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_intake.domain.errors import (
    Conflict,
    DomainError,
    DuplicateBsn,
    Forbidden,
    InvalidRequest,
    NotFound,
)
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.dependencies import IntakeDependencies

Caseworker = Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]
"""Writes: the municipality's caseworkers only."""
Reader = Annotated[Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR))]
"""Reads of the pseudonymous record: caseworkers and the programme coordinator."""
Auditor = Annotated[
    Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR, Role.OPERATOR))
]
"""Reads of the access log (which holds no personal data)."""

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
    return runtime.definition.deps


def http_error(exc: DomainError) -> HTTPException:
    if isinstance(exc, DuplicateBsn):
        return HTTPException(
            status.HTTP_409_CONFLICT,
            exc.reason,
            headers={"Location": f"/participants/{exc.existing_ref}"},
        )
    code = {
        InvalidRequest: status.HTTP_422_UNPROCESSABLE_CONTENT,
        Conflict: status.HTTP_409_CONFLICT,
        NotFound: status.HTTP_404_NOT_FOUND,
        Forbidden: status.HTTP_403_FORBIDDEN,
    }
    for kind, status_code in code.items():
        if isinstance(exc, kind):
            return HTTPException(status_code, exc.reason)
    return HTTPException(status.HTTP_400_BAD_REQUEST, exc.reason)


C = TypeVar("C")
Handler = Callable[[C, UnitOfWork, IntakeDependencies], Awaitable[Participant]]


async def run_command(runtime: Any, request: Request, handler: Handler[C], cmd: C) -> Participant:
    """Run one command in its own unit of work; domain refusals become 4xx answers.

    The caller's ``X-Correlation-ID`` and trace context travel into the events it causes."""
    try:
        async with runtime.uow(command_context(request)) as uow:
            participant = await handler(cmd, uow, intake_dependencies(runtime))
            await uow.commit()
            return participant
    except DomainError as exc:
        raise http_error(exc) from None
    except ValidationError as exc:  # a value the contract refuses: say where, not what
        detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail) from None


__all__ = ["Runtime"]
