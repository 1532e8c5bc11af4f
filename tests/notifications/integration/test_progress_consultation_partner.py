"""Issue 17 item 6: the progress consultation task of the task division drove nothing; a
progress review that fell due reached the contact person and the lead partner only. Now
the partner the agreement names for ``progress_consultation`` is told as well, so the
partner that consults on the participant's progress can prepare the review."""

from __future__ import annotations

from zroute_contract.events import planning as p
from zroute_contract.types import new_participant_ref

from tests.helpers import wait_for
from tests.notifications import world

CONSULTANT = "progress-desk"
DESK = "desk@progress-desk.test"


async def test_the_progress_consultation_partner_is_told_when_a_review_falls_due(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    async with world.client(runtime) as http:
        response = await http.put(
            f"/directory/partner/{CONSULTANT}", json={"email": DESK, "language": "nl"}
        )
        assert response.status_code == 200, response.text
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    assignments = [
        a.model_dump(mode="json")
        for a in world.agreement().assignments
        if a.task.value != "progress_consultation"
    ]
    assignments.append({"task": "progress_consultation", "partner_id": CONSULTANT})
    ref = new_participant_ref()
    await feed.publish(world.agreement(assignments=assignments))
    await feed.publish(world.registered(ref))
    await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)

    due = await feed.publish(world.event(p.ProgressReviewDue, ref, due_on="2027-06-30"))
    await wait_for(lambda: smtp.to(DESK), what="the progress consultation partner's mail")
    await feed.all_handled(runtime)
    told = sorted(
        (n["channel"], n["timing"])
        for n in await world.notifications(runtime, due)
        if n["recipient_kind"] == "partner" and n["recipient_ref"] == CONSULTANT
    )
    assert told == [("email", "immediate"), ("inbox", "immediate")]
