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
