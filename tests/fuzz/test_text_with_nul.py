"""Text with a NUL character (U+0000) in a request body: a 4xx, never a 5xx.

PostgreSQL cannot store U+0000 in ``text`` or ``jsonb``; asyncpg raises
``UntranslatableCharacterError`` / ``CharacterNotInRepertoireError`` (both
``asyncpg.exceptions.DataError``) at the INSERT, and unless the request was refused
before, the answer is a 500. Schemathesis found it in support (``POST /partners``, any
text field) and notifications (``PUT /directory/{kind}/{ref}``, ``email``); the OpenAPI
fuzz (test_openapi.py) therefore generates no NUL, and this file holds the cases.
Intake stores personal data encrypted (``bytea``) and accepts a NUL in a name.

The fix belongs in the runtime, for every service at once: in
``zroute_runtime.http.create_app``, answer those two asyncpg errors with the validation
shape, 422 ``{"error": "request validation failed", "detail": [{"loc": ["body"],
"msg": "text must not contain NUL (U+0000)", "type": "string_nul"}]}`` (the unit of work
has rolled back by then, so nothing is stored). Until then the cases below are expected
to fail (strict: they pass, and must be unmarked, once it is fixed).
"""

from __future__ import annotations

import httpx
from zroute_runtime.auth import Role

from tests.helpers import token


async def post(runtime, method: str, path: str, body: dict, roles: list[Role]) -> httpx.Response:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}",
        headers={"Authorization": f"Bearer {token(roles)}"},
        timeout=10,
    ) as client:
        return await client.request(method, path, json=body)


async def test_intake_never_answers_a_nul_in_a_name_with_a_5xx(services):
    """Intake stores names encrypted (bytea), so a NUL reaches no text column: it is
    accepted today, and then stored whole, with its event."""
    from zroute_intake.bootstrap import definition
    from zroute_intake.settings import Settings

    from tests.intake import builders

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)
    body = builders.registration(family_name="Had\x00dad")
    response = await post(runtime, "POST", "/participants", body, [Role.CASEWORKER])
    assert response.status_code < 500, response.text
    stored = await runtime.pool.fetchval("SELECT count(*) FROM intake_participants")
    events = await runtime.pool.fetchval(
        "SELECT count(*) FROM zr_outbox WHERE event_type = $1",
        "nl.zroute.intake.participant-registered.v1",
    )
    assert stored == events == (1 if response.status_code == 201 else 0)


async def test_support_refuses_a_nul_in_a_partner_name(services):
    from zroute_support.bootstrap import definition
    from zroute_support.settings import Settings

    settings = services.settings(Settings)
    runtime = await services.start(definition(settings), settings)
    body = {
        "partner_id": "school",
        "organisation": "Taal\x00school",
        "municipalities": ["GM0363"],
        "capabilities": ["language_teaching"],
        "capacity": {},
        "contact_points": [{"channel": "email", "address": "desk@school.example"}],
    }
    response = await post(runtime, "POST", "/partners", body, [Role.COORDINATOR])
    assert 400 <= response.status_code < 500, response.text
    assert await runtime.pool.fetchval("SELECT count(*) FROM support_partners") == 0


async def test_notifications_refuses_a_nul_in_an_address(services):
    from tests.notifications.world import start

    runtime = await start(services, smtp_port=1)
    body = {"email": "anna\x00@gemeente.example", "language": "nl"}
    response = await post(runtime, "PUT", "/directory/staff/cw-anna", body, [Role.COORDINATOR])
    assert 400 <= response.status_code < 500, response.text
    assert await runtime.pool.fetchval("SELECT count(*) FROM nt_directory") == 0
