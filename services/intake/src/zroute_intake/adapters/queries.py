"""The read side: listing participants without touching personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from zroute_intake.domain.values import Status


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    contact_staff_ref: str | None = None
    intake_from: datetime | None = None
    intake_to: datetime | None = None
    municipality: str | None = None


async def list_participants(
    conn: asyncpg.Connection, filters: Filters, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of participants in a stable order, and how many match in all."""
    where = [
        "($1::text IS NULL OR status = $1)",
        "($2::text IS NULL OR contact_staff_ref = $2)",
        "($3::timestamptz IS NULL OR intake_starts_at >= $3)",
        "($4::timestamptz IS NULL OR intake_starts_at < $4)",
        "($5::text IS NULL OR municipality = $5)",
    ]
    args = [
        filters.status.value if filters.status else None,
        filters.contact_staff_ref,
        filters.intake_from,
        filters.intake_to,
        filters.municipality,
    ]
    condition = " AND ".join(where)
    total = await conn.fetchval(
        f"SELECT count(*) FROM intake_participants WHERE {condition}", *args
    )
    rows = await conn.fetch(
        f"""
        SELECT ref AS participant_ref, version, programme_id, municipality, status,
               registered_on, contact_staff_ref, intake_starts_at
          FROM intake_participants WHERE {condition}
         ORDER BY created_at, ref LIMIT $6 OFFSET $7
        """,
        *args,
        limit,
        offset,
    )
    return [dict(r) for r in rows], total
