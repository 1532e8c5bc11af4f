"""A lead partner per participant (issue 17 item 6), against the real broker and
database: the programme's unless the coordinator sets the participant's own, with a
reason from the configured list; the change is published (``lead-partner-set``)."""

from __future__ import annotations

from zroute_runtime.auth import Role

from tests.support.scenario import Scenario


async def test_the_coordinator_sets_a_participants_own_lead_partner_with_a_reason(
    scenario: Scenario,
):
    await scenario.setup()
    ref = await scenario.participant()
    path = f"/participants/{ref}/lead-partner"
    coordinator = scenario.client(Role.COORDINATOR, subject="coordinator-1")
    default = (await coordinator.get(path)).json()
    assert default == {
        "participant_ref": ref,
        "lead_partner_id": "coordinator",
        "own": False,
        "programme_lead_partner_id": "coordinator",
    }

    body = {"partner_id": "work-a", "reason": "main_activity_elsewhere"}
    caseworker = scenario.client(Role.CASEWORKER)
    assert (await caseworker.put(path, json=body)).status_code == 403
    bad = await coordinator.put(path, json={**body, "reason": "whim"})
    assert bad.status_code == 422 and "lead partner reason" in bad.text
    unknown = await coordinator.put(path, json={**body, "partner_id": "nobody"})
    assert unknown.status_code == 404

    done = await coordinator.put(path, json=body)
    assert done.status_code == 200, done.text
    assert (done.json()["lead_partner_id"], done.json()["own"]) == ("work-a", True)
    [event] = await scenario.emitted("lead-partner-set", participant_ref=ref)
    assert event["data"]["lead_partner_id"] == "work-a"
    assert event["data"]["set_by"] == "coordinator-1"
    assert (await caseworker.get(path)).json()["lead_partner_id"] == "work-a"

    back = {"partner_id": None, "reason": "back_to_programme_default"}
    returned = await coordinator.put(path, json=back)
    assert (returned.json()["lead_partner_id"], returned.json()["own"]) == ("coordinator", False)
    await scenario.emitted("lead-partner-set", 2, participant_ref=ref)
