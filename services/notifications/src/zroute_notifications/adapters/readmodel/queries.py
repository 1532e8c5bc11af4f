"""Questions to the read model: who holds a role, and what a subscriber may have."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

Conn = asyncpg.Connection


# -- resolution ------------------------------------------------------------------------
async def contact(conn: Conn, participant_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM nt_contacts WHERE participant_ref = $1", participant_ref
    )


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
