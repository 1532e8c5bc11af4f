"""The read side: one participant with intake status, needs and contact person; lists
filtered by status, contact person and intake date, in pages."""

from __future__ import annotations

from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register, schedule


async def test_a_participant_shows_intake_status_needs_and_contact_person(intake, client):
    ref = (await register(client))["participant_ref"]
    assert ok(await client.get(f"/participants/{ref}"))["status"] == "registered"
    await complete(client, intake, ref)
    record = ok(await client.get(f"/participants/{ref}"))
    assert record["status"] == "intake_completed"
    outcome = record["intake"]["outcome"]["outcome"]
    assert {n["domain"] for n in outcome["needs"]} == {"language_literacy", "finances"}
    assert outcome["care_signals"][0]["category"] == "mental_health_care"
    assert record["intake"]["appointment"]["interpreter"]["status"] == "confirmed"
    assert record["contact_person"]["contact"]["staff_ref"] == "caseworker-anna"
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert history["current"] == record["contact_person"] and len(history["history"]) == 1


async def test_the_list_filters_by_status_contact_person_and_intake_date(client):
    refs = [(await register(client))["participant_ref"] for _ in range(4)]
    await schedule(client, refs[0], days_ahead=3)
    await schedule(client, refs[1], days_ahead=20)
    ok(await client.put(
        f"/participants/{refs[2]}/contact-person",
        json={"contact_person": builders.contact("caseworker-bram"), "assigned_from": builders.day(0)},
    ))  # fmt: skip

    def refs_of(page):
        return {item["participant_ref"] for item in page["items"]}

    scheduled = ok(await client.get("/participants", params={"status": "intake_scheduled"}))
    assert refs_of(scheduled) == {refs[0], refs[1]}
    bram = ok(await client.get("/participants", params={"contact_staff_ref": "caseworker-bram"}))
    assert refs_of(bram) == {refs[2]}
    window = {"intake_from": f"{builders.day(1)}T00:00:00+01:00",
              "intake_to": f"{builders.day(10)}T00:00:00+01:00"}  # fmt: skip
    assert refs_of(ok(await client.get("/participants", params=window))) == {refs[0]}
    assert ok(await client.get("/participants"))["total"] == 4


async def test_the_list_comes_in_pages_that_together_hold_every_participant_once(client):
    refs = {(await register(client))["participant_ref"] for _ in range(5)}
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = ok(await client.get("/participants", params={"limit": 2, "offset": offset}))
        assert page["total"] == 5 and len(page["items"]) <= 2
        seen += [item["participant_ref"] for item in page["items"]]
        offset = page["next_offset"]
    assert sorted(seen) == sorted(refs)


async def test_list_filters_that_cannot_match_are_refused(client):
    backwards = {
        "intake_from": "2027-02-01T00:00:00+01:00",
        "intake_to": "2027-01-01T00:00:00+01:00",
    }
    assert (await client.get("/participants", params=backwards)).status_code == 422
    assert (await client.get("/participants", params={"status": "sleeping"})).status_code == 422
    assert (await client.get("/participants", params={"limit": 0})).status_code == 422
    nul = {"contact_staff_ref": "anna\x00"}
    assert (await client.get("/participants", params=nul)).status_code == 422
