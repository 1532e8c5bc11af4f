"""Every invalid request gets a 4xx with a reason a caseworker can act on."""

from __future__ import annotations

from tests.intake import builders
from tests.intake.integration.flow import complete, hold_intake, register

UNKNOWN = "zr-" + "0" * 32


def reason(response) -> str:
    body = response.json()
    return body["error"] + " " + " ".join(f"{d.get('loc')} {d.get('msg')}" for d in body["detail"])


async def test_an_unknown_language_level_is_refused_naming_the_levels(intake, client):
    ref = (await register(client))["participant_ref"]
    await hold_intake(client, intake, ref)
    response = await client.post(
        f"/participants/{ref}/intake/outcome", json=builders.outcome(language_level="C2")
    )
    assert response.status_code == 422
    assert "language_level" in reason(response) and "'A0', 'A1', 'A2' or 'B1'" in reason(response)


async def test_an_intake_needing_an_interpreter_is_refused_without_one(client):
    ref = (await register(client, interpreter_needed=True))["participant_ref"]
    response = await client.put(
        f"/participants/{ref}/intake", json=builders.schedule(interpreter=None)
    )
    assert response.status_code == 422
    assert "needs an interpreter (language ar)" in reason(response)


async def test_an_invalid_bsn_is_refused_saying_it_fails_the_elfproef(client):
    response = await client.post(
        "/participants", json=builders.registration(bsn=builders.invalid_bsn())
    )
    assert response.status_code == 422
    assert "elfproef" in reason(response)
    assert (await client.get("/participants")).json()["total"] == 0


async def test_a_duplicate_bsn_in_the_municipality_points_at_the_existing_record(client):
    body = builders.registration()
    first = (await register(client, bsn=body["bsn"]))["participant_ref"]
    again = await client.post("/participants", json=body)
    assert again.status_code == 409
    assert first in reason(again)
    assert again.headers["Location"] == f"/participants/{first}"
    assert body["bsn"] not in again.text
    elsewhere = await client.post(
        "/participants",
        json=body | {"municipality": "GM0599",
                     "contact_person": builders.contact() | {"municipality": "GM0599"}},
    )  # fmt: skip
    assert elsewhere.status_code == 201  # another municipality keeps its own register


IMPOSSIBLE_DATES = [
        ("/participants", builders.registration(date_of_birth="2030-01-01"), "date_of_birth"),
        ("/participants", builders.registration(date_of_birth="1984-02-30"), "date_of_birth"),
        ("{ref}/intake", builders.schedule(days_ahead=-2), "starts_at"),
        ("{ref}/consents",
         builders.consent(given_on="2027-01-04", valid_until="2027-01-01"), "valid_until"),
        ("{ref}/consents", builders.consent(given_on="2027-02-01"), "given_on"),
        ("{ref}/withdrawal", {"reason": "moved", "effective_on": "2026-12-01"}, "effective_on"),
        ("{ref}/contact-person",
         {"contact_person": builders.contact("bram-b"), "assigned_from": "2026-12-01"},
         "assigned_from"),
    ]  # fmt: skip


async def test_impossible_dates_are_refused_naming_the_field(client):
    for path, body, expected in IMPOSSIBLE_DATES:
        ref = (await register(client))["participant_ref"]
        url = path.replace("{ref}", f"/participants/{ref}")
        send = client.put if url.endswith(("/intake", "/contact-person")) else client.post
        response = await send(url, json=body)
        assert response.status_code == 422, (path, response.text)
        assert expected in reason(response), path


ON_A_PARTICIPANT = [
    ("GET", "", None),
    ("PUT", "/intake", builders.schedule()),
    ("POST", "/intake/outcome", builders.outcome()),
    ("POST", "/withdrawal", {"reason": "moved", "effective_on": "2027-01-04"}),
    ("POST", "/consents", builders.consent()),
    ("GET", "/contact-persons", None),
]


async def test_an_unknown_participant_is_404_naming_the_reference(client):
    for method, path, body in ON_A_PARTICIPANT:
        response = await client.request(method, f"/participants/{UNKNOWN}{path}", json=body)
        assert response.status_code == 404, (method, path)
        assert UNKNOWN in reason(response)


async def test_a_malformed_reference_is_refused(client):
    response = await client.get("/participants/123456782")
    assert response.status_code == 422
    assert "123456782" not in response.text  # not echoed: it could be a BSN


async def test_an_unknown_programme_is_refused_naming_the_programmes_run(client):
    response = await client.post("/participants", json=builders.registration(programme_id="nope-x"))
    assert response.status_code == 422
    assert "programme-demo" in reason(response)


async def test_a_health_domain_among_the_needs_is_refused_pointing_at_care_signals(intake, client):
    ref = (await register(client))["participant_ref"]
    await hold_intake(client, intake, ref)
    needs = [{"domain": "health_physical", "severity": "light"}]
    response = await client.post(
        f"/participants/{ref}/intake/outcome", json=builders.outcome(needs=needs)
    )
    assert response.status_code == 422 and "care_signals" in reason(response)


async def test_a_completed_intake_cannot_be_rescheduled_only_corrected(intake, client):
    ref = (await register(client))["participant_ref"]
    await complete(client, intake, ref)
    response = await client.put(f"/participants/{ref}/intake", json=builders.schedule())
    assert response.status_code == 409 and "correction" in reason(response)
