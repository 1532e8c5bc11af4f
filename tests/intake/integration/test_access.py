"""Nobody gets in where they don't belong: 401 without a usable token, 403 without the role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.settings import ServiceSettings

from tests.helpers import TEST_SIGNING_KEY, token
from tests.intake import builders
from tests.intake.integration.flow import register

WRITES = [
    ("POST", "/participants", builders.registration()),
    ("PUT", "/participants/{ref}/intake", builders.schedule()),
    ("POST", "/participants/{ref}/intake/outcome", builders.outcome()),
    ("POST", "/participants/{ref}/intake/corrections", builders.outcome(reason="reassessment")),
    ("PUT", "/participants/{ref}/contact-person",
     {"contact_person": builders.contact("bram-b"), "assigned_from": "2027-01-05"}),
    ("POST", "/participants/{ref}/consents", builders.consent()),
    ("POST", "/participants/{ref}/consents/00000000-0000-4000-8000-000000000000/withdrawal", None),
    ("POST", "/participants/{ref}/withdrawal", {"reason": "moved", "effective_on": "2027-01-04"}),
]  # fmt: skip
READS = [
    ("GET", "/participants", None),
    ("GET", "/participants/{ref}", None),
    ("GET", "/participants/{ref}/contact-persons", None),
    ("GET", "/participants/{ref}/consents", None),
    ("GET", "/participants/{ref}/access-log", None),
]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


async def _call(intake, client, method, path, body, headers):
    ref = (await register(client))["participant_ref"]
    async with httpx.AsyncClient(base_url=str(client.base_url)) as anonymous:
        return await anonymous.request(method, path.format(ref=ref), json=body, headers=headers)


async def test_every_endpoint_answers_401_without_a_token(intake, client):
    for method, path, body in WRITES + READS:
        response = await _call(intake, client, method, path, body, {})
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_an_expired_or_foreign_token_is_401(intake, client):
    settings = ServiceSettings(auth_signing_key=TEST_SIGNING_KEY)
    expired = issue_token(
        settings, "x-y", [Role.CASEWORKER], issued_at=datetime.now(UTC) - timedelta(hours=2)
    )
    foreign = issue_token(
        ServiceSettings(auth_signing_key="another-key-entirely-0123456789-abcdef"),
        "x-y",
        [Role.CASEWORKER],
    )
    for value in (expired, foreign, "not-a-jwt"):
        response = await _call(intake, client, "GET", "/participants", None, bearer(value))
        assert response.status_code == 401


async def test_only_a_caseworker_may_write(intake, client):
    for role in (Role.COORDINATOR, Role.OPERATOR, Role.PARTNER_STAFF):
        headers = bearer(token([role], partner_id="taalschool"))
        for method, path, body in WRITES:
            response = await _call(intake, client, method, path, body, headers)
            assert response.status_code == 403, (role, method, path)
            assert "caseworker" in response.json()["error"]


async def test_partner_staff_and_operators_do_not_read_participants(intake, client):
    for role in (Role.OPERATOR, Role.PARTNER_STAFF):
        headers = bearer(token([role], partner_id="taalschool"))
        for method, path, body in READS[:-1]:
            response = await _call(intake, client, method, path, body, headers)
            assert response.status_code == 403, (role, path)


async def test_a_coordinator_reads_the_record_without_personal_data_or_care_signals(intake, client):
    from tests.intake.integration.flow import complete

    ref = (await register(client))["participant_ref"]
    await complete(client, intake, ref)
    headers = bearer(token([Role.COORDINATOR]))
    async with httpx.AsyncClient(base_url=str(client.base_url), headers=headers) as coordinator:
        record = (await coordinator.get(f"/participants/{ref}")).json()
        assert record["personal_data"] is None
        assert record["intake"]["outcome"]["outcome"]["care_signals"] == []
        assert record["intake"]["outcome"]["outcome"]["needs"]  # the coded needs are there
        refused = await coordinator.get(f"/participants/{ref}", params={"purpose": "pip_drafting"})
        assert refused.status_code == 403 and "caseworkers only" in refused.json()["error"]
        assert (await coordinator.get(f"/participants/{ref}/access-log")).status_code == 200


async def test_a_caseworker_of_another_municipality_neither_sees_nor_changes_the_participant(
    intake, client
):
    ref = (await register(client))["participant_ref"]  # registered in GM0363
    settings = ServiceSettings(auth_signing_key=TEST_SIGNING_KEY)
    elsewhere = issue_token(
        settings, "caseworker-utrecht", [Role.CASEWORKER], municipality="GM0344"
    )
    async with httpx.AsyncClient(base_url=str(client.base_url), headers=bearer(elsewhere)) as other:
        assert (await other.get(f"/participants/{ref}")).status_code == 403
        assert (await other.get(f"/participants/{ref}/access-log")).status_code == 403
        withdrawal = {"reason": "moved", "effective_on": builders.day(0)}
        assert (
            await other.post(f"/participants/{ref}/withdrawal", json=withdrawal)
        ).status_code == 403
        assert (await other.get("/participants")).json()["total"] == 0
        register_here = await other.post("/participants", json=builders.registration())
        assert (
            register_here.status_code == 403 and "own municipality" in register_here.json()["error"]
        )
    assert (await client.get(f"/participants/{ref}")).json()["status"] == "registered"
