"""Events in, messages out: the right people, once, in their language, on the channel the
matrix names; care details only to the addressed care partner."""

from __future__ import annotations

import uuid

from zroute_contract.events import intake, support
from zroute_runtime.auth import Role

from tests.helpers import capture, wait_for
from tests.notifications import world

SENT = "nl.zroute.notifications.notification-sent.v1"
FAILED = "nl.zroute.notifications.notification-failed.v1"


async def test_each_recipient_gets_one_message_in_their_language_on_the_matrix_channel(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)

    referral = world.event(
        support.ReferralRequested,
        ref,
        partner_id=world.CARE,
        category="mental_health_care",
        referrer={"staff_ref": world.COACH, "role": "partner_coach", "partner_id": world.LEAD},
    )
    event_id = await feed.publish(referral)
    await feed.publish(referral, event_id=event_id)  # delivered twice by the broker
    completed = world.event(intake.IntakeCompleted, ref)
    completed_id = await feed.publish(completed)

    await wait_for(
        lambda: smtp.to("intake@care.test") and len(smtp.to("anna@lead.test")) >= 2,
        what="mail to the care partner and the contact person",
    )
    await wait_for(lambda: len(seen.of_type(SENT)) >= 4, what="notification-sent events")

    # The care partner: one e-mail, in Dutch, with the care category.
    [care_mail] = smtp.to("intake@care.test")
    assert "Nieuwe verwijzing" in care_mail["Subject"]
    assert "psychische zorg" in smtp.text(care_mail)
    assert "http://support.test/referrals/" in smtp.text(care_mail)
    # The contact person (the referrer): inbox only for the referral, without the category.
    rows = await world.notifications(runtime, event_id)
    by_recipient = {(r["recipient_ref"], r["channel"]) for r in rows}
    assert by_recipient == {(world.CARE, "email"), (world.CARE, "inbox"), (world.COACH, "inbox")}
    [coach_inbox] = [r for r in rows if r["recipient_ref"] == world.COACH]
    assert coach_inbox["language"] == "en"
    assert "mental" not in coach_inbox["body_text"] and "psych" not in coach_inbox["body_text"]
    assert "A referral to a care partner was sent" in coach_inbox["body_text"]
    # contact-person-assigned and intake-completed: the contact person by e-mail, in English.
    subjects = sorted(m["Subject"].split(" participant")[0] for m in smtp.to("anna@lead.test"))
    assert subjects == ["Intake completed for", "You are the contact person for"]
    assert {m["Content-Language"] for m in smtp.to("anna@lead.test")} == {"en"}
    # ...and nothing yet for the lead partner: that one is in the daily digest.
    assert not [m for m in smtp.to("office@lead.test") if "Intake" in m["Subject"]]
    assert {r["timing"] for r in await world.notifications(runtime, completed_id)} == {"immediate"}

    def sent_for_referral():
        found = [e["data"] for e in seen.of_type(SENT) if event_id in e["data"]["event_ids"]]
        return found if len(found) >= 3 else None

    sent = await wait_for(sent_for_referral, what="notification-sent of the referral")
    assert sorted((s["recipient"]["role"], s["channel"]) for s in sent) == [
        ("care_partner", "email"),
        ("care_partner", "inbox"),
        ("contact_person", "inbox"),
    ]
    assert all(
        e["subject"] == ref for e in seen.of_type(SENT) if event_id in e["data"]["event_ids"]
    )

    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id=world.CARE) as http:
        inbox = (await http.get(f"/inbox/partner/{world.CARE}")).json()
        assert [m["event_type"] for m in inbox] == [referral.spec.type]
        assert (await http.get(f"/inbox/staff/{world.COACH}")).status_code == 403
    async with world.client(runtime, [Role.COORDINATOR]) as http:
        status = (await http.get("/notifications", params={"event_id": event_id})).json()
        assert {s["status"] for s in status} == {"sent"}
        assert len(status) == 3


async def test_a_role_nobody_holds_ends_in_notification_failed(services, smtp, amqp_connection):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = f"zr-{uuid.uuid4().hex}"
    await feed.publish(world.registered(ref))
    await feed.publish(world.contact(ref))
    await feed.publish(world.event(intake.IntakeCompleted, ref))  # no agreement: no lead partner
    failed = await wait_for(lambda: seen.of_type(FAILED), what="notification-failed")
    assert failed[0]["data"]["reason"] == "recipient_unresolved"
    assert failed[0]["data"]["recipient"]["role"] == "lead_partner"


async def test_an_event_for_a_contact_person_never_assigned_is_dead_lettered_after_the_wait(
    services, smtp, amqp_connection
):
    """Intake assigns the first contact person with the registration; an event for the
    contact person of a participant without one waits for that assignment."""
    runtime = await world.start(services, smtp.port, predecessor_wait_s=1.0)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = f"zr-{uuid.uuid4().hex}"
    await feed.publish(world.registered(ref))
    completed_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    channel = await amqp_connection.channel()
    queue = await channel.get_queue(runtime.topology.dead_letter_queue)
    dead = await wait_for(lambda: queue.get(fail=False), what="the dead letter")
    await dead.ack()
    await channel.close()
    assert dead.message_id == completed_id
    assert dead.headers["x-zroute-reason-kind"] == "predecessor-missing"
    assert dead.headers["x-zroute-reason"].startswith(
        f"no contact person known for participant {ref}"
    )
    assert await world.notifications(runtime, completed_id) == []
