"""The management report and the DUO export as files: CSV and a spreadsheet (.xlsx).

One layout for both: a header row, then one row per line (docs/reports.md). The
spreadsheet is written with openpyxl (README, libraries): a real workbook a controller
opens without an import step.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi import Response

from zroute_intake.domain import report

REPORT_HEADER = ("section", "item", "participant_ref", "value")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One worksheet named ``title`` with a bold-free header row and the rows."""
    # Imported on the first download: openpyxl brings numpy and Pillow along, some
    # 20 MB and a second of the service's start for a file asked for now and then.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(found: report.ManagementReport, kind: str) -> Response:
    """The management report as a CSV or .xlsx attachment."""
    name = f"management-report-{found.municipality or 'all'}-{found.today.isoformat()}"
    lines = report.rows(found)
    if kind == "csv":
        body: bytes | str = to_csv(REPORT_HEADER, lines)
        media = "text/csv; charset=utf-8"
    else:
        body = to_xlsx("management report", REPORT_HEADER, lines)
        media = XLSX
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )
