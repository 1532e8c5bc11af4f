"""The municipality rule of this service (``Principal.municipality_scope``, as in intake,
planning and support): a caller limited to one municipality reaches only records of it.

A partner, staff member or employer serving several municipalities is shared: only the
operator and coordinators whose token names no municipality manage it. The operator desk
(kind ``operator``) and integrators (subscriptions without a partner) belong to the
platform, not to one municipality.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import asyncpg
from fastapi import HTTPException
from zroute_runtime.auth import Principal

from zroute_notifications.adapters import municipalities

ELSEWHERE = "this record belongs to another municipality"


async def may_reach_recipient(
    conn: asyncpg.Connection, principal: Principal, kind: str, ref: str
) -> bool:
    scope = principal.municipality_scope()
    if scope is None:
        return True
    if kind == "operator":
        return False
    served = await municipalities.of_recipient(conn, kind, ref)
    if served is None:
        return kind != "partner"  # a new staff member or employer; an unknown partner: no
    return served == {scope}


async def ensure_recipient(
    conn: asyncpg.Connection, principal: Principal, kind: str, ref: str
) -> None:
    if not await may_reach_recipient(conn, principal, kind, ref):
        raise HTTPException(403, ELSEWHERE)


async def ensure_programme(
    conn: asyncpg.Connection, principal: Principal, programme_id: str
) -> None:
    scope = principal.municipality_scope()
    if scope is not None and await municipalities.of_programme(conn, programme_id) != {scope}:
        raise HTTPException(403, "this programme belongs to another municipality")


async def record_in_scope(
    conn: asyncpg.Connection, principal: Principal, row: Mapping[str, Any]
) -> bool:
    """A notification or inbox message: in scope when its participant (or else its
    programme) is of the caller's municipality; one about nobody in particular only for
    callers without a municipality."""
    scope = principal.municipality_scope()
    if scope is None:
        return True
    participant = row.get("participant_ref")
    if participant:
        return await municipalities.of_participant(conn, participant) == scope
    programme = row.get("programme_id")
    if programme:
        return await municipalities.of_programme(conn, programme) == {scope}
    return False


async def in_scope(
    conn: asyncpg.Connection, principal: Principal, rows: Iterable[Mapping[str, Any]]
) -> list[Any]:
    return [r for r in rows if await record_in_scope(conn, principal, r)]
