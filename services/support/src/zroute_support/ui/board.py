"""The referral board: the referrals counted by status and urgency, a filtered and paged
list, and the lead time from request to acceptance per urgency as an inline SVG chart
with the same figures in a table (its text alternative). Counted, filtered and paged in
the database (``views.board_page``), not in Python.

Partner staff see their own partner's referrals, caseworkers and coordinators those of
their municipality's participants: the scope of the API's ``GET /referrals``."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response
from zroute_runtime.http_host import Runtime
from zroute_ui import Page, Pagination, UiKit

from zroute_support.service_layer import views
from zroute_support.ui.pages import CATEGORY, STATUS, URGENCY
from zroute_support.ui.work_unit import unit_of_work

PER_PAGE = 25
RANK = {"stat": 0, "asap": 1, "urgent": 2, "routine": 3}
CHART_WIDTH = 480


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
        chosen_status = status or None
        chosen_urgency = urgency or None
        async with unit_of_work(runtime, page) as uow:
            counts, referrals, total, lead = await views.board_page(
                uow,
                page.principal,
                status=chosen_status,
                urgency=chosen_urgency,
                limit=PER_PAGE,
                offset=(page_no - 1) * PER_PAGE,
            )
        pager = Pagination(page_no, PER_PAGE, total)
        return page.render(
            "board.html.j2",
            counts=counts,
            referrals=referrals,
            pager=pager,
            status=status,
            urgency=urgency,
            status_labels=STATUS,
            urgencies=URGENCY,
            categories=CATEGORY,
            bars=bars(lead),
            chart_width=CHART_WIDTH,
        )
