"""Group formation through the API: groups of 3 to 8 of one band with staff, the waiting
list with reasons, and stable re-planning when participants join."""

from __future__ import annotations

import asyncio

from zroute_contract.events.codes import LanguageLevel, Literacy
from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.events.support import PartnerUpdated
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.settings import ServiceSettings

from tests.helpers import TEST_SIGNING_KEY, token
from tests.planning.events import SUPPORT, TODAY
from tests.planning.integration.conftest import intake_completed


async def test_formation_makes_valid_groups_with_staff_and_a_waiting_list_with_reasons(planning):
    alpha = [intake_completed(literacy=Literacy.NOT_ALPHABETISED) for _ in range(4)]
    a2 = [intake_completed(level=LanguageLevel.A2) for _ in range(10)]
    lonely = intake_completed(level=LanguageLevel.B1)
    for intake in [*alpha, *a2, lonely]:
        await planning.activate(intake)

    response = await planning.http.post("/group-formations", json={})
    assert response.status_code == 200, response.text
    assert response.json()["groups_formed"] == 3

    groups = (await planning.http.get("/groups")).json()
    for group in groups:
        assert 3 <= len(group["members"]) <= 8
        assert len(group["sessions"]) == 2
        assert group["teacher"]
        assert (group["assistant"] is not None) == (group["level_band"] == "alpha")
    assert sum(len(g["members"]) for g in groups) == 14
    formed = await planning.expect("group-formed", count=3)
    assert {e["data"]["level_band"] for e in formed} == {"alpha", "a2"}
    assigned = await planning.expect("participant-assigned-to-group", count=14)
    assert {e["data"]["reason"] for e in assigned} == {"formation"}
    waiting = (await planning.http.get("/waiting-list")).json()
    assert [(w["participant_ref"], w["reason"]) for w in waiting] == [
        (lonely.participant_ref, "too_few_at_level")
    ]
    # The schedule is published again, now with the group's sessions in it.
    schedules = await planning.expect("schedule-published", alpha[0].participant_ref, 2)
    in_group = [s for s in schedules[-1]["data"]["sessions"] if s.get("group_id")]
    group = next(g for g in groups if alpha[0].participant_ref in g["members"])
    assert {s["group_id"] for s in in_group} == {group["group_id"]}
    assert {(s["weekday"], s["day_part"]) for s in in_group} == {
        (s["weekday"], s["day_part"]) for s in group["sessions"]
    }

    # Re-planning after a newcomer: existing groups stay, the newcomer joins one.
    newcomer = intake_completed(literacy=Literacy.NOT_ALPHABETISED)
    await planning.activate(newcomer)
    response = await planning.http.post("/group-formations", json={})
    assert response.json() == {"groups_formed": 0, "joined": 1, "removed": 0, "waiting": 1}
    [joined] = await planning.expect("participant-assigned-to-group", newcomer.participant_ref)
    assert joined["data"]["reason"] == "joined"
    after = (await planning.http.get("/groups")).json()
    assert {g["group_id"] for g in after} == {g["group_id"] for g in groups}


async def test_partner_staff_see_only_their_own_partners_groups(planning):
    for _ in range(3):
        await planning.activate(intake_completed())
    assert (await planning.http.post("/group-formations", json={})).status_code == 200
    own = token([Role.PARTNER_STAFF], partner_id="language-school")
    other = token([Role.PARTNER_STAFF], partner_id="other-school")
    mine = await planning.http.get("/groups", headers={"Authorization": f"Bearer {own}"})
    theirs = await planning.http.get("/groups", headers={"Authorization": f"Bearer {other}"})
    assert len(mine.json()) == 1 and theirs.json() == []
    group_id = mine.json()[0]["group_id"]
    denied = await planning.http.get(
        f"/groups/{group_id}", headers={"Authorization": f"Bearer {other}"}
    )
    assert denied.status_code == 403
    forming = await planning.http.post(
        "/group-formations", json={}, headers={"Authorization": f"Bearer {other}"}
    )
    assert forming.status_code == 403
    ref = mine.json()[0]["members"][0]
    plan = await planning.http.get(
        f"/participants/{ref}/plan", headers={"Authorization": f"Bearer {other}"}
    )
    assert plan.status_code == 403


async def test_requests_without_a_token_or_with_a_bad_body_are_refused_clearly(planning):
    anonymous = await planning.http.get("/groups", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    bad = await planning.http.post("/group-formations", json={"programme_id": "Not A Code"})
    assert bad.status_code == 422
    assert "Not A Code" not in bad.text
    spec = (await planning.http.get("/openapi.json")).json()
    assert {
        "/groups",
        "/group-formations",
        "/waiting-list",
        "/participants/{participant_ref}/plan",
        "/participants/{participant_ref}/attendance",
        "/participants/{participant_ref}/reviews/{review_id}/outcome",
        "/participants/{participant_ref}/follow-up",
        "/participants/{participant_ref}/completion",
    } <= set(spec["paths"])
    unknown = await planning.http.get(f"/participants/zr-{'0' * 32}/plan")
    assert unknown.status_code == 404


async def test_two_formations_at_once_never_put_anyone_in_two_groups(planning):
    for _ in range(11):
        await planning.activate(intake_completed())
    first, second = await asyncio.gather(
        planning.http.post("/group-formations", json={}),
        planning.http.post("/group-formations", json={}),
    )
    assert first.status_code == second.status_code == 200
    assert first.json()["groups_formed"] + second.json()["groups_formed"] == 2
    groups = (await planning.http.get("/groups")).json()
    members = [m for g in groups for m in g["members"]]
    assert len(members) == len(set(members)) == 11


async def test_a_teaching_partner_the_registry_knows_as_inactive_gets_no_groups(planning):
    for _ in range(3):
        await planning.activate(intake_completed())
    await planning.feed(
        PartnerUpdated(
            partner_id="language-school",
            municipalities=("GM0363",),
            capabilities=("language_teaching", "knm"),
            channels=("email",),
            active=False,
        ),
        source=SUPPORT,
    )
    refused = await planning.http.post("/group-formations", json={})
    assert refused.status_code == 409
    assert "inactive" in refused.json()["error"]


async def test_caseworkers_see_the_participants_of_their_own_municipality_only(planning):
    intake = intake_completed()  # municipality GM0363
    await planning.feed(
        ParticipantRegistered(
            participant_ref=intake.participant_ref,
            programme_id=intake.programme_id,
            municipality="GM0363",
            registered_on=TODAY,
            preferred_language="ti",
            interpreter_needed=True,
        )
    )
    registered = await planning.runtime.pool.fetchval(
        "SELECT municipality FROM planning_participants WHERE participant_ref = $1",
        intake.participant_ref,
    )
    assert registered == "GM0363"
    await planning.activate(intake)
    path = f"/participants/{intake.participant_ref}/plan"
    own, other = (_caseworker_token(m) for m in ("GM0363", "GM0599"))
    assert (await planning.http.get(path, headers={"Authorization": f"Bearer {own}"})).is_success
    denied = await planning.http.get(path, headers={"Authorization": f"Bearer {other}"})
    assert denied.status_code == 403


def _caseworker_token(municipality: str) -> str:
    settings = ServiceSettings(auth_signing_key=TEST_SIGNING_KEY)
    return issue_token(settings, "caseworker-1", [Role.CASEWORKER], municipality=municipality)
