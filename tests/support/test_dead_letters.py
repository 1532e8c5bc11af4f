"""Events about unknown participants or partners are dead-lettered with the reason."""

from __future__ import annotations

import uuid
from datetime import date

from zroute_contract.events.codes import ConsentPurpose
from zroute_contract.events.intake import CareSignalsRecorded, ConsentRecorded
from zroute_runtime.consumer import REASON_HEADER, REASON_KIND_HEADER

from tests.helpers import wait_for
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


async def test_events_about_unknown_participants_or_partners_are_dead_lettered(scenario):
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
    reasons = {m.headers[REASON_HEADER] for m in dead}
    assert reasons == {f"unknown participant {stranger}", "unknown partner ghost-partner"}
    assert {m.headers[REASON_KIND_HEADER] for m in dead} == {"unprocessable"}
