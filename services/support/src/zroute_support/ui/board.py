"""The referral board: the referrals counted by status and urgency, a filtered and paged
list, and the lead time from request to acceptance per urgency as an inline SVG chart
with the same figures in a table (its text alternative).

Partner staff see their own partner's referrals, caseworkers and coordinators those of
their municipality's participants: the scope of the API's ``GET /referrals``."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response
from zroute_runtime.http_host import Runtime
from zroute_ui import Page, Pagination, UiKit

from zroute_support.adapters.participants_repo import of_municipality
from zroute_support.adapters.referrals_repo import ReferralRepository
from zroute_support.entrypoints.http.deps import own_municipality, own_partner
from zroute_support.ui.pages import CATEGORY, STATUS, URGENCY

PER_PAGE = 25
RANK = {"stat": 0, "asap": 1, "urgent": 2, "routine": 3}
CHART_WIDTH = 480

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


def _code(value: Any) -> str:
    return str(getattr(value, "value", value))


def bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's bars, longest lead time the full width, in urgency order."""
    longest = max((r["median_hours"] for r in rows), default=0) or 1
    ordered = sorted(rows, key=lambda r: RANK.get(r["urgency"], 9))
    return [
        r | {"width": round(CHART_WIDTH * r["median_hours"] / longest), "y": 8 + i * 36}
        for i, r in enumerate(ordered)
    ]


def add(kit: UiKit) -> None:
    Staff = Annotated[Page, Depends(kit.api_page("GET /referrals"))]

    @kit.router.get("/referral-board")
    async def board(
        page: Staff,
        runtime: Runtime,
        status: str = "",
        urgency: str = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        partner, municipality = own_partner(page.principal), own_municipality(page.principal)
        async with runtime.pool.acquire() as conn:
            found = await ReferralRepository(conn).list(
                partner_id=partner, municipality=municipality
            )
            lead = [dict(r) for r in await conn.fetch(LEAD_TIMES, partner, municipality)]
        counts: dict[tuple[str, str], int] = {}
        for r in found:
            key = (_code(r.status), _code(r.urgency))
            counts[key] = counts.get(key, 0) + 1
        chosen = [
            r
            for r in found
            if (not status or _code(r.status) == status)
            and (not urgency or _code(r.urgency) == urgency)
        ]
        chosen.sort(key=lambda r: (RANK.get(_code(r.urgency), 9), r.answer_due_by))
        pager = Pagination(page_no, PER_PAGE, len(chosen))
        return page.render(
            "board.html.j2",
            counts=counts,
            referrals=chosen[pager.offset : pager.offset + PER_PAGE],
            pager=pager,
            status=status,
            urgency=urgency,
            status_labels=STATUS,
            urgencies=URGENCY,
            categories=CATEGORY,
            bars=bars(lead),
            chart_width=CHART_WIDTH,
        )
