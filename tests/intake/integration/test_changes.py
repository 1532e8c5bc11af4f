"""Issue 15, item 5: changes after registration, over HTTP against the real database and
broker. Before issue 15 the personal data could not be changed after registration (no route:
404) and a withdrawn participant stayed withdrawn, their BSN blocked for the retention
period (no route: 404)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import zroute_contract

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok, register

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
CHANGED = "nl.zroute.intake.personal-data-changed.v1"
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
