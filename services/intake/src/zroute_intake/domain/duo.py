"""The data exchanged with DUO (Besluit inburgering 2021, ch. 9), in the project's own
layouts (docs/duo.md): **not** DUO's official interface, which this project has not seen.

- Out (B 9.2-9.3): one line per participant: route and its changes, intensity, the PIP's
  date, progress (meetings), attendance, language level, PVT and MAP.
- In (B 9.1-9.3, 9.2(5)): one line per decision or fact DUO sends: the obligation,
  an exemption (*vrijstelling*) or release (*ontheffing*), the term and its extensions,
  exam results and the certificate. Each line is checked on its own; a bad line is
  refused with its reason and kept, the good ones are applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zroute_contract.types import is_valid_bsn

from zroute_intake.domain.term import ExtensionGround, ReleaseKind

EXPORT_COLUMNS = (
    "bsn",
    "participant_ref",
    "municipality",
    "route",
    "route_changes",
    "pip_date",
    "pip_version",
    "pip_version_date",
    "term_start",
    "term_end",
    "route_hours_per_week",
    "pvt_hours_per_week",
    "map_hours_per_week",
    "progress_meetings_planned",
    "progress_meetings_held",
    "final_meeting_on",
    "hours_language",
    "hours_knm",
    "hours_participation",
    "hours_map",
    "sessions_present",
    "sessions_absent",
    "language_level",
)
"""The export's columns, in order (docs/duo.md explains each)."""

IMPORT_COLUMNS = (
    "record",
    "bsn",
    "decided_on",
    "effective_on",
    "brp_registered_on",
    "ground",
    "new_end",
    "term_start",
    "term_end",
    "exam_part",
    "result",
    "certificate_number",
)
"""The import's columns; a record type uses only some of them (docs/duo.md)."""


class DuoRecord(StrEnum):
    """What one import line says."""

    OBLIGATION = "obligation"
    EXEMPTION = "exemption"
    MEDICAL_RELEASE = "medical_release"
    SPECIAL_CIRCUMSTANCES_RELEASE = "special_circumstances_release"
    TERM = "term"
    EXTENSION = "extension"
    EXAM_RESULT = "exam_result"
    CERTIFICATE = "certificate"


EXAM_PARTS = frozenset({"knm", "speaking", "listening", "reading", "writing", "z_route"})
EXAM_RESULTS = frozenset({"passed", "failed"})
RELEASES = {
    DuoRecord.EXEMPTION: ReleaseKind.EXEMPTION,
    DuoRecord.MEDICAL_RELEASE: ReleaseKind.MEDICAL_RELEASE,
    DuoRecord.SPECIAL_CIRCUMSTANCES_RELEASE: ReleaseKind.SPECIAL_CIRCUMSTANCES_RELEASE,
}


class RowError(ValueError):
    """A line that cannot be applied, with a reason a person can act on."""


@dataclass(frozen=True)
class DuoLine:
    """One checked import line."""

    record: DuoRecord
    bsn: str
    decided_on: date
    fields: Mapping[str, str]

    def day(self, name: str) -> date:
        return _day(self.fields, name, required=True)  # type: ignore[return-value]

    def optional_day(self, name: str) -> date | None:
        return _day(self.fields, name, required=False)

    def code(self, name: str, allowed: frozenset[str]) -> str:
        value = self.fields.get(name, "").strip()
        if value not in allowed:
            raise RowError(f"{name}: one of {', '.join(sorted(allowed))}, not {value!r}")
        return value


def _day(fields: Mapping[str, str], name: str, *, required: bool) -> date | None:
    value = (fields.get(name) or "").strip()
    if not value:
        if required:
            raise RowError(f"{name}: a date (YYYY-MM-DD) is required")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_line(fields: Mapping[str, str]) -> DuoLine:
    """Check one line's record type, BSN and decision date; RowError when wrong."""
    unknown = sorted(set(fields) - set(IMPORT_COLUMNS) - {""})
    if unknown:
        raise RowError(f"unknown columns: {', '.join(unknown)}")
    raw = (fields.get("record") or "").strip()
    try:
        record = DuoRecord(raw)
    except ValueError:
        allowed = ", ".join(r.value for r in DuoRecord)
        raise RowError(f"record: one of {allowed}, not {raw!r}") from None
    bsn = (fields.get("bsn") or "").strip()
    if not is_valid_bsn(bsn):
        raise RowError("bsn: not a valid BSN (nine digits passing the eleven test)")
    decided_on = _day(fields, "decided_on", required=True)
    assert decided_on is not None
    return DuoLine(record, bsn, decided_on, dict(fields))


def extension_ground(line: DuoLine) -> ExtensionGround:
    value = line.code("ground", frozenset(g.value for g in ExtensionGround))
    return ExtensionGround(value)
