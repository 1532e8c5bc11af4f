"""The caseworker finds a participant by name in the caseload (issue 19), although names
are encrypted at rest: through keyed hashes of the normalised name parts, in the
database, within the caseworker's municipality."""

from __future__ import annotations

import re

import httpx

from tests.intake.builders import auth, registration
from tests.ui.conftest import login


def _refs(html: str) -> set[str]:
    return set(re.findall(r'href="/ui/participants/(zr-[0-9a-f]+)"', html))


async def test_a_caseworker_finds_participants_by_all_parts_of_a_name(intake_ui):
    runtime, base = intake_ui
    people = {
        "amina": ("Amina", "Haddad", "GM0363"),
        "yusuf": ("Yusuf", "Haddad", "GM0363"),
        "elsewhere": ("Amina", "Haddad", "GM0599"),
        "van_den": ("Sára", "van den Berg-Öztürk", "GM0363"),
    }
    refs = {}
    async with httpx.AsyncClient(base_url=base, headers=auth(), timeout=10) as api:
        for key, (given, family, municipality) in people.items():
            body = registration(given_names=given, family_name=family, municipality=municipality)
            answer = await api.post("/participants", json=body)
            assert answer.status_code == 201, answer.text
            refs[key] = answer.json()["participant_ref"]

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await login(client, "caseworker")  # of GM0363

        async def found(q: str) -> set[str]:
            page = await client.get("/ui/caseload", params={"q": q})
            assert page.status_code == 200, page.text
            return _refs(page.text)

        assert await found("haddad") == {refs["amina"], refs["yusuf"]}
        assert await found("Amina HADDAD") == {refs["amina"]}
        assert await found("oztürk sara") == {refs["van_den"]}
        assert await found("berg") == {refs["van_den"]}
        assert await found("Amina Jansen") == set()
        partial = await client.get(
            "/ui/caseload", params={"q": "yusuf"}, headers={"HX-Request": "true"}
        )
        assert "<html" not in partial.text and _refs(partial.text) == {refs["yusuf"]}
        refused = await client.get("/ui/caseload", params={"q": "12345"})
        assert refused.status_code == 422

    # The database holds no name part, only 32-byte keyed hashes.
    rows = await runtime.pool.fetch("SELECT part_hash FROM intake_name_parts")
    assert rows and all(len(r["part_hash"]) == 32 for r in rows)
    assert not any(b"haddad" in bytes(r["part_hash"]).lower() for r in rows)
