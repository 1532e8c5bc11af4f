"""Issue 17: intake had no "intake cancelled" event, so nobody told of an intake appointment
(the partner attending for the intake task, the contact person, the participant) heard it
would not take place, and the participant's page kept showing it as their next appointment.
Now ``intake-cancelled`` reaches each of them as the matrix says."""

from __future__ import annotations

from zroute_contract.events import intake

from tests.helpers import wait_for
from tests.notifications import world
from tests.notifications.participants import participant

STARTS_AT = "2027-02-01T10:00:00+01:00"


async def test_a_cancelled_intake_reaches_the_partner_the_contact_person_and_the_participant(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "ar")
    scheduled = world.event(intake.IntakeScheduled, ref, starts_at=STARTS_AT)
    await feed.publish(scheduled)
    await feed.all_handled(runtime)
    booked = "SELECT count(*) FROM nt_appointments WHERE participant_ref = $1"
    assert await runtime.pool.fetchval(booked, ref) == 1

    cancelled = world.event(
        intake.IntakeCancelled,
        ref,
        intake_id=scheduled.intake_id,
        starts_at=STARTS_AT,
        reason="participant_unavailable",
    )
    event_id = await feed.publish(cancelled)
    await wait_for(
        lambda: [m for m in smtp.to("office@lead.test") if "gaat niet door" in m["Subject"]],
        what="mail to the intake partner",
    )
    [mail] = [m for m in smtp.to("office@lead.test") if "gaat niet door" in m["Subject"]]
    assert "de deelnemer kan niet komen" in smtp.text(mail)
    await feed.all_handled(runtime)

    told = await world.notifications(runtime, event_id)
    kinds = {(n["recipient_kind"], n["channel"]) for n in told}
    assert ("staff", "inbox") in kinds, told  # the contact person
    [message] = await runtime.pool.fetch(
        "SELECT * FROM nt_participant_messages WHERE participant_ref = $1 AND kind = $2",
        ref,
        "intake_cancelled",
    )
    assert "gaat niet door" in message["body_nl"] and "10:00" in message["body_nl"]
    assert message["language"] == "ar" and message["body"] != message["body_nl"]
    # The page no longer shows the intake as the next appointment.
    assert await runtime.pool.fetchval(booked, ref) == 0


async def _reminders(runtime, ref):
    return await runtime.pool.fetch(
        "SELECT n.status, n.reason, n.due_at, e.body -> 'data' ->> 'starts_at' AS starts_at"
        " FROM nt_notifications n JOIN nt_events e ON e.event_id = n.event_ids[1]"
        " WHERE n.participant_ref = $1 AND n.timing = 'reminder' ORDER BY n.created_at, n.id",
        ref,
    )


async def test_the_contact_persons_reminder_of_a_cancelled_intake_is_not_sent(
    services, smtp, amqp_connection
):
    """Before: the reminder planned for the day before the intake stayed pending after
    ``intake-cancelled`` and reminded the contact person of an appointment called off."""
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "nl")
    scheduled = world.event(intake.IntakeScheduled, ref, starts_at=STARTS_AT)
    await feed.publish(scheduled)
    await feed.all_handled(runtime)
    [reminder] = await _reminders(runtime, ref)
    assert reminder["status"] == "pending"

    await feed.publish(
        world.event(
            intake.IntakeCancelled,
            ref,
            intake_id=scheduled.intake_id,
            starts_at=STARTS_AT,
            reason="participant_unavailable",
        )
    )
    await feed.all_handled(runtime)

    [reminder] = await _reminders(runtime, ref)
    assert (reminder["status"], reminder["reason"]) == ("not_sent", "intake_called_off")


async def test_a_moved_intake_is_reminded_of_at_its_new_time_only(services, smtp, amqp_connection):
    """Before: ``intake-scheduled`` again for the same intake planned a second reminder and
    left the one of the old time pending, so the contact person got both."""
    runtime = await world.start(services, smtp.port)
    await world.seed_directory(runtime)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "nl")
    first = world.event(intake.IntakeScheduled, ref, starts_at=STARTS_AT)
    await feed.publish(first)
    await feed.all_handled(runtime)
    moved_to = "2027-02-08T10:00:00+01:00"
    await feed.publish(
        world.event(intake.IntakeScheduled, ref, intake_id=first.intake_id, starts_at=moved_to)
    )
    await feed.all_handled(runtime)

    reminders = [(r["starts_at"], r["status"], r["reason"]) for r in await _reminders(runtime, ref)]
    assert sorted(reminders) == [
        ("2027-02-01T10:00:00+01:00", "not_sent", "intake_moved"),
        ("2027-02-08T10:00:00+01:00", "pending", None),
    ]
