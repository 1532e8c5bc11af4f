"""The management report as a page: the phases as a chart (inline SVG, with its figures
as text beside it) and tables for the deadlines, the hours, the meetings and the
referrals. Read exactly as ``GET /reports/management`` reads it (same roles, same
municipality scope); the CSV and the spreadsheet are linked from the page."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated

from fastapi import Depends
from fastapi.responses import Response
from zroute_runtime.commands import refusals
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, Page, UiKit

from zroute_intake.entrypoints.http import report_files
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.service_layer import reports

REPORT_OPERATION = "GET /reports/management"
PHASES = {
    "registered": N_("registered"),
    "intake": N_("intake planned"),
    "pip_pending": N_("intake done, PIP pending"),
    "on_route": N_("on the route"),
    "released": N_("released by DUO"),
    "completed": N_("route completed"),
    "withdrawn": N_("withdrawn"),
}
ANSWERS = {
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "open": N_("not answered yet"),
}
LABEL_WIDTH, BAR_WIDTH, ROW = 220, 320, 36


def bars(by_phase: dict[str, int]) -> list[dict[str, object]]:
    """One bar per phase, scaled to the largest count."""
    top = max([*by_phase.values(), 1])
    return [
        {"phase": phase, "count": n, "y": 8 + i * ROW, "width": round(n / top * BAR_WIDTH)}
        for i, (phase, n) in enumerate(by_phase.items())
    ]


async def report_page(page: Page, runtime: Runtime) -> Response:
    """The management report of the caller's municipality."""
    deps = intake_dependencies(runtime)
    with refusals():
        async with runtime.uow() as uow:
            found = await reports.management_report(uow, page.principal, deps)
    return page.render(
        "report.html.j2",
        report=found,
        bars=bars(found.by_phase),
        phases=PHASES,
        answers=ANSWERS,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
    )


async def report_file(page: Page, runtime: Runtime, kind: str) -> Response:
    """The same report as a download, on the page's login (the API needs a token)."""
    deps = intake_dependencies(runtime)
    with refusals():
        async with runtime.uow() as uow:
            found = await reports.management_report(uow, page.principal, deps)
    return report_files.download(found, kind)


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(REPORT_OPERATION))]

    @kit.router.get("/reports/management")
    async def management(page: Readers, runtime: Runtime) -> Response:
        return await report_page(page, runtime)

    @kit.router.get("/reports/management.csv")
    async def management_csv(page: Readers, runtime: Runtime) -> Response:
        return await report_file(page, runtime, "csv")

    @kit.router.get("/reports/management.xlsx")
    async def management_xlsx(page: Readers, runtime: Runtime) -> Response:
        return await report_file(page, runtime, "xlsx")
