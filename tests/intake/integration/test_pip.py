"""Issue 15: the PIP as a versioned decision (W 15), its ten-week deadline (B 5.3), the
term from the day after the PIP's date (W 11) and DUO's extension and release (W 4, 5,
12), over HTTP against the real database and broker.

Each of these failed against the code before issue 15: there was no PIP, no deadline,
no term but the intake's, and no record of DUO's decisions (the endpoints answered 404).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import zroute_contract
from zroute_intake.domain.term import three_years_on
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register

SCHEMAS = Path(zroute_contract.__file__).parent / "schemas"
INTAKE = "nl.zroute.intake."


def day(offset: int) -> date:
    return builders.TODAY + timedelta(days=offset)


TODAY_AFTER_INTAKE = day(8)


def content(**changes):
    body = {
        "route": "z_route",
        "route_reason": "combined",
        "support": ["language_buddy", "social_guidance"],
        "pvt_hours_per_week": 2,
        "map_hours_per_week": 0,
        "route_hours_per_week": 12,
        "progress_meetings": 4,
        "participatiewet_decisions": ["ontzorgen_56a"],
        "exam_wish": ["knm"],
    }
    return body | changes


async def completed(client, intake) -> str:
    """A participant whose broad intake is complete; the service's today is day(8)."""
    ref = (await register(client))["participant_ref"]
    await complete(client, intake, ref)
    return ref


async def established(client, ref: str, *, dated: date = TODAY_AFTER_INTAKE, **changes) -> dict:
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(**changes)))
    return ok(
        await client.post(f"/participants/{ref}/pip/establishment", json={"dated": str(dated)})
    )


async def test_the_pip_is_drafted_established_and_amended_as_versions_with_the_acting_user(
    intake, client
):
    ref = await completed(client, intake)
    draft = ok(await client.put(f"/participants/{ref}/pip/draft", json=content()))
    assert draft["draft"]["progress_meetings"] == 4 and draft["current"] is None
    first = ok(
        await client.post(f"/participants/{ref}/pip/establishment", json={"dated": str(day(8))})
    )
    assert (
        first["current"]["number"] == 1 and first["current"]["established_by"] == "caseworker-anna"
    )
    assert first["draft"] is None

    again = await client.post(f"/participants/{ref}/pip/establishment", json={"dated": str(day(8))})
    assert again.status_code == 409  # amend it with a reason instead

    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(progress_meetings=6)))
    headers = builders.auth(subject="caseworker-bram") | {"If-Match": '"3"'}
    second = ok(await client.post(
        f"/participants/{ref}/pip/amendments",
        json={"dated": str(day(8)), "reason": "progress_meeting"}, headers=headers,
    ))  # fmt: skip
    assert [v["number"] for v in second["versions"]] == [1, 2]
    assert second["current"]["reason"] == "progress_meeting"
    assert second["current"]["content"]["progress_meetings"] == 6
    assert second["current"]["established_by"] == "caseworker-bram"
    assert second["term"]["start"] == str(day(9))  # the amendment does not move it (W 11(3))

    stale = await client.put(
        f"/participants/{ref}/pip/draft", json=content(), headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409

    read = ok(await client.get(f"/participants/{ref}/pip"))
    assert [(c["action"], c["by"]) for c in read["changes"]] == [
        ("pip_draft_prepared", "caseworker-anna"),
        ("pip_established", "caseworker-anna"),
        ("pip_draft_prepared", "caseworker-anna"),
        ("pip_amended", "caseworker-bram"),
    ]


async def test_a_route_switch_keeps_to_its_reason_and_a_progress_meeting_keeps_the_route(
    intake, client
):
    ref = await completed(client, intake)
    await established(client, ref)
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(
        route="b1_route", route_reason="learnability_sufficient", exam_wish=[]
    )))  # fmt: skip
    refused = await client.post(
        f"/participants/{ref}/pip/amendments",
        json={"dated": str(day(8)), "reason": "progress_meeting"},
    )
    assert refused.status_code == 422 and "route switch" in refused.text
    switched = ok(await client.post(
        f"/participants/{ref}/pip/amendments", json={"dated": str(day(8)), "reason": "route_switch"}
    ))  # fmt: skip
    assert switched["current"]["content"]["route"] == "b1_route"


