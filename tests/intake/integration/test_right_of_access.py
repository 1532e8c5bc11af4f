"""Issue 15 item 6 (AVG art. 15): the caseworker hands a participant a document with
their data, the decisions (PIP versions, DUO's decisions) and who read their personal
data, in plain Dutch or English; making it is itself access-logged and shown.

Before issue 15 there was no such document (the route answered 404).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from tests.helpers import token
from tests.intake import builders
from tests.intake.integration.flow import complete, ok
from tests.intake.integration.test_pip import established


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(p.strip() for p in parser.parts if p.strip())


async def participant(client, intake) -> tuple[str, dict]:
    body = builders.registration()
    ref = ok(await client.post("/participants", json=body), 201)["participant_ref"]
    await complete(client, intake, ref)
    await established(client, ref)
    return ref, body


async def test_the_document_holds_the_data_the_decisions_and_the_access_log_in_plain_dutch(
    intake, client
):
    ref, body = await participant(client, intake)
    ok(await client.get(f"/participants/{ref}", params={"purpose": "contact_participant"}))
    answer = await client.get(f"/participants/{ref}/right-of-access")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    text = text_of(answer.text)
    assert "Uw gegevens bij de gemeente" in text
    assert body["bsn"] in text and body["family_name"] in text
    assert "Versie 1 van uw plan" in text and "eerste plan" in text
    assert "Uw inburgeringstermijn" in text
    # the earlier read and this document's own read, by whom and why
    assert "contact_participant" in text and "right_of_access" in text
    assert "caseworker-anna" in text or "staff-test" in text
    log = ok(await client.get(f"/participants/{ref}/access-log"))
    assert log[0]["purpose"] == "right_of_access"


async def test_the_document_in_english_and_as_json(intake, client):
    ref, _ = await participant(client, intake)
    english = await client.get(f"/participants/{ref}/right-of-access", params={"language": "en"})
    assert "Your data held by the municipality" in text_of(english.text)
    assert "Version 1 of your plan" in text_of(english.text)
    as_json = await client.get(
        f"/participants/{ref}/right-of-access", params={"format": "json", "language": "en"}
    )
    found = json.loads(as_json.text)
    assert [s["key"] for s in found["sections"]] == [
        "personal", "route", "decisions", "duo", "meetings", "consents", "contacts", "access",
    ]  # fmt: skip
    bad = await client.get(f"/participants/{ref}/right-of-access", params={"language": "xx"})
    assert bad.status_code == 422


async def test_only_the_caseworker_of_the_municipality_may_make_it(intake, client):
    ref, _ = await participant(client, intake)
    coordinator = {"Authorization": f"Bearer {token(['coordinator'], municipality='GM0363')}"}
    assert (
        await client.get(f"/participants/{ref}/right-of-access", headers=coordinator)
    ).status_code == 403
    other = {"Authorization": f"Bearer {token(['caseworker'], municipality='GM0599')}"}
    assert (
        await client.get(f"/participants/{ref}/right-of-access", headers=other)
    ).status_code == 403
