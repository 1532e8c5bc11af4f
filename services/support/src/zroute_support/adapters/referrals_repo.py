"""Referrals, their status history, the waiting list and partner load."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import (
    CareCategory,
    NeedSeverity,
    ReferralSide,
    ReferralStatus,
    Urgency,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_runtime.repository import TrackingRepository

from zroute_support.adapters.participants_repo import of_municipality
from zroute_support.domain import referral_states
from zroute_support.domain.referral_context import Message, ReferralContext
from zroute_support.domain.referrals import Outcome, Referral

_OPEN = [s.value for s in referral_states.OPEN]


def _referral(row: asyncpg.Record) -> Referral:
    outcome = row["outcome"]
    return Referral(
        referral_id=row["referral_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        partner_id=row["partner_id"],
        category=CareCategory(row["category"]),
        severity=NeedSeverity(row["severity"]),
        urgency=Urgency(row["urgency"]),
        consent_id=row["consent_id"],
        referrer=ContactPersonRef.model_validate(row["referrer"]),
        answer_due_by=row["answer_due_by"],
        signal_id=row["signal_id"],
        rerouted_from=row["rerouted_from"],
        consent_overridden=row["consent_overridden"],
        status=ReferralStatus(row["status"]),
        reason=row["reason"],
        outcome=_outcome(outcome) if outcome else None,
        escalation_level=row["escalation_level"],
        version=row["version"],
    )


def _outcome(data: dict[str, Any]) -> Outcome:
    delivered_on = data.get("delivered_on")
    return Outcome(
        successful=data["successful"],
        service_delivered=data["service_delivered"],
        delivered_on=date.fromisoformat(delivered_on) if delivered_on else None,
        reason=data.get("reason"),
        delivered=tuple(data.get("delivered", ())),
        note=data.get("note"),
    )


def _outcome_json(outcome: Outcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "successful": outcome.successful,
        "service_delivered": outcome.service_delivered,
        "delivered_on": outcome.delivered_on.isoformat() if outcome.delivered_on else None,
        "reason": outcome.reason,
        "delivered": list(outcome.delivered),
        "note": outcome.note,
    }


def _message(row: asyncpg.Record) -> Message:
    return Message(
        row["message_id"],
        row["referral_id"],
        ReferralSide(row["side"]),
        row["author"],
        row["body"],
        row["sent_at"],
    )


class ReferralRepository(TrackingRepository):
    """Referrals and their status history (``uow.referrals``)."""

    async def get(self, referral_id: UUID, *, for_update: bool = False) -> Referral | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT * FROM support_referrals WHERE referral_id = $1{lock}", referral_id
        )
        return self._seen_now(_referral(row)) if row else None

    async def list(
        self,
        *,
        partner_id: str | None = None,
        programme_id: str | None = None,
        municipality: str | None = None,
    ) -> list[Referral]:
        rows = await self.conn.fetch(
            f"""
            SELECT * FROM support_referrals
            WHERE ($1::text IS NULL OR partner_id = $1) AND ($2::text IS NULL OR programme_id = $2)
              AND {of_municipality("$3")}
            ORDER BY created_at, referral_id
            """,
            partner_id,
            programme_id,
            municipality,
        )
        return [self._seen_now(_referral(r)) for r in rows]

    async def open_for(
        self, participant_ref: str, *, consent_id: UUID | None = None
    ) -> builtins.list[Referral]:
        rows = await self.conn.fetch(
            """
            SELECT * FROM support_referrals
            WHERE participant_ref = $1 AND status = ANY($2::text[])
              AND ($3::uuid IS NULL OR consent_id = $3)
            ORDER BY created_at FOR UPDATE
            """,
            participant_ref,
            _OPEN,
            consent_id,
        )
        return [self._seen_now(_referral(r)) for r in rows]

    async def referred_signals(self, participant_ref: str) -> set[UUID]:
        """Signals that already have a referral that is open or ended well (not re-referred)."""
        rows = await self.conn.fetch(
            "SELECT signal_id FROM support_referrals WHERE participant_ref = $1"
            " AND signal_id IS NOT NULL AND status <> 'cancelled'",
            participant_ref,
        )
        return {r["signal_id"] for r in rows}

    async def open_load(self, category: CareCategory) -> dict[str, int]:
        rows = await self.conn.fetch(
            "SELECT partner_id, count(*) AS n FROM support_referrals"
            " WHERE category = $1 AND status = ANY($2::text[]) GROUP BY partner_id",
            category.value,
            _OPEN,
        )
        return {r["partner_id"]: r["n"] for r in rows}

    async def chain_partners(self, referral: Referral) -> set[str]:
        """Partners this referral or the ones it re-routes already went to."""
        rows = await self.conn.fetch(
            """
            WITH RECURSIVE chain AS (
                SELECT referral_id, partner_id, rerouted_from FROM support_referrals
                WHERE referral_id = $1
                UNION ALL
                SELECT r.referral_id, r.partner_id, r.rerouted_from
                FROM support_referrals r JOIN chain c ON r.referral_id = c.rerouted_from
            )
            SELECT partner_id FROM chain
            """,
            referral.referral_id,
        )
        return {r["partner_id"] for r in rows}

    async def save(self, referral: Referral, now: datetime) -> None:
        self._seen_now(referral)  # its events are collected at commit
        referral.version += 1
        await self.conn.execute(
            """
            INSERT INTO support_referrals (referral_id, participant_ref, programme_id, partner_id,
                category, severity, urgency, consent_id, signal_id, referrer, answer_due_by,
                rerouted_from, status, reason, outcome, escalation_level, version,
                created_at, updated_at, consent_overridden)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $18, $19)
            ON CONFLICT (referral_id) DO UPDATE SET status = $13, reason = $14, outcome = $15,
                escalation_level = $16, version = $17, updated_at = $18
            """,
            referral.referral_id,
            referral.participant_ref,
            referral.programme_id,
            referral.partner_id,
            referral.category.value,
            referral.severity.value,
            referral.urgency.value,
            referral.consent_id,
            referral.signal_id,
            referral.referrer.model_dump(mode="json"),
            referral.answer_due_by,
            referral.rerouted_from,
            referral.status.value,
            referral.reason,
            _outcome_json(referral.outcome),
            referral.escalation_level,
            referral.version,
            now,
            referral.consent_overridden,
        )
        await self.conn.execute(
            "INSERT INTO support_referral_history (referral_id, status, reason, at, recorded_by)"
            " VALUES ($1, $2, $3, $4, $5)",
            referral.referral_id,
            referral.status.value,
            referral.reason,
            now,
            referral.acted_by,
        )

    async def history(self, referral_id: UUID) -> Sequence[asyncpg.Record]:
        """The referral's status changes, oldest first."""
        rows: Sequence[asyncpg.Record] = await self.conn.fetch(
            "SELECT status, reason, at, recorded_by FROM support_referral_history"
            " WHERE referral_id = $1"
            " ORDER BY id",
            referral_id,
        )
        return rows

    async def save_context(self, referral_id: UUID, context: ReferralContext) -> None:
        """Keep what the referral says in words and codes (never on the bus)."""
        await self.conn.execute(
            """
            INSERT INTO support_referral_context (referral_id, reason_code, supporting_info,
                note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (referral_id) DO NOTHING
            """,
            referral_id,
            context.reason_code,
            list(context.supporting_info),
            context.note,
            context.recorded_by,
            context.recorded_at,
        )

    async def context(self, referral_id: UUID) -> ReferralContext | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM support_referral_context WHERE referral_id = $1", referral_id
        )
        if row is None:
            return None
        return ReferralContext(
            row["reason_code"],
            tuple(row["supporting_info"]),
            row["note"],
            row["recorded_by"],
            row["recorded_at"],
        )

    async def add_message(self, message: Message) -> None:
        await self.conn.execute(
            "INSERT INTO support_referral_messages (message_id, referral_id, side, author, body,"
            " sent_at) VALUES ($1, $2, $3, $4, $5, $6)",
            message.message_id,
            message.referral_id,
            message.side.value,
            message.author,
            message.body,
            message.sent_at,
        )

    async def messages(self, referral_id: UUID) -> builtins.list[Message]:
        """The referral's thread, oldest first."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_referral_messages WHERE referral_id = $1 ORDER BY seq",
            referral_id,
        )
        return [_message(r) for r in rows]
