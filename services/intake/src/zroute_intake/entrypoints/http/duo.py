"""The exchange with DUO (issue 15 item 7; B 9.1-9.3) in the project's own layouts,
not DUO's official interface (docs/duo.md): the export the municipality sends, and the
import of what DUO sends, line by line with a reason for each line refused."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response
from zroute_contract.types import MUNICIPALITY_CODE_PATTERN
from zroute_runtime.commands import command, run_command

from zroute_intake.domain import duo
from zroute_intake.entrypoints.http.deps import Caseworker, IntakeDeps, Runtime
from zroute_intake.entrypoints.http.report_files import to_csv
from zroute_intake.service_layer import duo as service

router = APIRouter(prefix="/duo", tags=["DUO"])

CsvText = Annotated[
    str,
    Body(
        media_type="text/csv",
        description="The DUO file: a header row of the import columns (docs/duo.md), then one"
        " line per record.",
        max_length=2_000_000,
    ),
]

Municipality = Annotated[
    str | None,
    Query(
        pattern=MUNICIPALITY_CODE_PATTERN,
        description="For a regional caseworker (a token naming no municipality): which one.",
    ),
]


@router.get(
    "/export.csv",
    summary="The data set for DUO (B 9.2-9.3) as CSV, one line per participant",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The export"}},
)
async def export(
    principal: Caseworker, runtime: Runtime, request: Request, municipality: Municipality = None
) -> Response:
    """Names each participant by BSN: every participant exported is access-logged."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        lines = await service.export(uow, principal, municipality, request_id=request_id)
        today = uow.clock.now().date().isoformat()
        await uow.commit()  # the access log's rows
    body = to_csv(duo.EXPORT_COLUMNS, ([line[c] for c in duo.EXPORT_COLUMNS] for line in lines))
    name = f"duo-export-{municipality or principal.municipality}-{today}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _lines(text: str) -> list[dict[str, str]]:
    if "\x00" in text:
        # No text column can hold a NUL: refuse the file here, before anything is kept.
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise HTTPException(422, f"line {line} holds a NUL character: not a CSV text file")
    # newline="": the csv module reads line ends itself (a bare \r is one, as in RFC 4180).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = reader.fieldnames or []
        missing = [c for c in ("record", "bsn", "decided_on") if c not in header]
        if missing:
            raise HTTPException(422, f"the header row lacks the columns: {', '.join(missing)}")
        return [_row(row) for row in reader]
    except csv.Error as exc:
        raise HTTPException(422, f"not a CSV file: {exc}") from None


def _row(row: dict[str | None, Any]) -> dict[str, str]:
    """A line's fields; values beyond the header go under a name the import refuses."""
    found = {}
    for key, value in row.items():
        if key is None:
            found["(values beyond the header)"] = ",".join(value)
        else:
            found[key] = value or ""
    return found


@router.post(
    "/imports", summary="Import what DUO sent: each line applied or refused with its reason"
)
async def import_file(
    body: CsvText,
    principal: Caseworker,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    municipality: Municipality = None,
) -> dict[str, Any]:
    lines = _lines(body)
    result = await run_command(
        runtime,
        request,
        lambda uow: service.import_lines(uow, principal, deps, lines, municipality),
    )
    return asdict(result)


@router.get("/imports/{import_id}", summary="One import: its counts and the lines refused")
async def read_import(
    principal: Caseworker,
    runtime: Runtime,
    import_id: int = Path(ge=1, le=2**62, description="The import's number."),
) -> dict[str, Any]:
    async with runtime.uow() as uow:
        found = await uow.report.duo_import(import_id)
    if found is None or principal.municipality not in (None, found["municipality"]):
        raise HTTPException(404, f"no import {import_id} of your municipality")
    return dict(found)
