"""Events about unknown participants or partners are dead-lettered with the reason: an
unknown partner at once, an unknown participant after the wait for its registration."""

from __future__ import annotations

import uuid
from datetime import date

from zroute_contract.events.codes import ConsentPurpose
from zroute_contract.events.intake import CareSignalsRecorded, ConsentRecorded
from zroute_runtime.consumer import REASON_HEADER, REASON_KIND_HEADER
from zroute_support.bootstrap import definition
from zroute_support.settings import Settings

from tests.helpers import capture, wait_for
from tests.support.scenario import PROGRAMME, Scenario


async def dead_letters(scenario: Scenario, count: int):
    found: list = []
    channel = await scenario.connection.channel()
    queue = await channel.get_queue(scenario.runtime.topology.dead_letter_queue)

    async def enough() -> bool:
        while (message := await queue.get(fail=False)) is not None:
            await message.ack()
            found.append(message)
        return len(found) >= count

    await wait_for(enough, what=f"{count} dead letter(s)")
    await channel.close()
    return found


async def test_events_about_unknown_participants_or_partners_are_dead_lettered(
    services, amqp_connection
):
    settings = services.settings(Settings, predecessor_wait_s=1.5)
    runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange)
    scenario = Scenario(runtime, seen, amqp_connection)
    await scenario.setup()
    stranger = f"zr-{uuid.uuid4().hex}"
    await scenario.publish(
        ConsentRecorded(
            participant_ref=stranger,
            programme_id=PROGRAMME,
            consent_id=uuid.uuid4(),
            purpose=ConsentPurpose.CARE_REFERRAL,
            given_on=date(2027, 1, 4),
        )
    )
    known = await scenario.participant()
    await scenario.publish(
        CareSignalsRecorded(
            participant_ref=known,
            programme_id=PROGRAMME,
            partner_id="ghost-partner",
            intake_id=uuid.uuid4(),
            signals=(),
        )
    )
    dead = await dead_letters(scenario, 2)
    await scenario.close()
    reasons = {m.headers[REASON_KIND_HEADER]: m.headers[REASON_HEADER] for m in dead}
    assert reasons["unprocessable"] == "unknown partner ghost-partner"
    assert reasons["predecessor-missing"].startswith(
        f"unknown participant {stranger}: its predecessor did not arrive in"
    )
    assert reasons["predecessor-missing"].endswith("limit 1.5 s)")
