"""Which municipality a record belongs to, from the events: a participant's (registered,
intake), a programme's (its agreement), a partner's (the registry), and a staff member's
or employer's (the participants they are contact person or employer of)."""

from __future__ import annotations

import asyncpg


async def of_participant(conn: asyncpg.Connection, participant_ref: str) -> str | None:
    found: str | None = await conn.fetchval(
        "SELECT coalesce(p.municipality, (SELECT a.municipality FROM nt_agreements a"
        " WHERE a.programme_id = p.programme_id ORDER BY a.version DESC LIMIT 1))"
        " FROM nt_participants p WHERE p.participant_ref = $1",
        participant_ref,
    )
    return found


async def of_programme(conn: asyncpg.Connection, programme_id: str) -> set[str]:
    rows = await conn.fetch(
        "SELECT municipality FROM nt_agreements WHERE programme_id = $1"
        " AND municipality IS NOT NULL UNION"
        " SELECT municipality FROM nt_participants WHERE programme_id = $1"
        " AND municipality IS NOT NULL",
        programme_id,
    )
    return {r["municipality"] for r in rows}


async def of_recipient(conn: asyncpg.Connection, kind: str, ref: str) -> set[str] | None:
    """The municipalities a directory entry or inbox serves; None when nothing is known."""
    if kind == "partner":
        found = await conn.fetchval(
            "SELECT municipalities FROM nt_partners WHERE partner_id = $1", ref
        )
        return set(found) if found else None
    if kind == "staff":
        sql = (
            "SELECT DISTINCT p.municipality FROM nt_contacts c JOIN nt_participants p"
            " USING (participant_ref) WHERE (c.staff_ref = $1 OR c.caseworker_ref = $1)"
            " AND p.municipality IS NOT NULL"
        )
    elif kind == "employer":
        sql = (
            "SELECT DISTINCT p.municipality FROM nt_placements e JOIN nt_participants p"
            " USING (participant_ref) WHERE e.employer_id = $1 AND p.municipality IS NOT NULL"
        )
    else:
        return None
    rows = await conn.fetch(sql, ref)
    return {r["municipality"] for r in rows} or None