async def test_the_pip_waits_for_the_broad_intake(client):
    ref = (await register(client))["participant_ref"]
    refused = await client.put(f"/participants/{ref}/pip/draft", json=content())
    assert refused.status_code == 409 and "intake" in refused.text


async def test_the_deadline_runs_ten_weeks_from_duos_notice_and_shows_overdue(intake, client):
    ref = await completed(client, intake)
    before = ok(await client.get(f"/participants/{ref}/pip"))
    assert before["deadline"]["state"] is None and before["term"] is None
    notice = day(8) - timedelta(weeks=10, days=1)
    pip = ok(await client.put(
        f"/participants/{ref}/pip/deadline-start", json={"duo_notice_on": str(notice)}
    ))  # fmt: skip
    assert pip["deadline"]["due_on"] == str(notice + timedelta(weeks=10))
    assert pip["deadline"]["state"] == "overdue"
    late = await established(client, ref)
    assert late["deadline"]["state"] == "late"


async def test_a_later_brp_registration_starts_the_clock_and_awaited_information_holds_it(
    intake, client
):
    ref = await completed(client, intake)
    registered = day(8) - timedelta(weeks=9)
    pip = ok(await client.put(f"/participants/{ref}/pip/deadline-start", json={
        "duo_notice_on": str(day(8) - timedelta(weeks=20)), "brp_registered_on": str(registered)
    }))  # fmt: skip
    assert pip["deadline"]["due_on"] == str(registered + timedelta(weeks=10))
    assert pip["deadline"]["state"] == "due_soon"
    waiting = ok(await client.post(
        f"/participants/{ref}/pip/information-waits", json={"requested_on": str(day(1))}
    ))  # fmt: skip
    assert waiting["deadline"]["state"] == "paused" and waiting["deadline"]["due_on"] is None
    arrived = ok(await client.post(
        f"/participants/{ref}/pip/information-waits/1/arrival", json={"received_on": str(day(8))}
    ))  # fmt: skip
    # two weeks after the arrival, later than the ten weeks from the registration
    assert arrived["deadline"]["due_on"] == str(day(8) + timedelta(weeks=2))
    assert arrived["deadline"]["information_waits"][0]["received_on"] == str(day(8))
    unknown = await client.post(
        f"/participants/{ref}/pip/information-waits/2/arrival", json={"received_on": str(day(8))}
    )
    assert unknown.status_code == 422


async def test_a_date_of_what_happened_in_another_century_is_refused_with_its_field(intake, client):
    ref = await completed(client, intake)
    url = f"/participants/{ref}/pip"
    for body, field in [
        ({"duo_notice_on": "4151-03-01"}, "duo_notice_on"),
        ({"duo_notice_on": "0010-03-01"}, "duo_notice_on"),
        ({"duo_notice_on": str(day(8)), "brp_registered_on": str(day(9))}, "brp_registered_on"),
    ]:
        refused = await client.put(f"{url}/deadline-start", json=body)
        assert refused.status_code == 422 and field in refused.text, refused.text
    assert ok(await client.get(url))["deadline"]["duo_notice_on"] is None  # nothing kept
    ok(await client.put(f"{url}/deadline-start", json={"duo_notice_on": str(day(8))}))
    refused = await client.post(f"{url}/information-waits", json={"requested_on": "2264-01-01"})
    assert refused.status_code == 422 and "requested_on" in refused.text
    assert ok(await client.get(url))["deadline"]["information_waits"] == []


