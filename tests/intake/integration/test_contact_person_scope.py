"""Issue 12, "also seen": a caseworker could name another municipality's caseworker as a
participant's contact person. The contact person of a municipality is now always of the
participant's own municipality."""

from __future__ import annotations

from tests.intake import builders
from tests.intake.integration.flow import ok, register


async def test_a_contact_person_of_another_municipality_is_refused(client):
    ref = (await register(client))["participant_ref"]
    other = builders.contact("caseworker-ede") | {"municipality": "GM0228"}
    refused = await client.put(
        f"/participants/{ref}/contact-person",
        json={"contact_person": other, "assigned_from": builders.day(9)},
    )
    assert refused.status_code == 422, refused.text
    assert "own municipality" in refused.json()["error"] + str(refused.json()["detail"])
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert "caseworker-ede" not in str(history)
    ok(await client.put(
        f"/participants/{ref}/contact-person",
        json={"contact_person": builders.contact("caseworker-bram"), "assigned_from": builders.day(9)},
    ))  # fmt: skip
