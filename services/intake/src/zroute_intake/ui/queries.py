"""The caseload's read: one page of participants, searched by reference, BSN (through
the keyed hash, never in clear) and status, within the caller's municipality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg


@dataclass(frozen=True)
class Search:
    ref: str | None = None
    bsn_hash: bytes | None = None
    status: str | None = None
    municipality: str | None = None


async def caseload(
    conn: asyncpg.Connection, search: Search, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    condition = """($1::text IS NULL OR ref = $1)
       AND ($2::bytea IS NULL OR bsn_hash = $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::text IS NULL OR municipality = $4)"""
    args = [search.ref, search.bsn_hash, search.status, search.municipality]
    total = await conn.fetchval(
        f"SELECT count(*) FROM intake_participants WHERE {condition}", *args
    )
    rows = await conn.fetch(
        f"""
        SELECT ref, status, registered_on, preferred_language, interpreter_needed,
               contact_staff_ref, intake_starts_at
          FROM intake_participants WHERE {condition}
         ORDER BY created_at DESC, ref LIMIT $5 OFFSET $6
        """,
        *args,
        limit,
        offset,
    )
    return [dict(r) for r in rows], total
