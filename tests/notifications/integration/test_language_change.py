"""Issue 18: a participant's messages were written in the language of the registration for
good; intake's ``personal-data-changed`` (codes only: the new preferred language) never
reached notifications. Now the participant's messages follow the new language, a
registration that arrives again cannot undo it, and a change that overtakes the
registration waits for it."""

from __future__ import annotations

from zroute_contract.events import intake
from zroute_contract.types import new_participant_ref

from tests.inversion import INVERSION_SETTINGS
from tests.notifications import world
from tests.notifications.participants import participant

STARTS_AT = "2027-02-01T10:00:00+01:00"


def changed(ref: str, language: str) -> intake.PersonalDataChanged:
    return world.event(
        intake.PersonalDataChanged,
        ref,
        changed=["preferred_language"],
        reason="participant_request",
        changed_on="2027-01-20",
        preferred_language=language,
        interpreter_needed=None,
    )


async def _messages(runtime, ref):
    return await runtime.pool.fetch(
        "SELECT kind, language, body, body_nl FROM nt_participant_messages"
        " WHERE participant_ref = $1 ORDER BY created_at",
        ref,
    )


async def test_the_participants_messages_follow_the_new_preferred_language(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "ar")

    await feed.publish(changed(ref, "uk"))
    await feed.publish(world.event(intake.IntakeScheduled, ref, starts_at=STARTS_AT))
    await feed.all_handled(runtime)

    [message] = await _messages(runtime, ref)
    assert message["kind"] == "intake_appointment"
    assert message["language"] == "uk" and message["body"] != message["body_nl"]
    # The registration arriving again (a replay) does not undo the change.
    await feed.publish(
        world.event(
            intake.ParticipantRegistered, ref, municipality="GM0363", preferred_language="ar"
        )
    )
    await feed.publish(world.event(intake.IntakeScheduled, ref, starts_at=STARTS_AT))
    await feed.all_handled(runtime)
    assert [m["language"] for m in await _messages(runtime, ref)] == ["uk", "uk"]


async def test_a_change_that_overtakes_the_registration_waits_for_it(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port, **INVERSION_SETTINGS)
    await world.seed_directory(runtime)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = new_participant_ref()
    await feed.publish(world.agreement())
    await feed.publish(changed(ref, "uk"))
    await feed.publish(
        world.event(
            intake.ParticipantRegistered, ref, municipality="GM0363", preferred_language="ar"
        )
    )
    await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)

    language = "SELECT preferred_language FROM nt_participants WHERE participant_ref = $1"
    assert await runtime.pool.fetchval(language, ref) == "uk"