async def test_the_term_runs_from_the_day_after_the_pip_date_and_moves_by_duos_extension(
    intake, client
):
    ref = await completed(client, intake)
    pip = await established(client, ref, dated=day(6))
    start = day(7)  # the day after the PIP's date (W 11), not the intake's completion
    assert pip["term"]["start"] == str(start)
    assert pip["term"]["end"] == str(three_years_on(start)) and not pip["term"]["extended"]

    new_end = three_years_on(start) + timedelta(days=182)
    extended = ok(await client.post(f"/participants/{ref}/duo/extensions", json={
        "ground": "not_blameworthy", "decided_on": str(day(8)), "new_end": str(new_end)
    }))  # fmt: skip
    assert extended["term"]["end"] == str(new_end) and extended["term"]["extended"]
    assert extended["term"]["start"] == str(start)
    shorter = await client.post(f"/participants/{ref}/duo/extensions", json={
        "ground": "not_blameworthy", "decided_on": str(day(8)), "new_end": str(new_end)
    })  # fmt: skip
    assert shorter.status_code == 422


async def test_an_extension_needs_a_term_and_a_release_ends_it(intake, client):
    ref = await completed(client, intake)
    early = await client.post(f"/participants/{ref}/duo/extensions", json={
        "ground": "not_blameworthy", "decided_on": str(day(8)), "new_end": str(day(2000))
    })  # fmt: skip
    assert early.status_code == 409
    await established(client, ref)
    released = ok(await client.post(f"/participants/{ref}/duo/release", json={
        "kind": "medical_release", "decided_on": str(day(8)), "effective_on": str(day(10))
    }))  # fmt: skip
    assert released["term"]["ended_on"] == str(day(10)) and released["term"]["days_left"] == 0
    assert released["release"]["kind"] == "medical_release"


async def test_an_objection_is_lodged_decided_and_its_outcome_amends_the_pip(intake, client):
    ref = await completed(client, intake)
    await established(client, ref)
    lodged = ok(await client.post(
        f"/participants/{ref}/pip/objections", json={"stage": "objection", "lodged_on": str(day(8))}
    ))  # fmt: skip
    assert lodged["objections"] == [{
        "stage": "objection", "against_version": 1, "lodged_on": str(day(8)),
        "outcome": None, "decided_on": None,
    }]  # fmt: skip
    second = await client.post(
        f"/participants/{ref}/pip/objections", json={"stage": "appeal", "lodged_on": str(day(8))}
    )
    assert second.status_code == 409  # one pending at a time
    decided = ok(await client.post(
        f"/participants/{ref}/pip/objections/outcome",
        json={"outcome": "upheld", "decided_on": str(day(8))},
    ))  # fmt: skip
    assert decided["objections"][0]["outcome"] == "upheld"
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(route_hours_per_week=8)))
    amended = ok(await client.post(
        f"/participants/{ref}/pip/amendments", json={"dated": str(day(8)), "reason": "objection"}
    ))  # fmt: skip
    assert amended["current"]["reason"] == "objection"


