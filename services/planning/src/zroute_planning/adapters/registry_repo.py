"""What planning keeps of other services' registers (``uow.registry``): participants and
their municipality, partners and their capabilities, programmes and their teaching
partner, preconditions arranged or lapsed."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from zroute_contract.events.codes import PreconditionKind
from zroute_runtime.repository import TrackingRepository

from zroute_planning.adapters import records


class RegistryRepository(TrackingRepository):
    async def record_participant(
        self,
        participant_ref: str,
        programme_id: str,
        municipality: str,
        *,
        registered_on: date | None = None,
    ) -> None:
        await records.record_participant(
            self.conn, participant_ref, programme_id, municipality, registered_on=registered_on
        )

    async def record_partner(self, partner_id: str, capabilities: list[str], active: bool) -> None:
        await self.conn.execute(
            "INSERT INTO planning_partners VALUES ($1, $2, $3) ON CONFLICT (partner_id)"
            " DO UPDATE SET capabilities = $2, active = $3",
            partner_id,
            capabilities,
            active,
        )

    async def record_programme(
        self, programme_id: str, teaching_partner: str, lead_partner: str, version: int
    ) -> None:
        """The programme's partners as its agreement names them; an older version of the
        agreement never overwrites a newer one."""
        await self.conn.execute(
            "INSERT INTO planning_programmes VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id)"
            " DO UPDATE SET teaching_partner = $2, lead_partner = $3, agreement_version = $4"
            " WHERE planning_programmes.agreement_version <= $4",
            programme_id,
            teaching_partner,
            lead_partner,
            version,
        )

    async def record_precondition(
        self,
        precondition_id: UUID,
        participant_ref: str,
        kind: PreconditionKind,
        *,
        arranged: bool,
        on: date,
    ) -> None:
        await records.record_precondition(
            self.conn, precondition_id, participant_ref, kind, arranged=arranged, on=on
        )

    async def arranged_kinds(self, participant_ref: str) -> set[PreconditionKind]:
        return await records.arranged_kinds(self.conn, participant_ref)
