"""Issue 17, the rest of the placements, against the real broker and database: the
employer registry (a confirmation naming an unregistered employer is refused with 400 and
the reason), the check-in rhythm whose overdue alert is a timer, and the replacement of a
placement the employer ended (the same request, a new placement linked to the ended one,
the escalation open until the replacement starts)."""

from __future__ import annotations

from datetime import date, timedelta

from zroute_contract.events.planning import PlacementEscalated
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day

from tests.helpers import wait_for
from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.scenario import PROGRAMME, Scenario


async def _confirmed(scenario: Scenario, **changes) -> tuple[str, str]:
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    rid = str(request.placement_request_id)
    confirmed = await scenario.partner("work-a").post(
        f"/placements/{rid}/confirm", json=CONFIRM | changes
    )
    assert confirmed.status_code == 200, confirmed.text
    return ref, rid


async def test_a_placement_must_name_a_registered_employer(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    request = requested(ref)
    await scenario.feed(request)
    rid = request.placement_request_id
    work_a = scenario.partner("work-a")
    refused = await work_a.post(
        f"/placements/{rid}/confirm", json=CONFIRM | {"employer_id": "garage-nobody"}
    )
    assert refused.status_code == 400, refused.text
    assert "not in the employer registry" in refused.json()["error"]
    assert (await work_a.get(f"/placements/{rid}")).json()["status"] == "open"

    registered = await work_a.post(
        "/employers",
        json={
            "employer_id": "garage-nobody",
            "name": "Garage Niemand",
            "municipalities": ["GM0363"],
            "contact_points": [{"channel": "email", "address": "werk@garage.example"}],
        },
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["registered_by"] == "staff-test"
    again = await work_a.post("/employers", json=registered.json())
    assert again.status_code == 409
    listed = (await scenario.client(Role.CASEWORKER).get("/employers")).json()
    assert "garage-nobody" in {e["employer_id"] for e in listed}
    one = (await work_a.get("/employers/garage-nobody")).json()
    assert one["contact_points"][0]["address"] == "werk@garage.example"
    assert (await work_a.get("/employers/unknown-one")).status_code == 404

    confirmed = await work_a.post(
        f"/placements/{rid}/confirm", json=CONFIRM | {"employer_id": "garage-nobody"}
    )
    assert confirmed.status_code == 200, confirmed.text
    changed = await work_a.post(
        f"/placements/{rid}/change",
        json={"employer_id": "garage-elsewhere", "changed_from": "2027-04-01"},
    )
    assert changed.status_code == 400 and "employer registry" in changed.json()["error"]


async def test_a_check_in_not_made_in_the_rhythm_raises_an_overdue_alert(scenario: Scenario):
    await scenario.setup()
    today = local_day(scenario.runtime.clock.now())
    starts = today + timedelta(days=1)
    ref, rid = await _confirmed(scenario, starts_on=str(starts))
    coaches = scenario.partner("coaches")
    rhythm = await coaches.put(f"/placements/{rid}/check-in-rhythm", json={"every_days": 3})
    assert rhythm.status_code == 200 and rhythm.json()["check_in_every_days"] == 3

    # A check-in on the due day moves the next one on: nothing is overdue yet.
    await scenario.runtime.advance_clock(timedelta(days=4))
    recorded = await coaches.post(
        f"/placements/{rid}/check-ins",
        json={"party": "participant", "held_on": str(starts + timedelta(days=3)),
              "outcome": "on_track"},
    )  # fmt: skip
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["last_check_in"] == str(starts + timedelta(days=3))
    assert not scenario.seen.of_type("nl.zroute.support.check-in-overdue.v1")

    await scenario.runtime.advance_clock(timedelta(days=4))
    [alert] = await scenario.emitted("check-in-overdue", participant_ref=ref)
    data = alert["data"]
    assert data["partner_id"] == "coaches" and data["job_coach"] == "coach-7"
    assert data["due_on"] == str(starts + timedelta(days=6)) and data["every_days"] == 3
    assert data["level"] == 1


async def test_a_placement_ended_by_the_employer_is_replaced(scenario: Scenario):
    await scenario.setup()
    ref, rid = await _confirmed(scenario)
    work_a = scenario.partner("work-a")
    [first] = await scenario.emitted("placement-confirmed", participant_ref=ref)
    ended = await work_a.post(
        f"/placements/{rid}/end", json={"reason": "employer_dropped_out", "ended_on": "2027-03-20"}
    )
    assert ended.status_code == 200, ended.text
    replaced = await work_a.post(f"/placements/{rid}/replace")
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["status"] == "open"
    assert body["replaces_placement_id"] == first["data"]["placement_id"]

    confirmed = await work_a.post(
        f"/placements/{rid}/confirm", json=CONFIRM | {"employer_id": "bakery-oost"}
    )
    assert confirmed.status_code == 200, confirmed.text
    [_, second] = await scenario.emitted("placement-confirmed", count=2, participant_ref=ref)
    assert second["data"]["replaces_placement_id"] == first["data"]["placement_id"]
    assert second["data"]["placement_request_id"] == rid
    assert second["data"]["placement_id"] != first["data"]["placement_id"]

    # Planning's escalation still counts until the replacement starts.
    await scenario.feed(
        PlacementEscalated(
            participant_ref=ref,
            programme_id=PROGRAMME,
            placement_request_id=rid,
            needed_by=date(2027, 3, 1),
            escalated_on=date(2027, 3, 2),
            level=2,
        )
    )
    coordinator = scenario.client()
    assert (await coordinator.get(f"/placements/{rid}")).json()["escalation_level"] == 2
    started = await work_a.post(f"/placements/{rid}/start", json={"started_on": "2027-03-25"})
    assert started.status_code == 200, started.text

    async def closed() -> bool:
        return (await coordinator.get(f"/placements/{rid}")).json()["escalation_level"] == 0

    await wait_for(closed, what="the escalation closed by the replacement's start")
    refused = await work_a.post(f"/placements/{rid}/replace")
    assert refused.status_code == 409
