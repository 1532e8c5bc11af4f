"""Issue 17 item 6: the follow-up task of the task division drove nothing; only the
contact person and the lead partner heard that a follow-up was due or overdue. Now the
partner the agreement names for ``follow_up`` is asked: told when it is due (and reminded
before the agree-by date), when the date passed, and when the follow-up was agreed. A
programme that does not offer the task has nobody to ask, and that is no failure."""

from __future__ import annotations

from zroute_contract.events import planning as p
from zroute_contract.types import new_participant_ref

from tests.helpers import wait_for
from tests.notifications import world

FOLLOW_UP = "next-steps"
DESK = "desk@next-steps.test"


def _agreement(with_follow_up: bool):
    assignments = [a.model_dump(mode="json") for a in world.agreement().assignments]
    if with_follow_up:
        assignments.append({"task": "follow_up", "partner_id": FOLLOW_UP})
    return world.agreement(assignments=assignments)


async def _programme(services, smtp, amqp_connection, with_follow_up: bool):
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    async with world.client(runtime) as http:
        response = await http.put(
            f"/directory/partner/{FOLLOW_UP}", json={"email": DESK, "language": "nl"}
        )
        assert response.status_code == 200, response.text
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = new_participant_ref()
    await feed.publish(_agreement(with_follow_up))
    await feed.publish(world.registered(ref))
    await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)
    return runtime, feed, ref


def _to_partner(told, partner_id=FOLLOW_UP):
    return sorted(
        (n["channel"], n["timing"])
        for n in told
        if n["recipient_kind"] == "partner" and n["recipient_ref"] == partner_id
    )


async def test_the_follow_up_partner_is_asked_reminded_and_escalated_to(
    services, smtp, amqp_connection
):
    runtime, feed, ref = await _programme(services, smtp, amqp_connection, with_follow_up=True)

    due = await feed.publish(
        world.event(p.FollowUpDue, ref, planned_end="2027-09-30", agree_by="2027-06-30")
    )
    await wait_for(lambda: smtp.to(DESK), what="the follow-up partner's mail")
    await feed.all_handled(runtime)
    assert _to_partner(await world.notifications(runtime, due)) == [
        ("email", "immediate"),
        ("email", "reminder"),
        ("inbox", "immediate"),
    ]

    escalated = await feed.publish(
        world.event(
            p.FollowUpEscalated,
            ref,
            planned_end="2027-09-30",
            agree_by="2027-06-30",
            escalated_on="2027-07-01",
            level=1,
        )
    )
    await feed.all_handled(runtime)
    assert _to_partner(await world.notifications(runtime, escalated)) == [
        ("email", "immediate"),
        ("inbox", "immediate"),
    ]


async def test_a_programme_that_does_not_offer_the_follow_up_task_has_nobody_to_ask(
    services, smtp, amqp_connection
):
    runtime, feed, ref = await _programme(services, smtp, amqp_connection, with_follow_up=False)

    due = await feed.publish(
        world.event(p.FollowUpDue, ref, planned_end="2027-09-30", agree_by="2027-06-30")
    )
    await feed.all_handled(runtime)
    told = await world.notifications(runtime, due)
    assert not [n for n in told if n["recipient_kind"] == "unresolved"], told
    assert not [n for n in told if n["status"] == "failed"], told
    # The contact person and the lead partner hear it as before.
    assert {n["role"] for n in told} >= {"contact_person", "lead_partner"}
