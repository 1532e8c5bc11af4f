"""The intake journey over HTTP emits the catalogue's events: types, routing keys,
schemas, subjects, and not one personal identifier on the bus or in the logs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import zroute_contract
from zroute_runtime.privacy import mask_bsns

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
INTAKE = "nl.zroute.intake."

EXPECTED = {
    "participant-registered": "intake.participant.registered",
    "contact-person-assigned": "intake.contact-person.assigned",
    "intake-scheduled": "intake.intake.scheduled",
    "intake-completed": "intake.intake.completed",
    "care-signals-recorded": f"intake.care-signals.recorded.{builders.CARE_PARTNER}",
    "consent-recorded": "intake.consent.recorded",
    "consent-withdrawn": "intake.consent.withdrawn",
    "intake-corrected": "intake.intake.corrected",
    "participant-withdrawn": "intake.participant.withdrawn",
}


async def journey(client, intake) -> tuple[str, dict]:
    """Every write the API offers, once, for one participant."""
    body = builders.registration()
    ref = ok(await client.post("/participants", json=body), 201)["participant_ref"]
    done = await complete(client, intake, ref)
    signal_id = done["intake"]["outcome"]["outcome"]["care_signals"][0]["signal_id"]
    consent = ok(
        await client.post(
            f"/participants/{ref}/consents",
            json={"purpose": "care_referral", "care_signal_ids": [signal_id],
                  "given_on": builders.day(8)},
        ),
        201,
    )["consents"][0]  # fmt: skip
    ok(await client.put(
        f"/participants/{ref}/contact-person",
        json={"contact_person": builders.contact("caseworker-bram"), "assigned_from": builders.day(9)},
    ))  # fmt: skip
    corrected = builders.outcome(language_level="A1", reason="reassessment")
    corrected["care_signals"][0]["signal_id"] = signal_id
    ok(await client.post(f"/participants/{ref}/intake/corrections", json=corrected))
    ok(await client.post(f"/participants/{ref}/consents/{consent['consent_id']}/withdrawal"))
    ok(await client.post(
        f"/participants/{ref}/withdrawal", json={"reason": "moved", "effective_on": builders.day(10)}
    ))  # fmt: skip
    return ref, body


async def test_the_journey_emits_each_intake_event_with_its_routing_key_and_schema(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange)
    ref, _ = await journey(client, intake)
    await wait_for(lambda: seen.of_type(INTAKE + "participant-withdrawn.v1"), what="withdrawal")

    envelope_schema = json.loads((SCHEMAS / "cloudevent.json").read_text())
    names = [m["type"].removeprefix(INTAKE).removesuffix(".v1") for m in seen.bodies()]
    assert set(names) == set(EXPECTED)
    for message, body in zip(seen.messages, seen.bodies(), strict=True):
        name = body["type"].removeprefix(INTAKE).removesuffix(".v1")
        assert message.routing_key == EXPECTED[name]
        assert body["subject"] == ref == body["data"]["participant_ref"]
        jsonschema.validate(body, envelope_schema, cls=jsonschema.Draft202012Validator)
        schema = json.loads((SCHEMAS / f"{body['type']}.json").read_text())
        assert body["dataschema"] == schema["$id"]
        jsonschema.validate(body["data"], schema, cls=jsonschema.Draft202012Validator)
    # care signals travel on the addressed event only, once per change of them
    care = [b["data"] for b in seen.of_type(INTAKE + "care-signals-recorded.v1")]
    assert len(care) == 4  # on completion, consent, correction and consent withdrawal
    consent_ids = [[s["consent_id"] for s in c["signals"]] for c in care]
    consent_id = seen.of_type(INTAKE + "consent-recorded.v1")[0]["data"]["consent_id"]
    assert consent_ids == [[None], [consent_id], [consent_id], [None]]
    completed = seen.of_type(INTAKE + "intake-completed.v1")[0]["data"]
    assert completed["route"] == "z_route" and "care_signals" not in completed


async def test_no_personal_identifier_reaches_an_event_or_a_log_line(
    intake, client, amqp_connection, capsys
):
    seen = await capture(amqp_connection, intake.topology.exchange)
    _, body = await journey(client, intake)
    await wait_for(lambda: seen.of_type(INTAKE + "participant-withdrawn.v1"), what="withdrawal")
    address = body["address"]
    identifiers = [
        body["bsn"], body["given_names"], body["family_name"], body["date_of_birth"],
        body["phone"], address["street"], address["postal_code"], address["city"],
    ]  # fmt: skip
    wire = b"\n".join(m.body for m in seen.messages).decode()
    logs = "".join(capsys.readouterr())
    assert "participant_registered" in logs  # the logs were captured
    for value in identifiers:
        assert value not in wire, f"a personal identifier is on the bus: {value[:2]}..."
        assert value not in logs, f"a personal identifier is in the logs: {value[:2]}..."
    assert mask_bsns(wire) == wire  # no BSN-shaped number at all


async def test_a_refused_change_writes_no_event(intake, client):
    ref = (await register(client))["participant_ref"]
    before = await intake.pool.fetchval("SELECT count(*) FROM zr_outbox")
    refused = await client.put(f"/participants/{ref}/intake", json=builders.schedule(days_ahead=-1))
    assert refused.status_code == 422
    assert await intake.pool.fetchval("SELECT count(*) FROM zr_outbox") == before


async def test_the_callers_correlation_id_travels_into_the_events_of_the_command(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange)
    await client.post(
        "/participants", json=builders.registration(), headers={"X-Correlation-ID": "case-4711"}
    )
    await wait_for(lambda: len(seen.messages) == 2, what="registration and contact person")
    assert {body["correlationid"] for body in seen.bodies()} == {"case-4711"}
