"""Emergency consent overrides: support's audit trail of referrals made without a
covering consent (``uow.overrides``)."""

from __future__ import annotations

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.consent_overrides import ConsentOverride


def _override(row: asyncpg.Record) -> ConsentOverride:
    return ConsentOverride(
        override_id=row["override_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        legal_ground=row["legal_ground"],
        reason=row["reason"],
        overridden_by=row["overridden_by"],
        overridden_at=row["overridden_at"],
        referral_id=row["referral_id"],
        waiting_entry=row["waiting_entry"],
    )


class ConsentOverrideRepository(TrackingRepository):
    """Overrides are written once and never changed: an audit trail."""

    async def add(self, override: ConsentOverride) -> None:
        self._seen_now(override)  # its event is collected at commit
        await self.conn.execute(
            """
            INSERT INTO support_consent_overrides (override_id, participant_ref, programme_id,
                referral_id, waiting_entry, legal_ground, reason, overridden_by, overridden_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            override.override_id,
            override.participant_ref,
            override.programme_id,
            override.referral_id,
            override.waiting_entry,
            override.legal_ground,
            override.reason,
            override.overridden_by,
            override.overridden_at,
        )

    async def for_participant(self, participant_ref: str) -> list[ConsentOverride]:
        """The participant's overrides, oldest first."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_consent_overrides WHERE participant_ref = $1"
            " ORDER BY overridden_at, override_id",
            participant_ref,
        )
        return [_override(r) for r in rows]
