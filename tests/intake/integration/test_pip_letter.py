"""Issue 15, item 1: the PIP decision letter as PDF, for the caseworker of the participant's
municipality, written to the access log. Before it the route did not exist (404)."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import httpx
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.intake.integration.test_pip import completed, content, day, established


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, as pdftotext (poppler) reads it."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def bearer(roles, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(roles, **claims)}"}


async def test_the_letter_states_the_versions_route_date_term_and_objection_notice(intake, client):
    ref = await completed(client, intake)
    await established(client, ref, dated=day(8), route_hours_per_week=12)
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(progress_meetings=6)))
    ok(await client.post(
        f"/participants/{ref}/pip/amendments",
        json={"dated": str(day(8)), "reason": "progress_meeting"},
    ))  # fmt: skip

    response = await client.get(f"/participants/{ref}/pip/versions/2/letter.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert f"PIP {ref} v2" in text
    assert "Zelfredzaamheidsroute (Z-route)" in text  # the route, written out
    assert "12 januari 2027" in text  # the version's date: day(8)
    # The term runs from the day after the first version's date (W 11).
    start, end = day(9), day(9).replace(year=day(9).year + 3) - timedelta(days=1)
    assert f"begint op {start.day} januari {start.year}" in text
    assert f"eindigt op {end.day} januari {end.year}" in text
    assert "bezwaar" in text and "Postbus 202, 1000 AE Amsterdam" in text
    assert "Amina Haddad" in text and "Kerkstraat 12A" in text  # decrypted for the letter

    missing = await client.get(f"/participants/{ref}/pip/versions/3/letter.pdf")
    assert missing.status_code == 404


async def test_every_download_is_in_the_access_log_with_purpose_and_fields(intake, client):
    ref = await completed(client, intake)
    await established(client, ref)
    headers = builders.auth(subject="caseworker-bram")
    ok_pdf = await client.get(f"/participants/{ref}/pip/versions/1/letter.pdf", headers=headers)
    assert ok_pdf.status_code == 200
    log = (await client.get(f"/participants/{ref}/access-log")).json()
    rows = [r for r in log if r["purpose"] == "pip_letter"]
    assert len(rows) == 1
    assert rows[0]["actor"] == "caseworker-bram"
    assert rows[0]["fields"] == ["given_names", "family_name", "address"]


async def test_only_the_municipalitys_caseworker_gets_the_letter(intake, client):
    ref = await completed(client, intake)
    await established(client, ref)
    path = f"/participants/{ref}/pip/versions/1/letter.pdf"
    base = str(client.base_url)
    elsewhere = bearer([Role.CASEWORKER], subject="caseworker-utrecht", municipality="GM0344")
    here = bearer([Role.CASEWORKER], subject="caseworker-amsterdam", municipality="GM0363")
    async with httpx.AsyncClient(base_url=base, headers=elsewhere) as other:
        assert (await other.get(path)).status_code == 403
    others = (
        bearer([Role.COORDINATOR]),
        bearer([Role.PARTNER_STAFF], partner_id="language-school"),
        bearer([Role.OPERATOR]),
    )
    for headers in others:
        async with httpx.AsyncClient(base_url=base, headers=headers) as caller:
            assert (await caller.get(path)).status_code == 403
    async with httpx.AsyncClient(base_url=base, headers=here) as own:
        assert (await own.get(path)).status_code == 200
    log = (await client.get(f"/participants/{ref}/access-log")).json()
    actors = [r["actor"] for r in log if r["purpose"] == "pip_letter"]
    assert actors == ["caseworker-amsterdam"]  # a refusal reads nothing
