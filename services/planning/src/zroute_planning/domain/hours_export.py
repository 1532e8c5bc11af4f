"""The hours export (issue 16 item 8): hours per participant, per kind, per month and per
recording partner, for invoicing and accountability. Each figure can be traced to its
sessions and their corrections (``GET /participants/{ref}/hours/{kind}/{month}``).
Plain formatting, no I/O."""

from __future__ import annotations

import csv
import io
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
)
"""The export's columns, in order (``recording_partner`` empty: the platform's staff)."""


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as CSV with a header line; hours to the quarter hour."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = dict(row)
        values["hours"] = f"{Decimal(str(values['hours'])).quantize(Decimal('0.01'))}"
        values["recording_partner"] = values["recording_partner"] or ""
        writer.writerow([values[c] for c in COLUMNS])
    return out.getvalue()
