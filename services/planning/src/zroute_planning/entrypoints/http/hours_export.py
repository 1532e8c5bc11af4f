"""The hours export (issue 16 item 8): per participant, kind, month and recording partner,
each figure traceable to its sessions and corrections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from zroute_contract.events.codes import HoursKind
from zroute_contract.types import ProgrammeId
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.hours_export import to_csv, to_xlsx
from zroute_planning.entrypoints.http.deps import ParticipantRef, PlanningDeps, Staff
from zroute_planning.entrypoints.http.schemas import HoursTraceLine
from zroute_planning.service_layer import views

router = APIRouter(tags=["hours export"])

Accountable = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.CASEWORKER))]
"""Who exports a programme's hours: coordinators and caseworkers (of its municipality, when
their token names one)."""

Month = Annotated[str, Path(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]


@router.get(
    "/programmes/{programme_id}/hours.csv",
    summary="Hours per participant, kind, month and recording partner (CSV)",
    response_class=Response,
)
async def export_csv(
    programme_id: Annotated[ProgrammeId, Path()],
    principal: Accountable,
    runtime: Runtime,
    request: Request,
) -> Response:
    """Present hours of the programme's ledger; the sums equal the participants' hours."""
    async with command(runtime, request) as uow:
        rows = await views.hours_export(uow, principal, programme_id)
    return Response(
        to_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{programme_id}-hours.csv"'},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/programmes/{programme_id}/hours.xlsx",
    summary="The hours export as a spreadsheet, with sums per participant and per month",
    response_class=Response,
)
async def export_xlsx(
    programme_id: Annotated[ProgrammeId, Path()],
    principal: Accountable,
    runtime: Runtime,
    request: Request,
) -> Response:
    """The CSV's lines, and their sums per participant and kind and per month and kind."""
    async with command(runtime, request) as uow:
        rows = await views.hours_export(uow, principal, programme_id)
    return Response(
        to_xlsx(rows),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{programme_id}-hours.xlsx"'},
    )


@router.get(
    "/participants/{participant_ref}/hours/{kind}/{month}",
    summary="The sessions and corrections behind one figure of the hours export",
)
async def trace(
    participant_ref: ParticipantRef,
    kind: HoursKind,
    month: Month,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[HoursTraceLine]:
    async with command(runtime, request) as uow:
        rows = await views.hours_trace(uow, deps, principal, participant_ref, kind, month)
    return [HoursTraceLine.model_validate(r) for r in rows]
