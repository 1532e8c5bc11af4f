"""The employer registry (``uow.employers``)."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from zroute_contract.events.codes import Channel
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.employers import Employer, EmployerContact


def _employer(row: asyncpg.Record) -> Employer:
    return Employer(
        employer_id=row["employer_id"],
        name=row["name"] or row["employer_id"],
        municipalities=tuple(row["municipalities"]),
        contact_points=tuple(
            EmployerContact(Channel(p["channel"]), p["address"], p.get("purpose", "placements"))
            for p in row["contact_points"]
        ),
        registered_by=row["registered_by"],
        registered_at=row["registered_at"],
    )


class EmployerRepository(TrackingRepository):
    """Registered employers, and ids seen on placements before the registry."""

    async def get(self, employer_id: str) -> Employer | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM support_employers WHERE employer_id = $1", employer_id
        )
        return _employer(row) if row else None

    async def registered(self, *, municipality: str | None = None) -> list[Employer]:
        """Registered employers by name (of one municipality when named)."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_employers WHERE registered_at IS NOT NULL"
            " AND ($1::text IS NULL OR $1 = ANY(municipalities)) ORDER BY name, employer_id",
            municipality,
        )
        return [_employer(r) for r in rows]

    async def save(self, employer: Employer, now: datetime) -> None:
        """Register (or register again) an employer; ``first_seen`` stays the first."""
        await self.conn.execute(
            """
            INSERT INTO support_employers (employer_id, first_seen, name, municipalities,
                contact_points, registered_by, registered_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (employer_id) DO UPDATE SET name = $3, municipalities = $4,
                contact_points = $5, registered_by = $6, registered_at = $7
            """,
            employer.employer_id,
            now,
            employer.name,
            list(employer.municipalities),
            [
                {"channel": c.channel.value, "address": c.address, "purpose": c.purpose}
                for c in employer.contact_points
            ],
            employer.registered_by,
            employer.registered_at,
        )
