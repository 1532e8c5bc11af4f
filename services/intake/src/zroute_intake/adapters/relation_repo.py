"""The partners' relations with participants (``uow.relations``), as planning's and
support's events report them: the contact card is decided on these rows and the
participant's consents alone, so a refusal reads no personal data."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain.contact_card import Relation, RelationKind


class RelationRepository(TrackingRepository):
    async def group_taught_by(self, group_id: UUID, partner_id: str) -> None:
        """The partner that teaches ``group_id`` (group-formed)."""
        await self.conn.execute(
            """
            INSERT INTO intake_group_partners (group_id, partner_id) VALUES ($1, $2)
            ON CONFLICT (group_id) DO UPDATE SET partner_id = EXCLUDED.partner_id
            """,
            group_id,
            partner_id,
        )

    async def start(
        self,
        ref: str,
        kind: RelationKind,
        subject_id: UUID,
        *,
        since: date,
        now: datetime,
        partner_id: str = "",
        until: date | None = None,
    ) -> None:
        """A relation starts (again) on ``since``; a consent it was asked under is kept.
        Without ``until``, it ends when the other relations from the same subject end (a
        job coach joins a placement that has its end day already)."""
        await self.conn.execute(
            """
            INSERT INTO intake_relations
                (participant_ref, kind, subject_id, partner_id, since, until, updated_at)
            VALUES ($1, $2, $3, $4, $5,
                    COALESCE($6, (SELECT max(until) FROM intake_relations
                                   WHERE subject_id = $3 AND participant_ref = $1
                                     AND NOT (kind = $2 AND partner_id = $4))),
                    $7)
            ON CONFLICT (participant_ref, kind, subject_id, partner_id) DO UPDATE
               -- A current relation keeps its first day; an ended one starts afresh.
               SET since = CASE
                       WHEN intake_relations.until IS NULL
                         OR intake_relations.until >= EXCLUDED.since
                       THEN LEAST(intake_relations.since, EXCLUDED.since)
                       ELSE EXCLUDED.since END,
                   until = EXCLUDED.until, updated_at = EXCLUDED.updated_at
            """,
            ref,
            kind.value,
            subject_id,
            partner_id,
            since,
            until,
            now,
        )

    async def requested(
        self,
        ref: str,
        kind: RelationKind,
        subject_id: UUID,
        *,
        partner_id: str,
        consent_id: UUID,
        now: datetime,
    ) -> None:
        """A relation asked for under ``consent_id`` that has not started yet (a referral
        requested, not yet accepted)."""
        await self.conn.execute(
            """
            INSERT INTO intake_relations
                (participant_ref, kind, subject_id, partner_id, consent_id, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (participant_ref, kind, subject_id, partner_id) DO UPDATE
               SET consent_id = EXCLUDED.consent_id, updated_at = EXCLUDED.updated_at
            """,
            ref,
            kind.value,
            subject_id,
            partner_id,
            consent_id,
            now,
        )

    async def end(self, ref: str, subject_id: UUID, *, last_day: date, now: datetime) -> None:
        """Every relation from ``subject_id`` ends after ``last_day`` (one not started
        never starts: a declined or cancelled referral)."""
        await self.conn.execute(
            """
            UPDATE intake_relations SET until = $3, updated_at = $4
             WHERE participant_ref = $1 AND subject_id = $2
            """,
            ref,
            subject_id,
            last_day,
            now,
        )

    async def for_participant(self, ref: str) -> list[Relation]:
        """The participant's started relations, each with its partner (a group's partner
        once intake knows who teaches it)."""
        rows = await self.conn.fetch(
            """
            SELECT r.kind, COALESCE(NULLIF(r.partner_id, ''), g.partner_id) AS partner_id,
                   r.since, r.until, r.consent_id
              FROM intake_relations r
              LEFT JOIN intake_group_partners g ON g.group_id = r.subject_id
             WHERE r.participant_ref = $1 AND r.since IS NOT NULL
             ORDER BY r.since, r.kind
            """,
            ref,
        )
        return [
            Relation(
                RelationKind(row["kind"]),
                row["partner_id"],
                row["since"],
                row["until"],
                row["consent_id"],
            )
            for row in rows
            if row["partner_id"] is not None
        ]
