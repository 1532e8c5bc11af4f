"""Issue 15, item 5: changes after registration, over HTTP against the real database and
broker. Before issue 15 the personal data could not be changed after registration (no route:
404) and a withdrawn participant stayed withdrawn, their BSN blocked for the retention
period (no route: 404)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import jsonschema
import pytest
import zroute_contract
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.conftest import RETENTION_DAYS
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import content as pip_content

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
CHANGED = "nl.zroute.intake.personal-data-changed.v1"
RE_ENROLLED = "nl.zroute.intake.participant-re-enrolled.v1"
NEW_ADDRESS = {
    "street": "Dorpsweg",
    "house_number": "3",
    "postal_code": "1012 AB",
    "city": "Amsterdam",
}


async def test_the_personal_data_changes_with_a_reason_and_codes_only_travel(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = (await register(client))["participant_ref"]
    body = {
        "reason": "moved_within_municipality",
        "address": NEW_ADDRESS,
        "phone": "+31 6 87654321",
        "preferred_language": "ti",
    }
    headers = builders.auth(subject="caseworker-bram") | {"If-Match": '"1"'}
    response = await client.post(
        f"/participants/{ref}/personal-data/changes", json=body, headers=headers
    )
    changed = ok(response)
    assert response.headers["ETag"] == '"2"'
    assert changed["preferred_language"] == "ti" and changed["interpreter_needed"] is True
    [change] = changed["changes"]
    assert change["by"] == "caseworker-bram" and change["reason"] == "moved_within_municipality"
    assert change["fields"] == ["address", "phone", "preferred_language"]

    read = ok(await client.get(f"/participants/{ref}", params={"purpose": "contact_participant"}))
    assert read["personal_data"]["street"] == "Dorpsweg"
    assert read["personal_data"]["phone"] == "+31 6 87654321"
    assert read["personal_data"]["family_name"] == "Haddad"  # the rest stays

    await wait_for(lambda: seen.of_type(CHANGED), what="personal-data-changed")
    [event] = seen.of_type(CHANGED)
    data = event["data"]
    schema = json.loads((SCHEMAS / f"{CHANGED}.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["changed"] == ["address", "phone", "preferred_language"]
    assert data["preferred_language"] == "ti" and data.get("interpreter_needed") is None
    raw = json.dumps(event)
    assert "Dorpsweg" not in raw and "87654321" not in raw  # no address or phone on the bus

    log = (await client.get(f"/participants/{ref}/access-log")).json()
    audit = [e for e in log if e["purpose"] == "personal_data_change"]
    assert [(e["actor"], e["fields"]) for e in audit] == [("caseworker-bram", ["address", "phone"])]


async def test_a_change_is_refused_stale_empty_or_unchanged(client):
    ref = (await register(client))["participant_ref"]
    path = f"/participants/{ref}/personal-data/changes"
    stale = await client.post(
        path, json={"reason": "recording_error", "interpreter_needed": False},
        headers={"If-Match": '"7"'},
    )  # fmt: skip
    assert stale.status_code == 409
    same = await client.post(path, json={"reason": "recording_error", "preferred_language": "ar"})
    assert same.status_code == 422 and "changes nothing" in same.text
    bad = await client.post(path, json={"reason": "whim", "interpreter_needed": False})
    assert bad.status_code == 422
    assert ok(await client.get(f"/participants/{ref}"))["version"] == 1


async def test_a_mistaken_withdrawal_is_undone_and_the_bsn_is_not_blocked(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    registration = builders.registration()
    ref = (await register(client, **registration))["participant_ref"]
    await complete(client, intake, ref)
    withdrawal = {"reason": "stopped", "effective_on": builders.day(8)}
    ok(await client.post(f"/participants/{ref}/withdrawal", json=withdrawal))
    again = await client.post("/participants", json=registration)
    assert again.status_code == 409  # the BSN stays with the withdrawn participant

    back = ok(await client.post(
        f"/participants/{ref}/re-enrolment", json={"reason": "mistaken_withdrawal"},
        headers=builders.auth(subject="caseworker-bram"),
    ))  # fmt: skip
    assert back["status"] == "intake_completed" and back["withdrawal"] is None
    assert back["changes"][-1]["action"] == "re_enrolled"
    assert back["changes"][-1]["by"] == "caseworker-bram"
    # The participant is on the route again: the intake can be corrected, the PIP drafted.
    ok(await client.put(f"/participants/{ref}/pip/draft", json=pip_content()))

    await wait_for(lambda: seen.of_type(RE_ENROLLED), what="participant-re-enrolled")
    data = seen.of_type(RE_ENROLLED)[0]["data"]
    schema = json.loads((SCHEMAS / f"{RE_ENROLLED}.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert (data["reason"], data["status"], data["withdrawn_on"]) == (
        "mistaken_withdrawal", "intake_completed", builders.day(8)
    )  # fmt: skip

    # The erasure the withdrawal scheduled is cancelled: past the retention, the data stays.
    await intake.advance_clock(timedelta(days=RETENTION_DAYS + 2))
    read = ok(await client.get(f"/participants/{ref}", params={"purpose": "legal_obligation"}))
    assert read["personal_data"]["bsn"] == registration["bsn"]


@pytest.fixture
async def short_window(services):
    """An intake service whose withdrawals may be revoked for 5 days (retention 30)."""
    settings = services.settings(
        Settings, intake_retention_days=RETENTION_DAYS, intake_re_enrolment_window_days=5
    )
    return await services.start(definition(settings), settings)


async def test_a_withdrawal_is_revoked_only_within_the_window_and_only_once(short_window):
    base = f"http://127.0.0.1:{short_window.http_port}"
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as client:
        await _revoke_within_the_window(short_window, client)


async def _revoke_within_the_window(intake, client) -> None:
    ref = (await register(client))["participant_ref"]
    withdrawal = {"reason": "moved", "effective_on": builders.day(0)}
    ok(await client.post(f"/participants/{ref}/withdrawal", json=withdrawal))
    await intake.advance_clock(timedelta(days=6))
    late = await client.post(
        f"/participants/{ref}/re-enrolment", json={"reason": "withdrawal_revoked"}
    )
    assert late.status_code == 409 and "within 5 days" in late.text
    back = ok(await client.post(
        f"/participants/{ref}/re-enrolment", json={"reason": "mistaken_withdrawal"}
    ))  # fmt: skip
    assert back["status"] == "registered"
    twice = await client.post(
        f"/participants/{ref}/re-enrolment", json={"reason": "mistaken_withdrawal"}
    )
    assert twice.status_code == 409 and "not withdrawn" in twice.text
