"""What the reads need beyond the repositories (``uow.reads``): the referral board's lead
times. ``service_layer/views.py`` is its one caller."""

from __future__ import annotations

from typing import Any

from zroute_runtime.repository import TrackingRepository

from zroute_support.adapters.participants_repo import of_municipality

LEAD_TIMES = f"""
    SELECT r.urgency, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.at - r.created_at))
               / 3600.0 AS median_hours
    FROM support_referrals r
    JOIN LATERAL (SELECT min(at) AS at FROM support_referral_history
                  WHERE referral_id = r.referral_id AND status = 'accepted') h ON h.at IS NOT NULL
    WHERE ($1::text IS NULL OR r.partner_id = $1) AND {of_municipality("$2")}
    GROUP BY r.urgency
"""


class SupportReads(TrackingRepository):
    """Read-only queries for the screens and the API."""

    async def lead_times(
        self, *, partner_id: str | None, municipality: str | None
    ) -> list[dict[str, Any]]:
        """Per urgency: how many referrals were accepted, and the median hours from the
        request to the first acceptance."""
        rows = await self.conn.fetch(LEAD_TIMES, partner_id, municipality)
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ the referral board
    # (issue 19, ui/board.py): counted, filtered, ordered and paged in the query, so the
    # board no longer reads every referral of the municipality to show 25.

    async def board_counts(
        self, *, partner_id: str | None, municipality: str | None
    ) -> dict[tuple[str, str], int]:
        """How many referrals there are of each (status, urgency), in the caller's scope."""
        rows = await self.conn.fetch(BOARD_COUNTS, partner_id, municipality)
        return {(r["status"], r["urgency"]): r["n"] for r in rows}

    async def board_page(
        self,
        *,
        partner_id: str | None,
        municipality: str | None,
        status: str | None,
        urgency: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the referrals chosen, most urgent first, then the earliest answer
        due; and how many were chosen in all."""
        rows = await self.conn.fetch(
            BOARD_PAGE, partner_id, municipality, status, urgency, limit, offset
        )
        total = rows[0]["total"] if rows else 0
        if not rows and offset:  # a page past the end still says how many there are
            total = await self.conn.fetchval(BOARD_TOTAL, partner_id, municipality, status, urgency)
        return [dict(r) for r in rows], total


BOARD_SCOPE = f"($1::text IS NULL OR partner_id = $1) AND {of_municipality('$2')}"
BOARD_CHOSEN = (
    f"{BOARD_SCOPE} AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR urgency = $4)"
)
BOARD_COUNTS = f"""
    SELECT status, urgency, count(*) AS n FROM support_referrals
    WHERE {BOARD_SCOPE} GROUP BY status, urgency
"""
BOARD_PAGE = f"""
    SELECT participant_ref, category, urgency, status, partner_id, answer_due_by,
           count(*) OVER () AS total
    FROM support_referrals
    WHERE {BOARD_CHOSEN}
    ORDER BY CASE urgency WHEN 'stat' THEN 0 WHEN 'asap' THEN 1 WHEN 'urgent' THEN 2
                          WHEN 'routine' THEN 3 ELSE 9 END, answer_due_by, referral_id
    LIMIT $5 OFFSET $6
"""
BOARD_TOTAL = f"SELECT count(*) FROM support_referrals WHERE {BOARD_CHOSEN}"
