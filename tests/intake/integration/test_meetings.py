"""Issue 15, item 3: progress meetings and the Z-route's final meeting, held by the
municipality, over HTTP against the real database and broker. Before issue 15 intake had
none of these routes (404): progress meetings were a due date and an outcome code in
planning, and there was no final meeting."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import jsonschema
import zroute_contract
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.intake.integration.test_pip import completed, content, day, established

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
INTAKE = "nl.zroute.intake."
ATTENDEES = [
    {"role": "participant"},
    {"role": "caseworker"},
    {"role": "language_partner", "partner_id": "language-school"},
]
NOTES = "Gaat goed met lezen; zorgen over slaap."


def _valid(body: dict) -> None:
    schema = json.loads((SCHEMAS / f"{body['type']}.json").read_text())
    jsonschema.validate(body["data"], schema, cls=jsonschema.Draft202012Validator)


async def test_meetings_follow_the_pip_invite_with_an_interpreter_and_record_the_decision(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    await established(client, ref, progress_meetings=2)
    base = f"/participants/{ref}/progress-meetings"
    too_few = await client.put(f"{base}/plan", json={"due_on": [str(day(40))]})
    assert too_few.status_code == 422 and "sets 2" in too_few.text
    planned = ok(await client.put(f"{base}/plan", json={"due_on": [str(day(40)), str(day(120))]}))
    assert [m["number"] for m in planned["meetings"]] == [1, 2]

    starts = (builders.CLOCK_START + timedelta(days=40)).isoformat()
    invitation = {
        "starts_at": starts, "location_id": "town-hall", "interpreter_needed": True,
        "interpreter_language": "ar", "partners": ["language-school"],
    }  # fmt: skip
    ok(await client.post(f"{base}/1/invitation", json=invitation))
    await intake.advance_clock(timedelta(days=33))  # the service's today: day(41)

    record = {
        "held_on": str(day(40)), "attendees": ATTENDEES, "notes": NOTES,
        "agreements": [{"what": "Oefenen met de bus", "owner": "participant", "due_on": str(day(60))}],
        "decision": "amended", "pip_version": 2,
    }  # fmt: skip
    missing = await client.post(f"{base}/1/record", json=record)
    assert missing.status_code == 404  # no version 2 yet: amend the PIP first
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(progress_meetings=3)))
    ok(await client.post(
        f"/participants/{ref}/pip/amendments",
        json={"dated": str(day(40)), "reason": "progress_meeting"},
    ))  # fmt: skip
    held = ok(await client.post(f"{base}/1/record", json=record))
    assert held["meetings"][0]["record"]["decision"] == "amended"
    assert held["meetings"][0]["record"]["by"] == "caseworker-anna"

    read = ok(await client.get(base))
    assert (read["set_by_pip"], read["held"]) == (3, 1)  # the amended PIP sets three now
    assert read["meetings"][0]["record"]["notes"] == NOTES
    coordinator = {"Authorization": f"Bearer {token([Role.COORDINATOR])}"}
    hidden = ok(await client.get(base, headers=coordinator))
    assert hidden["meetings"][0]["record"]["notes"] == ""  # notes for caseworkers only
    replanned = ok(await client.put(
        f"{base}/plan", json={"due_on": [str(day(40)), str(day(100)), str(day(160))]}
    ))  # fmt: skip
    assert replanned["meetings"][0]["record"]["decision"] == "amended"  # held one kept

    await wait_for(lambda: seen.of_type(INTAKE + "progress-meeting-held.v1"), what="held")
    [scheduled] = seen.of_type(INTAKE + "progress-meeting-scheduled.v1")
    _valid(scheduled)
    assert scheduled["data"]["interpreter_needed"] is True
    assert scheduled["data"]["interpreter_language"] == "ar"
    assert scheduled["data"]["partners"] == ["language-school"]
    [event] = seen.of_type(INTAKE + "progress-meeting-held.v1")
    _valid(event)
    assert (event["data"]["decision"], event["data"]["pip_version"]) == ("amended", 2)
    assert event["data"]["agreements"] == 1
    raw = json.dumps(seen.bodies())
    assert "slaap" not in raw and "bus" not in raw  # notes and agreements never travel

    changes = ok(await client.get(f"/participants/{ref}/pip"))["changes"]
    assert ("progress_meeting_recorded", "caseworker-anna") in [
        (c["action"], c["by"]) for c in changes
    ]
    stored = await intake.pool.fetchval(
        "SELECT record_encrypted FROM intake_meetings WHERE participant_ref = $1", ref
    )
    assert b"slaap" not in stored  # the notes are encrypted at rest


async def test_only_the_municipalitys_caseworker_records_the_final_meeting(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    await established(client, ref)
    final = {"held_on": str(day(8)), "attendees": ATTENDEES[:2], "notes": "Eindgesprek."}
    path = f"/participants/{ref}/final-meeting"
    base = str(client.base_url)
    partner = {
        "Authorization": f"Bearer {token([Role.PARTNER_STAFF], partner_id='language-school')}"
    }
    elsewhere = {"Authorization": f"Bearer {token([Role.CASEWORKER], municipality='GM0344')}"}
    for headers in (partner, elsewhere):
        async with httpx.AsyncClient(base_url=base, headers=headers) as other:
            assert (await other.post(path, json=final)).status_code == 403

    recorded = ok(await client.post(path, json=final))
    assert recorded["final_meeting"]["held_on"] == str(day(8))
    assert recorded["final_meeting"]["by"] == "caseworker-anna"
    again = await client.post(path, json=final)
    assert again.status_code == 409
    await wait_for(lambda: seen.of_type(INTAKE + "final-meeting-held.v1"), what="final")
    [event] = seen.of_type(INTAKE + "final-meeting-held.v1")
    _valid(event)
    assert event["data"]["held_on"] == str(day(8))
    assert {a["role"] for a in event["data"]["attendees"]} == {"participant", "caseworker"}
    assert "Eindgesprek" not in json.dumps(event)
