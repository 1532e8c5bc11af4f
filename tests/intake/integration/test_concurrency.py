"""Optimistic concurrency: a change from a stale version is refused (409), and concurrent
changes never lose a write."""

from __future__ import annotations

import asyncio

from tests.intake import builders
from tests.intake.integration.flow import ok, register


def consent_to(partner: str) -> dict:
    return builders.consent(partner_id=partner)


async def test_every_answer_carries_the_version_as_etag(client):
    created = await client.post("/participants", json=builders.registration())
    assert created.headers["ETag"] == '"1"' and created.json()["version"] == 1
    ref = created.json()["participant_ref"]
    read = await client.get(f"/participants/{ref}")
    assert read.headers["ETag"] == '"1"'


async def test_a_change_from_a_stale_version_is_refused_with_409(client):
    ref = (await register(client))["participant_ref"]
    headers = {"If-Match": '"1"'}
    ok(
        await client.post(
            f"/participants/{ref}/consents", json=consent_to("taal-a"), headers=headers
        ),
        201,
    )
    stale = await client.post(
        f"/participants/{ref}/consents", json=consent_to("taal-b"), headers=headers
    )
    assert stale.status_code == 409
    assert "changed since version 1 (now version 2)" in stale.json()["error"]
    consents = (await client.get(f"/participants/{ref}/consents")).json()["consents"]
    assert [c["partner_id"] for c in consents] == ["taal-a"]


async def test_of_two_concurrent_changes_from_one_version_exactly_one_wins(client):
    ref = (await register(client))["participant_ref"]
    headers = {"If-Match": '"1"'}
    answers = await asyncio.gather(
        *(client.post(f"/participants/{ref}/consents", json=consent_to(p), headers=headers)
          for p in ("taal-a", "taal-b"))
    )  # fmt: skip
    assert sorted(a.status_code for a in answers) == [201, 409]
    winner = next(a for a in answers if a.status_code == 201).json()
    record = (await client.get(f"/participants/{ref}")).json()
    assert record["version"] == 2 and record["consents"] == winner["consents"]


async def test_concurrent_unguarded_changes_are_serialised_and_none_is_lost(client):
    ref = (await register(client))["participant_ref"]
    partners = [f"partner-{n}" for n in range(6)]
    answers = await asyncio.gather(
        *(client.post(f"/participants/{ref}/consents", json=consent_to(p)) for p in partners)
    )
    assert [a.status_code for a in answers] == [201] * len(partners)
    record = (await client.get(f"/participants/{ref}")).json()
    assert record["version"] == 1 + len(partners)
    assert sorted(c["partner_id"] for c in record["consents"]) == partners


async def test_a_malformed_if_match_is_refused(client):
    ref = (await register(client))["participant_ref"]
    response = await client.post(
        f"/participants/{ref}/consents", json=consent_to("taal-a"), headers={"If-Match": "yes"}
    )
    assert response.status_code == 400 and "If-Match" in response.json()["error"]


async def test_two_simultaneous_registrations_of_one_bsn_give_one_participant(client):
    body = builders.registration()
    answers = await asyncio.gather(*(client.post("/participants", json=body) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409]
    winner = next(a for a in answers if a.status_code == 201).json()["participant_ref"]
    for refused in (a for a in answers if a.status_code == 409):
        assert winner in refused.json()["error"]
    assert (await client.get("/participants")).json()["total"] == 1
