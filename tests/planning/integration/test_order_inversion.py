"""A correction that overtakes the intake it corrects waits for it (issue 11)."""

from __future__ import annotations

import pytest
from zroute_contract.events.codes import CorrectionReason, LanguageLevel
from zroute_contract.events.intake import IntakeCompleted, IntakeCorrected
from zroute_contract.types import new_participant_ref
from zroute_planning.bootstrap import definition
from zroute_planning.settings import Settings

from tests.helpers import capture, wait_for
from tests.inversion import (
    INVERSION_SETTINGS,
    Inversion,
    awaiting_predecessor,
    dead_letter_count,
    start_instances,
)
from tests.planning.events import pip_established
from tests.planning.integration.conftest import TEST_RULES, TODAY, Planning, intake_completed


@pytest.mark.parametrize("instances", [1, 2])
async def test_a_correction_before_its_intake_completed_takes_effect_once_it_lands(
    services, amqp_connection, instances
):
    ref = new_participant_ref()
    inversion = Inversion(ref, IntakeCompleted, IntakeCorrected)
    settings = services.settings(
        Settings, planning_rules=TEST_RULES, solver_workers=1, **INVERSION_SETTINGS
    )
    runtimes = await start_instances(
        services, inversion.wrap(definition(settings)), settings, instances
    )
    seen = await capture(amqp_connection, runtimes[0].topology.exchange, "planning.#")
    planning = Planning(runtimes[0], seen, None, amqp_connection)
    completed = intake_completed(ref, level=LanguageLevel.A1)
    completed_id = await planning.publish(completed)
    await wait_for(lambda: inversion.predecessor_failures >= 1, what="the planted failure")
    corrected_id = await planning.publish(
        IntakeCorrected(
            **completed.model_dump(exclude={"completed_on"}) | {"language_level": LanguageLevel.A2},
            corrected_on=TODAY,
            reason=CorrectionReason.REASSESSMENT,
        )
    )
    await planning.handled(completed_id)
    await planning.handled(corrected_id)
    await planning.feed(pip_established(ref))  # the PIP activates the corrected outcome
    [activated] = await planning.expect("plan-activated", ref)
    pool = runtimes[0].pool
    plans = await pool.fetch(
        "SELECT level_band FROM planning_plans WHERE participant_ref = $1", ref
    )
    assert [p["level_band"] for p in plans] == ["a2"]  # the correction took effect
    assert activated["data"]["participant_ref"] == ref
    assert len(planning.events("plan-activated", ref)) == 1
    assert awaiting_predecessor(*runtimes) >= 1
    assert await dead_letter_count(amqp_connection, runtimes[0]) == 0
