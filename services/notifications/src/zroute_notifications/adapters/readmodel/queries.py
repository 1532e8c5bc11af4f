"""Questions to the read model: who holds a role, and what a subscriber may have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

import asyncpg

Conn: TypeAlias = asyncpg.Connection


# -- resolution ------------------------------------------------------------------------
async def contact(conn: Conn, participant_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM nt_contacts WHERE participant_ref = $1", participant_ref
    )


async def own_lead_partner(conn: Conn, participant_ref: str) -> tuple[bool, str | None]:
    # The kept events are the read model here: the last lead-partner-set for the
    # participant (issue 17) decides, so no table of its own is needed.
    row = await conn.fetchrow(
        """
        SELECT body -> 'data' ->> 'lead_partner_id' AS lead FROM nt_events
        WHERE event_type = 'nl.zroute.support.lead-partner-set.v1' AND subject = $1
        ORDER BY time DESC, received_at DESC LIMIT 1
        """,
        participant_ref,
    )
    if row is None:
        return False, None
    return True, row["lead"]


async def current_agreement(conn: Conn, programme_id: str, today: date) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """
        SELECT lead_partner_id, assignments FROM nt_agreements
        WHERE programme_id = $1
        ORDER BY (valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)) DESC,
                 version DESC
        LIMIT 1
        """,
        programme_id,
        today,
    )
    if row is None:
        return None
    return {
        "lead_partner_id": row["lead_partner_id"],
        "assignments": row["assignments"],
    }


async def placement(conn: Conn, participant_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM nt_placements WHERE participant_ref = $1 ORDER BY starts_on DESC LIMIT 1",
        participant_ref,
    )


async def partner_active(conn: Conn, partner_id: str) -> bool:
    active = await conn.fetchval("SELECT active FROM nt_partners WHERE partner_id = $1", partner_id)
    return active is not False


async def sharing_withdrawn(conn: Conn, participant_ref: str, partner_id: str) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM nt_consents WHERE participant_ref = $1"
            " AND purpose = 'partner_sharing' AND withdrawn_on IS NOT NULL"
            " AND (partner_id = $2 OR partner_id IS NULL))",
            participant_ref,
            partner_id,
        )
    )


# -- the consultation overview ---------------------------------------------------------
@dataclass(frozen=True)
class ProgrammeFigures:
    """What the consultation overview of one programme is built from."""

    participants: list[dict[str, Any]]
    attendance: list[asyncpg.Record]
    items: list[dict[str, Any]]


async def programme_figures(conn: Conn, programme_id: str) -> ProgrammeFigures:
    participants = await conn.fetch(
        "SELECT participant_ref, status, phase, targets FROM nt_participants"
        " WHERE programme_id = $1",
        programme_id,
    )
    attendance = await conn.fetch(
        "SELECT session_on, kind, status, hours FROM nt_attendance WHERE programme_id = $1",
        programme_id,
    )
    items = await conn.fetch(
        "SELECT kind, participant_ref, status, open, due_on, detail FROM nt_items"
        " WHERE programme_id = $1 AND open",
        programme_id,
    )
    return ProgrammeFigures(
        [dict(r) for r in participants], list(attendance), [dict(i) for i in items]
    )
