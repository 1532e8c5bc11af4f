"""Who did what to a participant: every command a logged-in user causes, in every
service, from the service's own records (issue 15.6, issue 19).

The access check of an API call (:func:`zroute_runtime.auth.dependencies.authorize`)
and of a page (``zroute_ui``) names the acting user for the rest of the request
(:func:`set_actor`). When that request's unit of work commits, each event it writes
about a participant leaves one row here in the same transaction: the participant, the
action (the event's name, a code), the acting user's subject and roles, and the time on
the service's clock. Work no user caused (a consumer, a timer) is not a user's action
and leaves no row. The rows hold codes only, like the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from zroute_runtime.auth.principal import Principal
from zroute_runtime.outbox import PendingEvent

_actor: ContextVar[Principal | None] = ContextVar("zroute_actor", default=None)
READ_LIMIT = 500


def set_actor(principal: Principal | None) -> None:
    """Name the user the current request acts for (each request runs in its own task)."""
    _actor.set(principal)


def current_actor() -> Principal | None:
    """The user the current request acts for, None outside a user's request."""
    return _actor.get()


@dataclass(frozen=True)
class AuditEntry:
    """One action of a user about a participant."""

    participant_ref: str
    action: str
    actor: str
    actor_roles: tuple[str, ...]
    at: datetime
    service: str


async def record(
    conn: asyncpg.Connection, *, events: Sequence[PendingEvent], now: datetime
) -> None:
    """Write a row for each event about a participant, when a user caused them."""
    actor = current_actor()
    if actor is None:
        return
    roles = sorted(r.value for r in actor.roles)
    rows = [
        (e.subject, e.payload.spec.name, actor.subject, roles, now, e.payload.spec.producer)
        for e in events
        if e.subject
    ]
    if rows:
        await conn.executemany(
            """
            INSERT INTO zr_audit_trail (participant_ref, action, actor, actor_roles, at, service)
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
            rows,
        )


async def read(conn: Any, participant_ref: str, limit: int = READ_LIMIT) -> list[AuditEntry]:
    """The participant's trail in this service, newest first."""
    rows = await conn.fetch(
        """
        SELECT participant_ref, action, actor, actor_roles, at, service
        FROM zr_audit_trail WHERE participant_ref = $1
        ORDER BY at DESC, id DESC LIMIT $2
        """,
        participant_ref,
        limit,
    )
    return [
        AuditEntry(
            r["participant_ref"],
            r["action"],
            r["actor"],
            tuple(r["actor_roles"]),
            r["at"],
            r["service"],
        )
        for r in rows
    ]
