"""Issue 15 item 7: the exchange with DUO (B 9.1-9.3) in the project's own layouts
(docs/duo.md). The export: one line per participant, by BSN, with route, intensity, the
PIP's date, meetings, attendance, hours and language level, each export access-logged.
The import: DUO's notice, release, extension, term, exam results and certificate, each
line applied or refused with its reason and kept.

Before issue 15 neither existed (``/duo/export.csv`` and ``/duo/imports`` answered 404).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.helpers import token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import day, established
from tests.intake.integration.test_reports import PLANNING, attendance, publish

CSV = {"Content-Type": "text/csv"}
GM = {"municipality": builders.MUNICIPALITY}


async def participant(client, intake, *, pip: bool) -> tuple[str, str]:
    body = builders.registration()
    ref = ok(await client.post("/participants", json=body), 201)["participant_ref"]
    await complete(client, intake, ref)
    if pip:
        await established(client, ref)
    return ref, body["bsn"]


async def test_the_duo_export_has_one_line_per_participant_by_bsn_and_is_access_logged(
    intake, client, amqp_connection
):
    ref, bsn = await participant(client, intake, pip=True)
    fresh = (await register(client))["participant_ref"]
    for kind, hours in (("language", 3), ("knm", 2), ("participation", 4), ("map", 1)):
        await publish(amqp_connection, intake, attendance(ref, kind, hours), PLANNING)

    async def projected() -> bool:
        return await intake.pool.fetchval("SELECT count(*) FROM intake_report_hours") == 4

    await wait_for(projected, what="planning's attendance in intake's projection")
    answer = await client.get("/duo/export.csv", params=GM)
    assert answer.status_code == 200, answer.text
    lines = {line["participant_ref"]: line for line in csv.DictReader(io.StringIO(answer.text))}
    assert set(lines) == {ref, fresh}
    line = lines[ref]
    assert line["bsn"] == bsn and line["route"] == "z_route"
    assert line["pip_date"] == str(day(8)) and line["term_start"] == str(day(9))
    assert (line["pvt_hours_per_week"], line["map_hours_per_week"]) == ("2.0", "0.0")
    assert (line["hours_language"], line["hours_knm"]) == ("3.0", "2.0")
    assert (line["hours_participation"], line["hours_map"]) == ("4.0", "1.0")
    assert (line["sessions_present"], line["progress_meetings_planned"]) == ("4", "4")
    assert line["language_level"] == builders.outcome()["language_level"]
    assert lines[fresh]["pip_date"] == ""
    log = ok(await client.get(f"/participants/{ref}/access-log"))
    assert [entry["purpose"] for entry in log] == ["duo_exchange"]


async def test_the_export_is_for_a_municipalitys_caseworker_only(intake, client):
    coordinator = {"Authorization": f"Bearer {token(['coordinator'], municipality='GM0363')}"}
    assert (await client.get("/duo/export.csv", headers=coordinator)).status_code == 403
    refused = await client.get("/duo/export.csv")  # a regional caseworker names none
    assert refused.status_code == 422 and "per municipality" in refused.text
    own = {"Authorization": f"Bearer {token(['caseworker'], municipality='GM0599')}"}
    other = await client.get("/duo/export.csv", headers=own, params=GM)
    assert other.status_code == 403


def duo_file(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    columns = ["record", "bsn", "decided_on", "effective_on", "ground", "new_end",
               "term_start", "term_end", "exam_part", "result", "certificate_number"]  # fmt: skip
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


async def test_the_duo_import_applies_each_good_line_and_refuses_each_bad_one_with_its_reason(
    intake, client
):
    waiting, waiting_bsn = await participant(client, intake, pip=False)
    on_route, route_bsn = await participant(client, intake, pip=True)
    term_end = (day(9) + timedelta(days=3 * 365 + 1)).isoformat()
    new_end = str(day(9) + timedelta(days=4 * 365))
    rows = [
        {"record": "obligation", "bsn": waiting_bsn, "decided_on": str(day(1))},
        {"record": "extension", "bsn": route_bsn, "decided_on": str(day(8)),
         "ground": "not_blameworthy", "new_end": new_end},
        {"record": "term", "bsn": route_bsn, "decided_on": str(day(8)),
         "term_start": str(day(9)), "term_end": term_end},
        {"record": "exam_result", "bsn": route_bsn, "decided_on": str(day(8)),
         "exam_part": "knm", "result": "passed"},
        {"record": "certificate", "bsn": route_bsn, "decided_on": str(day(8)),
         "certificate_number": "ZR12345"},
        # refused: unknown BSN, a date that is none, an unknown record, no term to extend
        {"record": "obligation", "bsn": builders.valid_bsn(), "decided_on": str(day(1))},
        {"record": "obligation", "bsn": waiting_bsn, "decided_on": "31-12-2026"},
        {"record": "fine", "bsn": route_bsn, "decided_on": str(day(1))},
        {"record": "extension", "bsn": waiting_bsn, "decided_on": str(day(8)),
         "ground": "not_blameworthy", "new_end": new_end},
        {"record": "exam_result", "bsn": route_bsn, "decided_on": str(day(8)),
         "exam_part": "knm", "result": "maybe"},
    ]  # fmt: skip
    result = ok(await client.post("/duo/imports", content=duo_file(rows), headers=CSV, params=GM))
    assert (result["total"], result["accepted"]) == (10, 5)
    reasons = {r["line"]: r["reason"] for r in result["refused"]}
    assert reasons[7].startswith("bsn: no participant with this BSN")
    assert reasons[8] == "decided_on: '31-12-2026' is not a date (YYYY-MM-DD)"
    assert reasons[9].startswith("record: one of obligation")
    assert "no term runs yet" in reasons[10]
    assert reasons[11].startswith("result: one of failed, passed")
    # nothing lost: the refused line is kept as sent, its BSN encrypted
    kept = next(r for r in result["refused"] if r["line"] == 11)["fields"]
    assert kept["result"] == "maybe" and "bsn" not in kept and kept["bsn_sealed"]
    stored = ok(await client.get(f"/duo/imports/{result['import_id']}"))
    assert stored["rows_accepted"] == 5 and len(stored["refused"]) == 5
    assert route_bsn not in str(stored) and waiting_bsn not in str(stored)

    waiting_pip = ok(await client.get(f"/participants/{waiting}/pip"))
    assert waiting_pip["deadline"]["duo_notice_on"] == str(day(1))
    route_pip = ok(await client.get(f"/participants/{on_route}/pip"))
    assert route_pip["term"]["end"] == new_end and route_pip["term"]["extended"]
    kinds = await intake.pool.fetch(
        "SELECT kind FROM intake_duo_records WHERE participant_ref = $1 ORDER BY id", on_route
    )
    assert [k["kind"] for k in kinds] == ["term", "exam_result", "certificate"]


async def test_an_exemption_line_before_the_registration_is_refused_and_erases_nothing(
    intake, client
):
    """The import applies a release by the same rule as the endpoint: one taking effect
    before the registration would start the retention decades back, so the timers would
    erase the personal data and delete the record at once (found by the intake fuzz)."""
    ref, bsn = await participant(client, intake, pip=False)
    rows = [{"record": "exemption", "bsn": bsn, "decided_on": "1950-01-01",
             "effective_on": "1950-01-02"}]  # fmt: skip
    result = ok(await client.post("/duo/imports", content=duo_file(rows), headers=CSV, params=GM))
    assert (result["total"], result["accepted"]) == (1, 0), result
    assert "on or after the registration" in result["refused"][0]["reason"], result
    timers = await intake.pool.fetchval("SELECT count(*) FROM zr_timers WHERE key = $1", ref)
    assert timers == 0 and ok(await client.get(f"/participants/{ref}/pip"))["release"] is None


async def test_an_import_without_the_needed_columns_is_refused_whole(client):
    answer = await client.post("/duo/imports", content="bsn,when\n1,2\n", headers=CSV, params=GM)
    assert answer.status_code == 422 and "record" in answer.text
    empty = await client.post(
        "/duo/imports", content="record,bsn,decided_on\n", headers=CSV, params=GM
    )
    assert empty.status_code == 422 and "no lines" in empty.text


async def test_a_file_postgresql_cannot_hold_or_that_is_not_utf8_is_refused_whole(client):
    """The fuzzer found a 500: a NUL character in a line reached the database, which no
    text column can hold. Now the whole file is refused with where it is."""
    nul = await client.post(
        "/duo/imports",
        content="record,bsn,decided_on\nnotice,\x00,2027-01-04\n",
        headers=CSV,
        params=GM,
    )
    assert nul.status_code == 422 and "NUL" in nul.text and "line 2" in nul.text
    binary = await client.post(
        "/duo/imports", content=b"record,bsn,decided_on\n\xff\xfe,1,2\n", headers=CSV, params=GM
    )
    assert binary.status_code in (400, 422), binary.text
    # A header the csv module cannot read (found by the fuzzer: a 500 before).
    odd = await client.post("/duo/imports", content="Zu\u00bf\r\x87", headers=CSV, params=GM)
    assert odd.status_code == 422, odd.text
