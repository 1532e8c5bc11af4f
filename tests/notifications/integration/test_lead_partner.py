"""A lead partner per participant (issue 17 item 6): where the matrix names the
``lead_partner``, a participant whose own lead partner support set is told through that
partner; the others through the programme's."""

from __future__ import annotations

from zroute_contract.events import planning, support

from tests.helpers import wait_for
from tests.notifications import world


async def test_the_participants_own_lead_partner_is_told_instead_of_the_programmes(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    own = await world.programme_with_participant(feed, runtime)
    other = world.new_participant_ref()
    await feed.publish(world.registered(other))
    await feed.publish(world.contact(other))
    await feed.publish(
        world.event(
            support.LeadPartnerSet,
            own,
            lead_partner_id=world.WORKPLACES,
            reason="main_activity_elsewhere",
            set_by="coordinator-1",
        )
    )
    await feed.all_handled(runtime)

    await feed.publish(world.event(planning.PlanAtRisk, own))
    await feed.publish(world.event(planning.PlanAtRisk, other))

    def about(address: str, ref: str) -> list:
        return [m for m in smtp.to(address) if ref in smtp.text(m)]

    await wait_for(
        lambda: about("desk@workplaces.test", own) and about("office@lead.test", other),
        what="the plan-at-risk mails to both lead partners",
    )
    assert about("office@lead.test", own) == []  # the programme's lead is not told
    assert about("desk@workplaces.test", other) == []
