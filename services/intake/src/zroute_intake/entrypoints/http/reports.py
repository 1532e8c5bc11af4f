"""The management report (issue 15 item 7): JSON, CSV and a spreadsheet, for the
caseworkers and the coordinator of the municipality (docs/reports.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response
from zroute_runtime.commands import refusals

from zroute_intake.domain import report
from zroute_intake.entrypoints.http.deps import IntakeDeps, Reader, Runtime
from zroute_intake.entrypoints.http.report_files import XLSX, download
from zroute_intake.service_layer import reports

router = APIRouter(prefix="/reports", tags=["Reports"])


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
    return download(await _report(principal, runtime, deps), "csv")


@router.get(
    "/management.xlsx",
    summary="The management report as a spreadsheet",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The report as .xlsx"}},
)
async def management_xlsx(principal: Reader, runtime: Runtime, deps: IntakeDeps) -> Response:
    return download(await _report(principal, runtime, deps), "xlsx")
