"""Partner registry and task-division agreements over HTTP: refusals list every problem,
periods never overlap, and "who is responsible for X on D" is a query."""

from __future__ import annotations

from zroute_contract.events.codes import RouteTask
from zroute_runtime.auth import Role

from tests.support.scenario import PROGRAMME, Scenario


async def test_an_agreement_with_problems_is_refused_with_all_of_them(scenario: Scenario):
    await scenario.register_partners()
    body = scenario.agreement_body({RouteTask.CHILDCARE: "school", RouteTask.TRANSPORT: "ghost"})
    body["assignments"] = [a for a in body["assignments"] if a["task"] != "follow_up"]
    response = await scenario.client().post(f"/programmes/{PROGRAMME}/agreements", json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "the agreement cannot be recorded"
    assert set(error["detail"]) == {
        "task follow_up has no responsible partner",
        "task childcare: partner school lacks the capability childcare",
        "task transport: unknown partner ghost",
    }
    assert not scenario.seen.of_type("nl.zroute.support.agreement-recorded.v1")


async def test_versions_may_not_overlap_and_the_query_follows_the_version_in_force(scenario):
    await scenario.register_partners()
    coordinator = scenario.client()
    url = f"/programmes/{PROGRAMME}/agreements"
    first = await scenario.record_agreement(valid_from="2027-01-01")
    overlap = await coordinator.post(
        url, json=scenario.agreement_body({RouteTask.CHILDCARE: "kids"}, valid_from="2027-07-01")
    )
    assert overlap.status_code == 409
    assert "overlaps version 1" in overlap.json()["error"]

    ended = await coordinator.post(f"{url}/1/end", json={"valid_until": "2027-06-30"})
    assert ended.status_code == 200 and ended.json()["valid_until"] == "2027-06-30"
    second = await coordinator.post(
        url,
        json=scenario.agreement_body(
            {RouteTask.CARE_REFERRAL_MENTAL_HEALTH: "care-b"}, valid_from="2027-07-01"
        ),
    )
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2

    ask = f"/programmes/{PROGRAMME}/responsible"
    task = {"task": "care_referral_mental_health"}
    january = await scenario.partner("school").get(ask, params=task | {"on": "2027-01-15"})
    assert january.json()["partner_id"] == "care-a" and january.json()["version"] == 1
    july = await scenario.partner("school").get(ask, params=task | {"on": "2027-07-01"})
    assert july.json()["partner_id"] == "care-b" and july.json()["version"] == 2
    before = await coordinator.get(ask, params=task | {"on": "2026-12-31"})
    assert before.status_code == 404

    recorded = await scenario.emitted("agreement-recorded", 3, programme_id=PROGRAMME)
    assert [e["data"]["version"] for e in recorded] == [1, 1, 2]
    assert recorded[1]["data"]["valid_until"] == "2027-06-30"
    assert first["agreement_id"] == recorded[0]["data"]["agreement_id"]


async def test_the_registry_refuses_duplicates_non_coordinators_and_unknown_partners(scenario):
    await scenario.register_partners()
    body = {"partner_id": "kids", "organisation": "Again", "municipalities": ["GM0363"],
            "capabilities": ["childcare"],
            "contact_points": [{"channel": "email", "address": "a@b.example"}]}  # fmt: skip
    assert (await scenario.client().post("/partners", json=body)).status_code == 409
    as_partner = await scenario.partner("kids").post("/partners", json=body | {"partner_id": "x1"})
    assert as_partner.status_code == 403
    profile = {k: v for k, v in body.items() if k != "partner_id"}
    assert (await scenario.client().put("/partners/nobody", json=profile)).status_code == 404
    updated = await scenario.client().put(
        "/partners/kids", json=profile | {"capacity": {"childcare": 4}}
    )
    assert updated.status_code == 200, updated.text
    [event] = await scenario.emitted("partner-updated", partner_id="kids")
    assert event["data"]["capacity"] == [{"capability": "childcare", "max_active": 4}]
    read = await scenario.client(Role.CASEWORKER).get("/partners/kids")
    assert read.json()["contact_points"] == [{"channel": "email", "address": "a@b.example"}]
    bad = await scenario.client().post("/partners", json=body | {"partner_id": "x2",
                                       "capabilities": ["flying"]})  # fmt: skip
    assert bad.status_code == 422


async def test_a_task_not_offered_with_a_reason_is_recorded_and_published(scenario):
    """Issue 17: a programme may leave a task unassigned when it is marked not offered."""

    await scenario.register_partners()
    body = scenario.agreement_body()
    body["assignments"] = [a for a in body["assignments"] if a["task"] != "childcare"]
    coordinator = scenario.client()
    url = "/programmes/amsterdam-z/agreements"
    refused = await coordinator.post(url, json=body)
    assert refused.status_code == 422
    assert "task childcare has no responsible partner" in refused.json()["detail"]
    wrong = await coordinator.post(
        url, json=body | {"not_offered": [{"task": "childcare", "reason": "bored"}]}
    )
    assert wrong.status_code == 422 and "reason 'bored'" in wrong.json()["detail"][0]
    marked = body | {"not_offered": [{"task": "childcare", "reason": "not_contracted"}]}
    recorded = await coordinator.post(url, json=marked)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["not_offered"] == [{"task": "childcare", "reason": "not_contracted"}]
    [event] = await scenario.emitted("agreement-recorded", programme_id="amsterdam-z")
    assert event["data"]["not_offered"] == [{"task": "childcare", "reason": "not_contracted"}]
    responsible = await coordinator.get(
        f"/programmes/amsterdam-z/responsible?task={RouteTask.CHILDCARE.value}"
    )
    assert responsible.status_code == 404


async def test_the_agreement_names_the_pvt_provider_and_publishes_it(scenario):
    """Issue 16: the partner the agreement names for the participatieverklaringstraject
    (PVT) travels in ``module_providers`` (a field of its own, so a consumer on the released
    contract keeps reading the agreement); a module with its own task is refused."""
    await scenario.register_partners()
    body = scenario.agreement_body()
    coordinator = scenario.client()
    url = f"/programmes/{PROGRAMME}/agreements"
    wrong = body | {
        "module_providers": [
            {"module": "knm", "partner_id": "school"},
            {"module": "pvt", "partner_id": "ghost"},
        ]
    }
    refused = await coordinator.post(url, json=wrong)
    assert refused.status_code == 422
    assert set(refused.json()["detail"]) == {
        "module knm is provided by the partner of its task",
        "module pvt: unknown partner ghost",
    }
    named = body | {"module_providers": [{"module": "pvt", "partner_id": "school"}]}
    recorded = await coordinator.post(url, json=named)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["module_providers"] == [{"module": "pvt", "partner_id": "school"}]
    [event] = await scenario.emitted("agreement-recorded", programme_id=PROGRAMME)
    assert event["data"]["module_providers"] == [{"module": "pvt", "partner_id": "school"}]
    listed = await coordinator.get(url)
    assert listed.json()[0]["module_providers"] == [{"module": "pvt", "partner_id": "school"}]
