"""What the intake reads need (``uow.reads``): the lists of participants, never touching
personal data, and the only place the read SQL lives. ``service_layer/views.py`` is its
one caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain.values import Status


@dataclass(frozen=True)
class Filters:
    """The API's list filters (``GET /participants``)."""

    status: Status | None = None
    contact_staff_ref: str | None = None
    intake_from: datetime | None = None
    intake_to: datetime | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class Search:
    """The caseload's search: by reference, BSN (through the keyed hash, never in clear)
    and status, within the caller's municipality."""

    ref: str | None = None
    bsn_hash: bytes | None = None
    status: str | None = None
    municipality: str | None = None
    # The keyed hashes of the name parts searched for: a participant holding all of them.
    name_hashes: list[bytes] | None = None


Page = tuple[list[dict[str, Any]], int]
"""One page of rows and how many match in all."""


class IntakeReads(TrackingRepository):
    async def participants(self, filters: Filters, limit: int, offset: int) -> Page:
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
        total: int = await self.conn.fetchval(
            f"SELECT count(*) FROM intake_participants WHERE {condition}", *args
        )
        rows = await self.conn.fetch(
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

    async def caseload(self, search: Search, limit: int, offset: int) -> Page:
        """One page of the caseload, newest registrations first."""
        condition = """($1::text IS NULL OR ref = $1)
           AND ($2::bytea IS NULL OR bsn_hash = $2)
           AND ($3::text IS NULL OR status = $3)
           AND ($4::text IS NULL OR municipality = $4)
           AND ($5::bytea[] IS NULL OR ref IN (
                SELECT ref FROM intake_name_parts WHERE part_hash = ANY($5)
                 GROUP BY ref HAVING count(*) = cardinality($5)))"""
        args = [search.ref, search.bsn_hash, search.status, search.municipality, search.name_hashes]
        total: int = await self.conn.fetchval(
            f"SELECT count(*) FROM intake_participants WHERE {condition}", *args
        )
        rows = await self.conn.fetch(
            f"""
            SELECT ref, status, registered_on, preferred_language, interpreter_needed,
                   contact_staff_ref, intake_starts_at
              FROM intake_participants WHERE {condition}
             ORDER BY created_at DESC, ref LIMIT $6 OFFSET $7
            """,
            *args,
            limit,
            offset,
        )
        return [dict(r) for r in rows], total

    async def municipality_of(self, ref: str) -> str | None:
        """The participant's municipality, None when there is no such participant."""
        municipality: str | None = await self.conn.fetchval(
            "SELECT municipality FROM intake_participants WHERE ref = $1", ref
        )
        return municipality
