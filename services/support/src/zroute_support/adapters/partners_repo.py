"""Partners and agreements in the support database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg
from zroute_contract.events.codes import Channel, CurriculumModule, PartnerCapability, RouteTask
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.agreements import Agreement, AgreementTerms
from zroute_support.domain.partners import ContactPoint, Partner


def _partner(row: asyncpg.Record) -> Partner:
    return Partner(
        partner_id=row["partner_id"],
        organisation=row["organisation"],
        municipalities=tuple(row["municipalities"]),
        capabilities=tuple(PartnerCapability(c) for c in row["capabilities"]),
        capacity={PartnerCapability(k): v for k, v in row["capacity"].items()},
        contact_points=tuple(
            ContactPoint(Channel(p["channel"]), p["address"]) for p in row["contact_points"]
        ),
        active=row["active"],
        version=row["version"],
    )


class PartnerRepository(TrackingRepository):
    """Partners (``uow.partners``)."""

    async def get(self, partner_id: str, *, for_update: bool = False) -> Partner | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT * FROM support_partners WHERE partner_id = $1{lock}", partner_id
        )
        return _partner(row) if row else None

    async def lock_capacity(self, capability: PartnerCapability) -> None:
        """Serialise routing for one capability until the transaction ends, so two requests
        at once cannot both take a partner's last place."""
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('support-capacity:' || $1, 0))",
            capability.value,
        )

    async def all(self) -> list[Partner]:
        rows = await self.conn.fetch("SELECT * FROM support_partners ORDER BY partner_id")
        return [_partner(r) for r in rows]

    async def in_registration_order(self) -> list[Partner]:
        """Every partner, first registered first (the overflow order of partners the
        configured order does not name)."""
        rows = await self.conn.fetch("SELECT * FROM support_partners ORDER BY registered_seq")
        return [_partner(r) for r in rows]

    async def save(self, partner: Partner, now: datetime) -> None:
        self._seen_now(partner)  # its events are collected at commit
        partner.version += 1
        await self.conn.execute(
            """
            INSERT INTO support_partners (partner_id, organisation, municipalities, capabilities,
                capacity, contact_points, active, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (partner_id) DO UPDATE SET organisation = $2, municipalities = $3,
                capabilities = $4, capacity = $5, contact_points = $6, active = $7,
                version = $8, updated_at = $9
            """,
            partner.partner_id,
            partner.organisation,
            list(partner.municipalities),
            [c.value for c in partner.capabilities],
            {c.value: n for c, n in partner.capacity.items()},
            [{"channel": p.channel.value, "address": p.address} for p in partner.contact_points],
            partner.active,
            partner.version,
            now,
        )


def _agreement(row: asyncpg.Record) -> Agreement:
    return Agreement(
        agreement_id=row["agreement_id"],
        version=row["version"],
        terms=AgreementTerms(
            programme_id=row["programme_id"],
            municipality=row["municipality"],
            valid_from=row["valid_from"],
            valid_until=row["valid_until"],
            lead_partner_id=row["lead_partner_id"],
            assignments=tuple((RouteTask(t), p) for t, p in row["assignments"]),
            not_offered=tuple((RouteTask(t), r) for t, r in row["not_offered"]),
            module_providers=tuple((CurriculumModule(m), p) for m, p in row["module_providers"]),
        ),
    )


class AgreementRepository(TrackingRepository):
    """Task-division agreements (``uow.agreements``)."""

    async def lock_programme(self, programme_id: str) -> None:
        """Serialise writers of one programme's agreements (no overlap slips between two)."""
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('support-agreement:' || $1, 0))",
            programme_id,
        )

    async def for_programme(
        self, programme_id: str, *, municipality: str | None = None
    ) -> list[Agreement]:
        """The programme's versions, oldest first; with ``municipality``, only its own."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_agreements WHERE programme_id = $1"
            " AND ($2::text IS NULL OR municipality = $2) ORDER BY version",
            programme_id,
            municipality,
        )
        return [_agreement(r) for r in rows]

    async def programmes(self) -> Sequence[str]:
        rows = await self.conn.fetch("SELECT DISTINCT programme_id FROM support_agreements")
        return sorted(r["programme_id"] for r in rows)

    async def add(self, agreement: Agreement, now: datetime) -> None:
        self._seen_now(agreement)  # its events are collected at commit
        t = agreement.terms
        await self.conn.execute(
            """
            INSERT INTO support_agreements (agreement_id, programme_id, municipality, version,
                valid_from, valid_until, lead_partner_id, assignments, recorded_at, not_offered,
                module_providers)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            agreement.agreement_id,
            t.programme_id,
            t.municipality,
            agreement.version,
            t.valid_from,
            t.valid_until,
            t.lead_partner_id,
            [[task.value, partner] for task, partner in t.assignments],
            now,
            [[task.value, reason] for task, reason in t.not_offered],
            [[module.value, partner] for module, partner in t.module_providers],
        )

    async def set_until(self, agreement: Agreement) -> None:
        """Store a version's (shortened) period."""
        self._seen_now(agreement)  # its events are collected at commit
        await self.conn.execute(
            "UPDATE support_agreements SET valid_until = $2 WHERE agreement_id = $1",
            agreement.agreement_id,
            agreement.terms.valid_until,
        )
