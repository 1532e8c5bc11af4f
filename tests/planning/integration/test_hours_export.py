"""The hours export (issue 16 item 8): per participant, kind, month and recording partner;
it sums to the ledger's totals, and every figure traces to its sessions and corrections."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from datetime import timedelta

from openpyxl import load_workbook

from tests.planning.integration.conftest import PROGRAMME, TODAY, intake_completed


def roll_call(day: int, kind: str, marks: list[dict]) -> dict:
    return {
        "session_id": str(uuid.uuid4()),
        "session_on": str(TODAY + timedelta(days=day)),
        "kind": kind,
        "teaching_form": "knm" if kind == "knm" else "classroom",
        "session_minutes": 150,
        "marks": marks,
    }


async def test_the_export_sums_to_the_ledger_and_traces_to_sessions_and_corrections(planning):
    intakes = [intake_completed(), intake_completed()]
    for intake in intakes:
        await planning.activate(intake)
    a, b = (i.participant_ref for i in intakes)
    await planning.runtime.advance_clock(timedelta(days=60))
    http = planning.http
    sessions = [
        roll_call(15, "language", [
            {"participant_ref": a, "status": "present", "minutes": 150},
            {"participant_ref": b, "status": "present", "minutes": 120},
        ]),
        roll_call(16, "knm", [{"participant_ref": a, "status": "present", "minutes": 90}]),
        roll_call(29, "language", [
            {"participant_ref": a, "status": "present", "minutes": 150},
            {"participant_ref": b, "status": "absent_without_reason"},
        ]),
    ]  # fmt: skip
    for body in sessions:
        response = await http.post("/roll-calls", json=body)
        assert response.status_code == 201, response.text
    corrected = await http.put(
        f"/participants/{a}/attendance/{sessions[2]['session_id']}",
        json={"status": "present", "minutes": 60, "reason": "data_entry_error"},
    )
    assert corrected.status_code == 200, corrected.text

    response = await http.get(f"/programmes/{PROGRAMME}/hours.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    exported: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        exported[row["participant_ref"]][row["kind"]] += float(row["hours"])
    for ref in (a, b):
        ledger = (await http.get(f"/participants/{ref}/hours")).json()["hours"]
        assert {k: v for k, v in ledger.items() if v} == dict(exported[ref]), ref
    assert dict(exported[a]) == {"language": 3.5, "knm": 1.5}

    month = str(TODAY + timedelta(days=29))[:7]
    [row] = [r for r in rows if r["participant_ref"] == a and r["month"] == month]
    assert (row["kind"], row["sessions"], row["corrections"]) == ("language", "1", "1")
    trace = await http.get(f"/participants/{a}/hours/language/{month}")
    assert trace.status_code == 200, trace.text
    [line] = trace.json()
    assert line["session_id"] == sessions[2]["session_id"] and line["hours"] == 1.0
    [correction] = line["corrections"]
    assert (correction["old_hours"], correction["new_hours"]) == (2.5, 1.0)
    assert sum(line["hours"] for line in trace.json()) == float(row["hours"])


async def test_the_spreadsheet_export_sums_to_the_ledger(planning):
    """Issue 16 item 8: the .xlsx holds the CSV's lines, and its per-participant sums
    equal each participant's ledger."""
    intakes = [intake_completed(), intake_completed()]
    for intake in intakes:
        await planning.activate(intake)
    a, b = (i.participant_ref for i in intakes)
    await planning.runtime.advance_clock(timedelta(days=60))
    sessions = [
        roll_call(15, "language", [
            {"participant_ref": a, "status": "present", "minutes": 150},
            {"participant_ref": b, "status": "present", "minutes": 105},
        ]),
        roll_call(16, "map", [{"participant_ref": b, "status": "present", "minutes": 90}]),
        roll_call(45, "knm", [{"participant_ref": a, "status": "present", "minutes": 120}]),
    ]  # fmt: skip
    for body in sessions:
        response = await planning.http.post("/roll-calls", json=body)
        assert response.status_code == 201, response.text
    response = await planning.http.get(f"/programmes/{PROGRAMME}/hours.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["hours", "per participant", "per month"]
    detail = list(book["hours"].iter_rows(values_only=True))
    assert detail[0][:5] == ("participant_ref", "kind", "month", "recording_partner", "hours")
    from_lines: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for ref, kind, _month, _partner, hours, *_ in detail[1:]:
        from_lines[ref][kind] += hours
    header, *summary = list(book["per participant"].iter_rows(values_only=True))
    for ref in (a, b):
        ledger = (await planning.http.get(f"/participants/{ref}/hours")).json()["hours"]
        [row] = [r for r in summary if r[0] == ref]
        sheet = dict(zip(header[1:-1], row[1:-1], strict=True))
        assert sheet == {k: float(v) for k, v in ledger.items()}, ref
        assert row[-1] == sum(ledger.values())
        assert {k: v for k, v in ledger.items() if v} == dict(from_lines[ref])
    months = list(book["per month"].iter_rows(values_only=True))[1:]
    assert sum(r[-1] for r in months) == 2.5 + 1.75 + 1.5 + 2.0
