"""Issue 15 point 5: pause and resume over HTTP, with the acting user, the events with the
coarse reason only, 4xx with a reason on bad input, and the municipality's scope.
Against the code before: the pause routes answered 404."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import zroute_contract
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.intake.integration.test_pip import completed, day

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
INTAKE = "nl.zroute.intake."


async def test_a_treatment_pauses_and_resumes_the_route_with_events_and_the_acting_user(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    body = {"ground": "treatment", "paused_from": str(day(8)), "expected_until": str(day(60))}
    paused = ok(await client.post(f"/participants/{ref}/pauses", json=body), 201)
    current = paused["current"]
    assert current["ground"] == "treatment" and current["by"] == "caseworker-anna"
    again = await client.post(f"/participants/{ref}/pauses", json=body)
    assert again.status_code == 409 and "paused already" in again.text

    early = await client.post(
        f"/participants/{ref}/pauses/{current['pause_id']}/resumption",
        json={"resumed_on": str(day(120))},
    )
    assert early.status_code == 422 and "three months ahead" in early.text
    await intake.advance_clock(timedelta(days=12))
    resumed = ok(await client.post(
        f"/participants/{ref}/pauses/{current['pause_id']}/resumption",
        json={"resumed_on": str(day(20))},
    ))  # fmt: skip
    assert resumed["current"] is None
    assert resumed["pauses"][0]["resumed_on"] == str(day(20))
    assert resumed["pauses"][0]["resumed_by"] == "caseworker-anna"
    listed = ok(await client.get(f"/participants/{ref}/pauses"))
    assert listed["pauses"] == resumed["pauses"]

    await wait_for(lambda: seen.of_type(INTAKE + "participant-resumed.v1"), what="resumed")
    started = seen.of_type(INTAKE + "participant-paused.v1")[0]["data"]
    ended = seen.of_type(INTAKE + "participant-resumed.v1")[0]["data"]
    assert started["reason"] == ended["reason"] == "care"
    assert (started["paused_from"], started["expected_until"]) == (str(day(8)), str(day(60)))
    assert ended["resumed_on"] == str(day(20)) and ended["pause_id"] == current["pause_id"]
    assert "treatment" not in json.dumps(seen.bodies())  # the ground stays in intake
    for message in (started, ended):
        name = "participant-paused" if message is started else "participant-resumed"
        schema = json.loads((SCHEMAS / f"{INTAKE}{name}.v1.json").read_text())
        jsonschema.validate(message, schema, cls=jsonschema.Draft202012Validator)


async def test_bad_pauses_are_refused_with_a_reason_and_another_municipality_gets_403(
    intake, client
):
    ref = await builders_register(client)
    early = await client.post(
        f"/participants/{ref}/pauses", json={"ground": "illness", "paused_from": str(day(0))}
    )
    assert early.status_code == 409 and "broad intake" in early.text
    unknown = await client.post(
        f"/participants/{ref}/pauses", json={"ground": "holiday", "paused_from": str(day(0))}
    )
    assert unknown.status_code == 422
    other = {"Authorization": "Bearer " + token(
        [Role.CASEWORKER], subject="caseworker-ede", municipality="GM0228"
    )}  # fmt: skip
    assert (await client.get(f"/participants/{ref}/pauses", headers=other)).status_code == 403
    refused = await client.post(
        f"/participants/{ref}/pauses", headers=other,
        json={"ground": "illness", "paused_from": str(day(0))},
    )  # fmt: skip
    assert refused.status_code == 403


async def builders_register(client) -> str:
    return ok(await client.post("/participants", json=builders.registration()), 201)[
        "participant_ref"
    ]


async def test_a_pause_dated_ahead_is_recorded_with_its_first_day_and_resumption(
    intake, client, amqp_connection
):
    """A treatment planned two weeks ahead, ending six weeks ahead: both are recorded now
    and the events carry the days planning acts on. Before: 422 "not after today"."""
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    body = {"ground": "treatment", "paused_from": str(day(22))}
    paused = ok(await client.post(f"/participants/{ref}/pauses", json=body), 201)
    pause_id = paused["current"]["pause_id"]
    resumed = ok(await client.post(
        f"/participants/{ref}/pauses/{pause_id}/resumption", json={"resumed_on": str(day(50))}
    ))  # fmt: skip
    assert resumed["pauses"][0]["resumed_on"] == str(day(50))
    await wait_for(lambda: seen.of_type(INTAKE + "participant-resumed.v1"), what="resumed")
    started = seen.of_type(INTAKE + "participant-paused.v1")[0]["data"]
    ended = seen.of_type(INTAKE + "participant-resumed.v1")[0]["data"]
    assert (started["paused_from"], ended["resumed_on"]) == (str(day(22)), str(day(50)))
    too_far = await client.post(
        f"/participants/{ref}/pauses", json={"ground": "illness", "paused_from": str(day(150))}
    )
    assert too_far.status_code == 422 and "three months ahead" in too_far.text
