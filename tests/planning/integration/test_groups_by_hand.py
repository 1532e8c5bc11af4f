"""Groups by hand (issue 16 item 6) over HTTP on the real broker and database: add,
exclude, move and dissolve with a reason and L11's invariants checked (3 to 8 members,
one level band, free in every slot); a level band set after a level test, with its date."""

from __future__ import annotations

from zroute_contract.events.codes import LanguageLevel

from tests.planning.integration.conftest import TODAY, intake_completed

WHY = {"reason": "agreed with the teacher after week 2"}


async def _one_group_of(planning, count: int) -> tuple[dict, list[str]]:
    intakes = [intake_completed() for _ in range(count)]
    for intake in intakes:
        await planning.activate(intake)
    formed = await planning.http.post("/group-formations", json={})
    assert formed.status_code == 200 and formed.json()["groups_formed"] == 1, formed.text
    [group] = (await planning.http.get("/groups")).json()
    return group, [i.participant_ref for i in intakes]


async def test_a_planner_excludes_adds_and_dissolves_within_the_invariants(planning):
    group, refs = await _one_group_of(planning, 4)
    gid, http = group["group_id"], planning.http
    out = refs[0]
    no_reason = await http.post(f"/groups/{gid}/members/{out}/exclusion", json={"reason": ""})
    assert no_reason.status_code == 422
    excluded = await http.post(f"/groups/{gid}/members/{out}/exclusion", json=WHY)
    assert excluded.status_code == 200, excluded.text
    assert out not in excluded.json()["members"] and len(excluded.json()["members"]) == 3
    [removed] = await planning.expect("participant-removed-from-group", out)
    assert removed["data"]["reason"] == "replanned"
    waiting = (await http.get("/waiting-list")).json()
    assert out in {w["participant_ref"] for w in waiting}
    # Three is the minimum: one more out would break L11, so the group is dissolved instead.
    below = await http.post(f"/groups/{gid}/members/{refs[1]}/exclusion", json=WHY)
    assert below.status_code == 422 and "dissolve it instead" in below.json()["error"]

    other_band = intake_completed(level=LanguageLevel.B1)
    await planning.activate(other_band)
    refused = await http.post(
        f"/groups/{gid}/members", json=WHY | {"participant_ref": other_band.participant_ref}
    )
    assert refused.status_code == 422 and "level band b1" in refused.json()["error"]
    back = await http.post(f"/groups/{gid}/members", json=WHY | {"participant_ref": out})
    assert back.status_code == 201, back.text
    assert out in back.json()["members"]
    joined = await planning.expect("participant-assigned-to-group", out, 2)
    assert joined[-1]["data"]["reason"] == "joined"

    dissolved = await http.post(f"/groups/{gid}/dissolution", json=WHY)
    assert dissolved.status_code == 200, dissolved.text
    assert (await http.get("/groups")).json() == []
    waiting = {w["participant_ref"] for w in (await http.get("/waiting-list")).json()}
    assert set(refs) <= waiting


async def test_a_level_test_changes_the_band_with_its_date_and_the_member_leaves(planning):
    _, refs = await _one_group_of(planning, 4)
    ref = refs[0]
    path = f"/participants/{ref}/level-band"
    future = await planning.http.post(
        path, json=WHY | {"level_band": "a2", "tested_on": "2099-01-01"}
    )
    assert future.status_code == 422
    tested = await planning.http.post(
        path, json=WHY | {"level_band": "a2", "tested_on": str(TODAY)}
    )
    assert tested.status_code == 200, tested.text
    [removed] = await planning.expect("participant-removed-from-group", ref)
    assert removed["data"]["reason"] == "level_changed"
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["level_band"] == "a2"
    [left] = (await planning.http.get("/groups")).json()
    assert ref not in left["members"]
