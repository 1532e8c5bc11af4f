"""Issue 15 point 5: a contact-person handover dated ahead takes effect on its date, by a
timer, and ``contact-person-assigned`` goes out then, not when it was recorded.

Against the code before: the handover took effect at once (the history showed Bram as the
current contact person on day 0 and the event went out at once).
"""

from __future__ import annotations

from datetime import timedelta

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok, register

ASSIGNED = "nl.zroute.intake.contact-person-assigned.v1"


def handovers(seen) -> list[dict]:
    return [e["data"] for e in seen.of_type(ASSIGNED) if e["data"]["reason"] == "handover"]


async def test_a_handover_dated_ahead_waits_for_its_date_and_then_emits(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = (await register(client))["participant_ref"]
    ok(await client.put(
        f"/participants/{ref}/contact-person",
        json={"contact_person": builders.contact("caseworker-bram"), "assigned_from": builders.day(5),
              "reason": "handover"},
    ))  # fmt: skip
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert history["current"]["contact"]["staff_ref"] == "caseworker-anna"
    assert history["planned"]["contact"]["staff_ref"] == "caseworker-bram"
    await wait_for(lambda: seen.of_type(ASSIGNED), what="the first assignment")

    await intake.advance_clock(timedelta(days=4))
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert history["current"]["contact"]["staff_ref"] == "caseworker-anna"
    assert handovers(seen) == []

    await intake.advance_clock(timedelta(days=1))
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert history["current"]["contact"]["staff_ref"] == "caseworker-bram"
    assert history["planned"] is None
    assert [h["assigned_from"] for h in history["history"]] == [builders.day(0), builders.day(5)]
    await wait_for(lambda: handovers(seen), what="the handover on its date")
    (event,) = handovers(seen)
    assert event["assigned_from"] == builders.day(5)
    assert event["previous"]["staff_ref"] == "caseworker-anna"


async def test_a_handover_today_replaces_a_planned_one_and_its_timer(intake, client):
    ref = (await register(client))["participant_ref"]
    for staff, when in (("caseworker-bram", 5), ("caseworker-chris", 0)):
        ok(await client.put(
            f"/participants/{ref}/contact-person",
            json={"contact_person": builders.contact(staff), "assigned_from": builders.day(when),
                  "reason": "handover"},
        ))  # fmt: skip
    await intake.advance_clock(timedelta(days=6))
    history = ok(await client.get(f"/participants/{ref}/contact-persons"))
    assert history["current"]["contact"]["staff_ref"] == "caseworker-chris"
    assert history["planned"] is None and len(history["history"]) == 2
