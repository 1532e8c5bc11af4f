"""Interpreters beyond the intake (issue 17 item 6): the communication matrix tells the
interpreter partner the task division names of a request (addressed to it), and the
participant's contact person of a decline, in their own language."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from zroute_contract.events import support

from tests.helpers import wait_for
from tests.notifications import world

INTERPRETERS = "tolkenpool"
STARTS = datetime(2027, 2, 3, 9, 30, tzinfo=UTC)


async def test_the_interpreter_partner_hears_of_a_request_and_the_contact_person_of_a_decline(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    async with world.client(runtime) as http:
        response = await http.put(
            f"/directory/partner/{INTERPRETERS}",
            json={"email": "planning@tolken.test", "language": "nl"},
        )
        assert response.status_code == 200, response.text
    base = world.agreement()
    assignments = [a.model_dump() for a in base.assignments]
    assignments.append({"task": "interpreter", "partner_id": INTERPRETERS})
    await feed.publish(world.agreement(assignments=assignments))
    # In the read model first: the helper's agreement (same version) then changes nothing.
    await feed.all_handled(runtime)
    ref = await world.programme_with_participant(feed, runtime)

    ids = {
        "request_id": uuid.uuid4(),
        "partner_id": INTERPRETERS,
        "appointment": "progress_meeting",
        "meeting_number": 2,
        "starts_at": STARTS,
    }
    await feed.publish(world.event(support.InterpreterRequested, ref, language="ti", **ids))
    await wait_for(lambda: smtp.to("planning@tolken.test"), what="mail to the interpreter partner")
    [asked] = smtp.to("planning@tolken.test")
    assert "Tolk gevraagd (ti)" in asked["Subject"]
    assert "voortgangsgesprek 2" in smtp.text(asked)

    await feed.publish(
        world.event(
            support.InterpreterDeclined,
            ref,
            reason="too_short_notice",
            declined_by="tolk-desk",
            **ids,
        )
    )
    await wait_for(
        lambda: [m for m in smtp.to("anna@lead.test") if "interpreter" in m["Subject"]],
        what="mail to the contact person",
    )
    [declined] = [m for m in smtp.to("anna@lead.test") if "interpreter" in m["Subject"]]
    assert "No interpreter" in declined["Subject"]
    assert "too short notice" in smtp.text(declined)


async def test_the_interpreter_partner_hears_that_a_request_was_withdrawn(
    services, smtp, amqp_connection
):
    """Issue 18 item 4: a withdrawn request (a meeting moved or called off, the participant
    or the referral gone) reaches the interpreter partner; before, no rule or template
    existed and the event was dead-lettered as unexpected."""
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    async with world.client(runtime) as http:
        response = await http.put(
            f"/directory/partner/{INTERPRETERS}",
            json={"email": "planning@tolken.test", "language": "en"},
        )
        assert response.status_code == 200, response.text
    base = world.agreement()
    assignments = [a.model_dump() for a in base.assignments]
    assignments.append({"task": "interpreter", "partner_id": INTERPRETERS})
    await feed.publish(world.agreement(assignments=assignments))
    await feed.all_handled(runtime)
    ref = await world.programme_with_participant(feed, runtime)

    await feed.publish(
        world.event(
            support.InterpreterWithdrawn,
            ref,
            request_id=uuid.uuid4(),
            partner_id=INTERPRETERS,
            appointment="referral_intake",
            referral_id=uuid.uuid4(),
            starts_at=STARTS,
            reason="referral_withdrawn",
            was_confirmed=True,
        )
    )
    await wait_for(lambda: smtp.to("planning@tolken.test"), what="mail to the interpreter partner")
    [withdrawn] = smtp.to("planning@tolken.test")
    assert "Interpreter no longer needed" in withdrawn["Subject"]
    text = smtp.text(withdrawn)
    assert "the referral's intake" in text and "the referral was withdrawn" in text
    assert "please release them" in text


async def test_a_withdrawal_for_a_changed_partner_reaches_the_partner_asked_not_the_new_one(
    services, smtp, amqp_connection
):
    """Issue 17: a request withdrawn because the task division now names another
    interpreter partner (``partner_changed``) is mailed to the partner the event names (the
    one asked before); before, the matrix's ``responsible_partner`` named the partner of
    the agreement in force, so the new partner got it and the one asked never heard."""
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    newcomer = "tolkenhuis"
    async with world.client(runtime) as http:
        for partner_id, email in ((INTERPRETERS, "planning@tolken.test"),
                                  (newcomer, "rooster@tolkenhuis.test")):  # fmt: skip
            response = await http.put(
                f"/directory/partner/{partner_id}", json={"email": email, "language": "en"}
            )
            assert response.status_code == 200, response.text
    base = world.agreement()
    assignments = [a.model_dump() for a in base.assignments]
    assignments.append({"task": "interpreter", "partner_id": newcomer})
    await feed.publish(world.agreement(assignments=assignments))
    await feed.all_handled(runtime)
    ref = await world.programme_with_participant(feed, runtime)

    await feed.publish(
        world.event(
            support.InterpreterWithdrawn,
            ref,
            request_id=uuid.uuid4(),
            partner_id=INTERPRETERS,
            appointment="progress_meeting",
            meeting_number=1,
            starts_at=STARTS,
            reason="partner_changed",
            was_confirmed=False,
        )
    )
    await wait_for(lambda: smtp.to("planning@tolken.test"), what="mail to the partner asked")
    await feed.all_handled(runtime)
    [withdrawn] = smtp.to("planning@tolken.test")
    assert "Interpreter no longer needed" in withdrawn["Subject"]
    assert smtp.to("rooster@tolkenhuis.test") == []
