"""An event that overtakes its participant's registration waits for it (issue 11)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from zroute_contract.events.intake import IntakeCompleted, ParticipantRegistered
from zroute_support.bootstrap import definition
from zroute_support.settings import Settings

from tests.helpers import capture, wait_for
from tests.inversion import (
    INVERSION_SETTINGS,
    Inversion,
    awaiting_predecessor,
    dead_letter_count,
    start_instances,
)
from tests.planning.events import intake_completed
from tests.support.scenario import GM, PROGRAMME, Scenario


@pytest.mark.parametrize("instances", [1, 2])
async def test_intake_completed_before_its_registration_takes_effect_once_it_lands(
    services, amqp_connection, instances
):
    ref = f"zr-{uuid.uuid4().hex}"
    inversion = Inversion(ref, ParticipantRegistered, IntakeCompleted)
    settings = services.settings(Settings, **INVERSION_SETTINGS)
    runtimes = await start_instances(
        services, inversion.wrap(definition(settings)), settings, instances
    )
    seen = await capture(amqp_connection, runtimes[0].topology.exchange)
    scenario = Scenario(runtimes[0], seen, amqp_connection)
    try:
        await scenario.setup()
        registered = await scenario.publish(
            ParticipantRegistered(
                participant_ref=ref,
                programme_id=PROGRAMME,
                municipality=GM,
                registered_on=date(2027, 1, 4),
                preferred_language="ti",
                interpreter_needed=True,
            )
        )
        await wait_for(lambda: inversion.predecessor_failures >= 1, what="the planted failure")
        completed = await scenario.publish(
            intake_completed(ref, childcare=True).model_copy(
                update={"programme_id": PROGRAMME, "municipality": GM}
            )
        )
        await scenario.handled(registered)
        await scenario.handled(completed)
        pool = runtimes[0].pool
        assert (
            await pool.fetchval(
                "SELECT count(*) FROM support_participants WHERE participant_ref = $1", ref
            )
            == 1
        )
        kinds = await pool.fetch(
            "SELECT kind FROM support_preconditions WHERE participant_ref = $1", ref
        )
        assert [r["kind"] for r in kinds] == ["childcare"]
        assert awaiting_predecessor(*runtimes) >= 1  # the inversion really happened
        assert await dead_letter_count(amqp_connection, runtimes[0]) == 0
    finally:
        await scenario.close()
