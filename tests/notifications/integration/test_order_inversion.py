"""An event for the contact person that overtakes the contact person's assignment waits
for it, instead of ending as "recipient unresolved" (issue 11)."""

from __future__ import annotations

import pytest
from zroute_contract.events import intake
from zroute_contract.types import new_participant_ref
from zroute_notifications.bootstrap import definition

from tests.helpers import wait_for
from tests.inversion import (
    INVERSION_SETTINGS,
    Inversion,
    awaiting_predecessor,
    dead_letter_count,
    start_instances,
)
from tests.notifications import world


@pytest.mark.parametrize("instances", [1, 2])
async def test_intake_completed_before_the_contact_person_reaches_the_contact_person(
    services, smtp, amqp_connection, instances
):
    ref = new_participant_ref()
    inversion = Inversion(ref, intake.ContactPersonAssigned, intake.IntakeCompleted)
    settings = world.settings_for(services, smtp.port, **INVERSION_SETTINGS)
    runtimes = await start_instances(
        services, inversion.wrap(definition(settings)), settings, instances
    )
    runtime = runtimes[0]
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    await feed.publish(world.agreement())
    await feed.publish(world.registered(ref))
    contact_id = await feed.publish(world.contact(ref))
    await wait_for(lambda: inversion.predecessor_failures >= 1, what="the planted failure")
    completed_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    await feed.all_handled(runtime)

    to_contact = [
        n for n in await world.notifications(runtime, completed_id) if n["role"] == "contact_person"
    ]
    assert [(n["staff_ref"], n["channel"]) for n in to_contact] == [(world.COACH, "email")]
    assert len(await world.notifications(runtime, contact_id)) >= 1
    assert awaiting_predecessor(*runtimes) >= 1
    assert await dead_letter_count(amqp_connection, runtime) == 0
