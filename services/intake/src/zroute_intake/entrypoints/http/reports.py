"""The management report (issue 15 item 7): JSON, CSV and a spreadsheet, for the
caseworkers and the coordinator of the municipality (docs/reports.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response
from zroute_runtime.commands import refusals

from zroute_intake.domain import report
from zroute_intake.entrypoints.http.deps import IntakeDeps, Reader, Runtime
from zroute_intake.entrypoints.http.report_files import REPORT_HEADER, to_csv, to_xlsx
from zroute_intake.service_layer import reports

router = APIRouter(prefix="/reports", tags=["Reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _report(principal: Any, runtime: Any, deps: Any) -> report.ManagementReport:
    with refusals():
        async with runtime.uow() as uow:
            return await reports.management_report(uow, principal, deps)


@router.get("/management", summary="The management report of the municipality (JSON)")
async def management(principal: Reader, runtime: Runtime, deps: IntakeDeps) -> dict[str, Any]:
    """Participants by phase, PIPs due and overdue, terms ending, hours against the
    norms, progress meetings held against planned, referrals and their lead times."""
    return asdict(await _report(principal, runtime, deps))


@router.get(
    "/management.csv",
    summary="The management report as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The report as CSV"}},
)
async def management_csv(principal: Reader, runtime: Runtime, deps: IntakeDeps) -> Response:
    found = await _report(principal, runtime, deps)
    body = to_csv(REPORT_HEADER, report.rows(found))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_name(found)}.csv"'},
    )


@router.get(
    "/management.xlsx",
    summary="The management report as a spreadsheet",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The report as .xlsx"}},
)
async def management_xlsx(principal: Reader, runtime: Runtime, deps: IntakeDeps) -> Response:
    found = await _report(principal, runtime, deps)
    body = to_xlsx("management report", REPORT_HEADER, report.rows(found))
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{_name(found)}.xlsx"'},
    )


def _name(found: report.ManagementReport) -> str:
    return f"management-report-{found.municipality or 'all'}-{found.today.isoformat()}"
