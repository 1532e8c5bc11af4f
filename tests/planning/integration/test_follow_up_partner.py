"""The follow-up task routes its work (issue 17 item 6): the follow-up is read and recorded
by the staff of the partner the programme's task division names for ``follow_up``; before,
only the teaching partner's staff could, and the partner named for the task could not even
read it. The teaching partner keeps it only where the programme names nobody for it."""

from __future__ import annotations

from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.events.codes import RouteTask
from zroute_contract.events.support import PartnerRegistered
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.events import SUPPORT, agreement_recorded
from tests.planning.integration.conftest import intake_completed

SCHOOL, ARRANGER, DESTINATION = "language-school", "next-steps", "vrijwilligers-centrale"


def staff_of(partner_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token([Role.PARTNER_STAFF], partner_id=partner_id)}"}


FOLLOW_UP = {
    "follow_up_type": "volunteering",
    "partner_id": DESTINATION,
    "starts_on": "2030-01-01",
    "agreements": [{"task": "warm_handover", "partner_id": ARRANGER, "due_on": "2029-12-01"}],
}


async def _programme(planning, division: dict[RouteTask, str]) -> str:
    await planning.feed(
        agreement_recorded(division, lead=SCHOOL),
        source=SUPPORT,
    )
    await planning.feed(
        SampleBuilder().event(PartnerRegistered, partner_id=DESTINATION), source=SUPPORT
    )
    intake = intake_completed()
    await planning.activate(intake)
    return intake.participant_ref


async def test_the_follow_up_is_the_work_of_the_partner_the_task_division_names(planning):
    ref = await _programme(
        planning, {RouteTask.LANGUAGE_TEACHING: SCHOOL, RouteTask.FOLLOW_UP: ARRANGER}
    )
    path = f"/participants/{ref}/follow-up"

    refused = await planning.http.put(path, json=FOLLOW_UP, headers=staff_of(SCHOOL))
    assert refused.status_code == 403
    assert ARRANGER in refused.json()["error"]  # the reason names whose work it is
    agreed = await planning.http.put(path, json=FOLLOW_UP, headers=staff_of(ARRANGER))
    assert agreed.status_code == 200, agreed.text
    [event] = await planning.expect("follow-up-agreed", ref)
    assert event["data"]["partner_id"] == DESTINATION
    read = await planning.http.get(path, headers=staff_of(ARRANGER))
    assert read.status_code == 200 and read.json()["follow_up_type"] == "volunteering"
    assert (await planning.http.get(path, headers=staff_of(SCHOOL))).status_code == 403
    assert (await planning.http.get(path, headers=staff_of("stranger"))).status_code == 403
    # Nothing else of the plan opens to the follow-up's partner.
    assert (
        await planning.http.get(f"/participants/{ref}/plan", headers=staff_of(ARRANGER))
    ).status_code == 403


async def test_without_a_follow_up_partner_the_teaching_partner_keeps_it(planning):
    ref = await _programme(planning, {RouteTask.LANGUAGE_TEACHING: SCHOOL})

    agreed = await planning.http.put(
        f"/participants/{ref}/follow-up", json=FOLLOW_UP, headers=staff_of(SCHOOL)
    )
    assert agreed.status_code == 200, agreed.text
