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
from typing import TYPE_CHECKING, Any

from zroute_runtime.auth.principal import Principal

if TYPE_CHECKING:  # the outbox imports this module
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


@dataclass(frozen=True)
class TrailRows:
    """The trail rows of one commit: one per event about a participant, all by one actor."""

    participant_refs: list[str]
    actions: list[str]
    services: list[str]
    actor: str
    actor_roles: list[str]


def trail_rows(events: Sequence[PendingEvent]) -> TrailRows | None:
    """The rows ``events`` leave in the trail, None when no user caused them (or none is
    about a participant). The outbox writes them with its counter, in one statement."""
    actor = current_actor()
    if actor is None:
        return None
    about = [e for e in events if e.subject]
    if not about:
        return None
    return TrailRows(
        participant_refs=[e.subject for e in about if e.subject],
        actions=[e.payload.spec.name for e in about],
        services=[e.payload.spec.producer for e in about],
        actor=actor.subject,
        actor_roles=sorted(r.value for r in actor.roles),
    )


TRAIL_INSERT = """
    INSERT INTO zr_audit_trail (participant_ref, action, actor, actor_roles, at, service)
    SELECT t.participant_ref, t.action, {actor}::text, {roles}::text[], {at}::timestamptz,
           t.service
    FROM unnest({refs}::text[], {actions}::text[], {services}::text[])
         WITH ORDINALITY AS t(participant_ref, action, service, n)
    ORDER BY t.n
"""
"""The trail's INSERT with its parameters' places left open: the outbox writes it in
the statement that numbers the events (``zroute_runtime.outbox.write_events``), so the
trail costs no round trip of its own."""


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
