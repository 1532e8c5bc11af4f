"""The hours export (issue 16 item 8): hours per participant, per kind, per month and per
recording partner, for invoicing and accountability. Each figure can be traced to its
sessions and their corrections (``GET /participants/{ref}/hours/{kind}/{month}``).
Plain formatting, no I/O: the CSV as text, the spreadsheet (.xlsx, openpyxl) as bytes."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

COLUMNS = (
    "participant_ref",
    "kind",
    "month",
    "recording_partner",
    "hours",
    "sessions",
    "corrections",
    "module",
)
"""The export's columns, in order (``recording_partner`` empty: the platform's staff;
``module`` names the module of hours that travel under another kind, ``pvt`` under
participation, B 3.14(5), and is empty otherwise; added last so readers by position keep
working)."""


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as CSV with a header line; hours to the quarter hour."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = dict(row)
        values["hours"] = f"{Decimal(str(values['hours'])).quantize(Decimal('0.01'))}"
        values["recording_partner"] = values["recording_partner"] or ""
        values["module"] = values.get("module") or ""
        writer.writerow([values[c] for c in COLUMNS])
    return out.getvalue()


KINDS = ("language", "participation", "knm", "map")
"""The kinds of hours, in the order the spreadsheet's summary shows them."""


def _lines(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows with hours as numbers (to the quarter hour) and the platform's partner ''."""
    lines = []
    for row in rows:
        values = dict(row)
        values["hours"] = float(Decimal(str(values["hours"])).quantize(Decimal("0.01")))
        values["recording_partner"] = values["recording_partner"] or ""
        values["module"] = values.get("module") or ""
        lines.append(values)
    return lines


def per_participant(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Hours per participant and kind, summed over months and recording partners."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(KINDS, 0.0))
    for row in _lines(rows):
        sums[row["participant_ref"]][row["kind"]] += row["hours"]
    return dict(sums)


def to_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The export as a spreadsheet: sheet ``hours`` holds the CSV's lines with hours as
    numbers, sheet ``per participant`` their sums per kind with a total, sheet ``per
    month`` the sums per month and kind. Values, not formulas: every reader shows them."""
    # Imported here: openpyxl loads numpy when it is installed, and the service starts
    # without it (tests/planning/integration/test_startup_imports.py).
    from openpyxl import Workbook

    lines = _lines(rows)
    book = Workbook()
    detail = book.active
    detail.title = "hours"
    detail.append(list(COLUMNS))
    for line in lines:
        detail.append([line[c] for c in COLUMNS])
    summary = book.create_sheet("per participant")
    summary.append(["participant_ref", *KINDS, "total"])
    for ref, sums in sorted(per_participant(lines).items()):
        summary.append([ref, *(sums[k] for k in KINDS), sum(sums.values())])
    months = book.create_sheet("per month")
    months.append(["month", *KINDS, "total"])
    by_month: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(KINDS, 0.0))
    for line in lines:
        by_month[line["month"]][line["kind"]] += line["hours"]
    for month, sums in sorted(by_month.items()):
        months.append([month, *(sums[k] for k in KINDS), sum(sums.values())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