async def test_the_decisions_travel_as_codes_with_their_fields(intake, client, amqp_connection):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    await established(client, ref, dated=day(6))
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(progress_meetings=5)))
    ok(await client.post(
        f"/participants/{ref}/pip/amendments", json={"dated": str(day(8)), "reason": "progress_meeting"}
    ))  # fmt: skip
    new_end = three_years_on(day(7)) + timedelta(days=90)
    ok(await client.post(f"/participants/{ref}/duo/extensions", json={
        "ground": "not_blameworthy", "decided_on": str(day(8)), "new_end": str(new_end)
    }))  # fmt: skip
    ok(await client.post(f"/participants/{ref}/duo/release", json={
        "kind": "exemption", "decided_on": str(day(8)), "effective_on": str(day(8))
    }))  # fmt: skip
    await wait_for(lambda: seen.of_type(INTAKE + "obligation-released.v1"), what="release")

    keys = {b["type"]: m.routing_key for m, b in zip(seen.messages, seen.bodies(), strict=True)}
    assert keys[INTAKE + "pip-established.v1"] == "intake.pip.established"
    assert keys[INTAKE + "pip-amended.v1"] == "intake.pip.amended"
    assert keys[INTAKE + "term-extended.v1"] == "intake.term.extended"
    assert keys[INTAKE + "obligation-released.v1"] == "intake.obligation.released"
    for body in seen.bodies():
        schema = json.loads((SCHEMAS / f"{body['type']}.json").read_text())
        jsonschema.validate(body["data"], schema, cls=jsonschema.Draft202012Validator)
    first = seen.of_type(INTAKE + "pip-established.v1")[0]["data"]
    assert first == {
        "participant_ref": ref, "programme_id": builders.PROGRAMME, "version": 1,
        "dated": str(day(6)), "route": "z_route", "route_reason": "combined",
        "progress_meetings": 4, "pvt_hours_per_week": 2.0, "map_hours_per_week": 0.0,
        "route_hours_per_week": 12.0, "term_start": str(day(7)),
        "term_end": str(three_years_on(day(7))),
        # Issue 15: intake fills the norm from the PIP (here the full norm of B 3.14).
        "hours_norm": {
            "family_migrant": False, "reduced_course_hours": None,
            "reduced_participation_hours": None, "credited_course_hours": 0.0,
            "credited_participation_hours": 0.0,
        },
    }  # fmt: skip
    amended = seen.of_type(INTAKE + "pip-amended.v1")[0]["data"]
    assert (amended["version"], amended["reason"], amended["progress_meetings"]) == (
        2,
        "progress_meeting",
        5,
    )
    assert amended["term_start"] == str(day(7))
    extended = seen.of_type(INTAKE + "term-extended.v1")[0]["data"]
    assert (extended["ground"], extended["term_end"]) == ("not_blameworthy", str(new_end))
    released = seen.of_type(INTAKE + "obligation-released.v1")[0]["data"]
    assert (released["kind"], released["effective_on"]) == ("exemption", str(day(8)))
    assert "language_buddy" not in json.dumps(seen.bodies())  # support codes stay in intake


async def test_another_municipality_gets_403_and_an_unknown_participant_404(intake, client):
    ref = await completed(client, intake)
    await established(client, ref)
    other = {"Authorization": "Bearer " + token(
        [Role.CASEWORKER], subject="caseworker-ede", municipality="GM0228"
    )}  # fmt: skip
    assert (await client.get(f"/participants/{ref}/pip", headers=other)).status_code == 403
    for path, body in [
        ("pip/draft", content()),
        ("pip/objections", {"stage": "objection", "lodged_on": str(day(8))}),
        (
            "duo/release",
            {"kind": "exemption", "decided_on": str(day(8)), "effective_on": str(day(8))},
        ),
    ]:
        method = client.put if path == "pip/draft" else client.post
        refused = await method(f"/participants/{ref}/{path}", json=body, headers=other)
        assert refused.status_code == 403, path
    unknown = "zr-" + "0" * 32
    assert (await client.get(f"/participants/{unknown}/pip")).status_code == 404
    missing = await client.post(
        f"/participants/{unknown}/pip/establishment", json={"dated": str(day(8))}
    )
    assert missing.status_code == 404
    coordinator = builders.auth(Role.COORDINATOR, subject="coordinator-cor")
    assert (await client.get(f"/participants/{ref}/pip", headers=coordinator)).status_code == 200
    write = await client.put(f"/participants/{ref}/pip/draft", json=content(), headers=coordinator)
    assert write.status_code == 403
    read = ok(await client.get(f"/participants/{ref}/pip"))
    assert read["objections"] == [] and read["release"] is None  # the refusals changed nothing


async def test_concurrent_first_changes_are_serialised_and_one_decision_wins(intake, client):
    ref = await completed(client, intake)
    url = f"/participants/{ref}/pip"
    drafts = await asyncio.gather(
        client.put(f"{url}/draft", json=content()),
        client.put(f"{url}/draft", json=content(progress_meetings=5)),
    )
    assert sorted(r.status_code for r in drafts) == [200, 200]
    assert ok(await client.get(url))["version"] == 2  # both saved, neither lost
    body = {"dated": str(day(8))}
    decisions = await asyncio.gather(
        client.post(f"{url}/establishment", json=body),
        client.post(f"{url}/establishment", json=body),
    )
    assert sorted(r.status_code for r in decisions) == [200, 409]
    assert len(ok(await client.get(url))["versions"]) == 1
