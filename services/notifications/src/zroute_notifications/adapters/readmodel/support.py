"""Read model writers for the events of the support service."""

from __future__ import annotations

from typing import Any

from zroute_contract.events import support as s
from zroute_contract.events.base import Event

from zroute_notifications.adapters.readmodel import (
    Conn,
    update_item,
    upsert_item,
)


async def agreement(conn: Conn, e: s.AgreementRecorded) -> None:
    await conn.execute(
        """
        INSERT INTO nt_agreements (programme_id, version, valid_from, valid_until,
                                   lead_partner_id, assignments, municipality)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT DO NOTHING
        """,
        e.programme_id,
        e.version,
        e.valid_from,
        e.valid_until,
        e.lead_partner_id,
        [a.model_dump(mode="json") for a in e.assignments],
        e.municipality,
    )


async def partner(conn: Conn, e: s.PartnerRegistered) -> None:
    await conn.execute(
        "INSERT INTO nt_partners (partner_id, channels, active, municipalities)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (partner_id) DO UPDATE SET"
        " channels = EXCLUDED.channels, active = EXCLUDED.active,"
        " municipalities = EXCLUDED.municipalities",
        e.partner_id,
        [c.value for c in e.channels],
        e.active is not False,
        list(e.municipalities),
    )


async def referral(conn: Conn, e: s.ReferralRequested) -> None:
    # The care category stays out of the overview: only the status is kept.
    # Events may arrive out of order (retries): a later status is never overwritten.
    await conn.execute(
        "INSERT INTO nt_items (kind, item_id, programme_id, participant_ref, status, open)"
        " VALUES ('referral', $1, $2, $3, 'requested', true) ON CONFLICT DO NOTHING",
        str(e.referral_id),
        e.programme_id,
        e.participant_ref,
    )


_REFERRAL_STATUS: dict[type[Event], tuple[str, bool]] = {
    s.ReferralAccepted: ("accepted", True),
    s.ReferralDeclined: ("rejected", False),
    s.ReferralCompleted: ("completed", False),
    s.ReferralCancelled: ("cancelled", False),
}


async def referral_status(conn: Conn, e: Any) -> None:
    status, is_open = _REFERRAL_STATUS[type(e)]
    await upsert_item(
        conn, "referral", str(e.referral_id), e.programme_id, e.participant_ref, status, is_open
    )


async def referral_changed(conn: Conn, e: s.ReferralStatusChanged) -> None:
    changed: Any = e.status
    status = changed.value if hasattr(changed, "value") else str(changed)
    await upsert_item(
        conn,
        "referral",
        str(e.referral_id),
        e.programme_id,
        e.participant_ref,
        status,
        status != "failed",
    )


async def referral_escalated(conn: Conn, e: s.ReferralEscalated) -> None:
    await conn.execute(
        "UPDATE nt_items SET detail = 'escalated' WHERE kind = 'referral' AND item_id = $1",
        str(e.referral_id),
    )


async def arranged(conn: Conn, e: s.PreconditionArranged) -> None:
    await upsert_item(
        conn,
        "precondition",
        f"{e.participant_ref}:{e.precondition_code}",
        e.programme_id,
        e.participant_ref,
        "arranged",
        True,
        e.arranged_until,
        e.precondition_code,
    )
    await conn.execute(
        "UPDATE nt_items SET due_on = $2 WHERE kind = 'precondition' AND item_id = $1",
        f"{e.participant_ref}:{e.precondition_code}",
        e.arranged_until,
    )


async def lapsed(conn: Conn, e: s.PreconditionLapsed) -> None:
    await upsert_item(
        conn,
        "precondition",
        f"{e.participant_ref}:{e.precondition_code}",
        e.programme_id,
        e.participant_ref,
        "lapsed",
        True,
        e.lapsed_on,
        e.precondition_code,
    )


async def placement_confirmed(conn: Conn, e: s.PlacementConfirmed) -> None:
    await update_item(conn, "placement", str(e.placement_request_id), "confirmed", False)
    await conn.execute(
        """
        INSERT INTO nt_placements (placement_id, participant_ref, partner_id, employer_id,
                                   starts_on)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (placement_id) DO NOTHING
        """,
        e.placement_id,
        e.participant_ref,
        e.partner_id,
        e.employer_id,
        e.starts_on,
    )


async def placement_declined(conn: Conn, e: s.PlacementDeclined) -> None:
    await update_item(conn, "placement", str(e.placement_request_id), "declined", e.rerouting)


async def job_coach(conn: Conn, e: s.JobCoachAssigned) -> None:
    await conn.execute(
        """
        INSERT INTO nt_placements (placement_id, participant_ref, partner_id, employer_id,
                                   job_coach, job_coach_partner_id, starts_on)
        VALUES ($1, $2, $3, $4, $5, $3, $6)
        ON CONFLICT (placement_id) DO UPDATE SET job_coach = EXCLUDED.job_coach,
            job_coach_partner_id = EXCLUDED.job_coach_partner_id
        """,
        e.placement_id,
        e.participant_ref,
        e.partner_id,
        e.employer_id,
        e.job_coach,
        e.assigned_from,
    )
