"""Form errors: one message per field, shown in the error summary at the top (a link to
the field) and again beside the field. And days as people type them.

A day is asked in one text field as a Dutch government form asks it: day-month-year
("12-01-2027"), with the pattern in the hint, read on the server (:func:`parse_day`). Not
``<input type="date">``: its format and its calendar follow the browser's language, not
the page's, so a browser set to American English shows "mm/dd/yyyy" on a Dutch page (and
fills it in that order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Day, month, year: 12-01-2027, 12-1-2027, 12/01/2027, 12.01.2027 or 12 01 2027.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/. ]\s*(\d{1,2})\s*[-/. ]\s*(\d{4})")
# The ISO form links, stored values and the API use (2027-01-12): read as well.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass
class FormErrors:
    """Field id -> message id (translated where it is shown), in the form's order."""

    fields: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        self.fields.setdefault(field_id, message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def get(self, field_id: str) -> str | None:
        return self.fields.get(field_id)

    def items(self) -> list[tuple[str, str]]:
        return list(self.fields.items())


def parse_day(text: str | None) -> date | None:
    """The day typed in a date field (day-month-year, or ISO), None when it is none: an
    empty field, "morgen", 31-02-2027, or month and day swapped past 12 (01-31-2027)."""
    value = (text or "").strip()
    if found := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = (int(part) for part in found.groups())
    elif found := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso_day(text: str | None) -> str:
    """A typed day in the ISO form the API's models read; text that is no day comes back
    as typed (stripped), so the field's own check refuses it with its own message."""
    day = parse_day(text)
    return day.isoformat() if day else (text or "").strip()


def shown_day(value: date | str | None) -> str:
    """A date field's value as the field shows it: a day as day-month-year
    ("12-01-2027"), anything else (what was typed and refused) as it was typed."""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    day = parse_day(value)
    return day.strftime("%d-%m-%Y") if day else (value or "")
