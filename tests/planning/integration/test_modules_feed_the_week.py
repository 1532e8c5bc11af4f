"""Modules feed the schedule and the hours (issue 16 item 4): a customised module added
with its hours, provider and teaching form takes a session a week in the participant's
published week and dated calendar, its hours count in the projection, and attendance on
its sessions counts in the ledger and the spreadsheet export under the module's kind;
removing it takes it out of the week, the coming calendar and the projection.

Before, a module added by hand was a label: the week, the calendar and the projection
were the same with it as without it."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.integration.conftest import PROGRAMME, intake_completed

CASEWORKER = {"Authorization": f"Bearer {token([Role.CASEWORKER], subject='cw-1')}"}
MODULE = "financial_self_reliance"
WEEKS = timedelta(days=28)


async def _state(planning, ref: str) -> tuple[list[dict], dict]:
    week = (await planning.http.get(f"/participants/{ref}/schedule")).json()
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    return week["sessions"], plan["projection"]["hours"]


def _sheet_hours(content: bytes, ref: str) -> dict[str, float]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    header, *rows = list(book["per participant"].iter_rows(values_only=True))
    [row] = [r for r in rows if r[0] == ref]
    return dict(zip(header[1:-1], row[1:-1], strict=True))


async def test_a_module_takes_a_session_in_the_week_the_calendar_and_the_hours(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    start = date.fromisoformat(plan["start_on"])
    before, projected_before = await _state(planning, ref)
    assert not [s for s in before if s.get("module")]
    window = {"from_on": str(start), "to_on": str(start + WEEKS - timedelta(days=1))}
    made = await planning.http.post(f"/programmes/{PROGRAMME}/calendar", json=window)
    assert made.status_code == 200, made.text

    body = {
        "module": MODULE,
        "provider_id": "budget-coach",
        "hours": 20,
        "teaching_form": "digital",
        "reason": "agreed at the progress meeting",
    }
    added = await planning.http.post(f"/participants/{ref}/modules", json=body, headers=CASEWORKER)
    assert added.status_code == 201, added.text
    row = {m["module"]: m for m in added.json()}[MODULE]
    assert (row["teaching_form"], row["hours_kind"]) == ("digital", "knm")

    # The week: one more session, the module's, in its form, counting toward KNM.
    after, projected = await _state(planning, ref)
    assert len(after) == len(before) + 1
    [taught] = [s for s in after if s.get("module") == MODULE]
    assert (taught["teaching_form"], taught["hours_kind"]) == ("digital", "knm")
    await planning.barrier()
    published = planning.events("schedule-published", ref)
    assert [s for s in published[-1]["data"]["sessions"] if s.get("module") == MODULE]
    # The projection: the module's 20 hours count toward KNM (the term has room for them).
    assert projected["knm"] == projected_before["knm"] + 20
    assert projected["language"] == projected_before["language"]

    # The calendar: the module's session every week the calendar holds.
    calendar = (await planning.http.get(f"/participants/{ref}/calendar", params=window)).json()
    dated = [s for s in calendar if s["module"] == MODULE]
    assert len(dated) == 4, calendar
    assert {(s["teaching_form"], s["kind"], s["weekday"], s["day_part"]) for s in dated} == {
        ("digital", "knm", taught["weekday"], taught["day_part"])
    }

    # Attendance on the module's first session counts in the ledger and the export as KNM.
    first = dated[0]
    await planning.runtime.advance_clock(
        timedelta(days=(date.fromisoformat(first["session_on"]) - start).days + 16)
    )
    roll_call = {
        "session_id": first["session_id"],
        "session_on": first["session_on"],
        "kind": first["kind"],
        "teaching_form": first["teaching_form"],
        "session_minutes": first["minutes"],
        "marks": [{"participant_ref": ref, "status": "present", "minutes": first["minutes"]}],
    }
    recorded = await planning.http.post("/roll-calls", json=roll_call)
    assert recorded.status_code == 201, recorded.text
    hours = (await planning.http.get(f"/participants/{ref}/hours")).json()["hours"]
    assert hours["knm"] == first["minutes"] / 60
    sheet = await planning.http.get(f"/programmes/{PROGRAMME}/hours.xlsx")
    assert _sheet_hours(sheet.content, ref)["knm"] == first["minutes"] / 60

    # Removing it: out of the week and the projection, its coming sessions cancelled with
    # notice; the session held keeps its hours.
    removed = await planning.http.post(
        f"/participants/{ref}/modules/{MODULE}/removal",
        json={"reason": "the budget coach took it over"},
        headers=CASEWORKER,
    )
    assert removed.status_code == 200, removed.text
    gone, projected_gone = await _state(planning, ref)
    assert not [s for s in gone if s.get("module")]
    assert projected_gone["knm"] < projected["knm"]
    calendar = (await planning.http.get(f"/participants/{ref}/calendar", params=window)).json()
    states = {s["session_on"]: s["status"] for s in calendar if s["module"] == MODULE}
    assert states == {
        s["session_on"]: "planned" if s["session_id"] == first["session_id"] else "cancelled"
        for s in dated
    }
    await planning.barrier()
    told = planning.events("session-cancelled", ref)
    assert len(told) == 3 and {e["data"]["reason"] for e in told} == {"planner_decision"}
    hours = (await planning.http.get(f"/participants/{ref}/hours")).json()["hours"]
    assert hours["knm"] == first["minutes"] / 60
