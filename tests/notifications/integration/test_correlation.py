"""The caller's ``X-Correlation-ID`` and trace context reach the events a notifications
command causes: a resend's attempt ends in ``notification-sent`` carrying them (the shared
HTTP command path, ``zroute_runtime.commands``, and the delivery timer that continues it)."""

from __future__ import annotations

from zroute_contract.events import intake
from zroute_runtime.auth import Role

from tests.helpers import capture, wait_for
from tests.notifications import world

FAILED = "nl.zroute.notifications.notification-failed.v1"
SENT = "nl.zroute.notifications.notification-sent.v1"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _email_to_coach(seen, event_type, event_id):
    return [
        e
        for e in seen.of_type(event_type)
        if event_id in e["data"]["event_ids"]
        and e["data"]["channel"] == "email"
        and e["data"]["recipient"]["staff_ref"] == world.COACH
    ]


async def test_a_resend_keeps_the_callers_correlation_id_in_the_event_it_causes(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    await wait_for(lambda: smtp.to("anna@lead.test"), what="the contact person's first mail")
    smtp.fail_with = "550 5.1.1 Mailbox unavailable"  # refused for good: failed at once
    event_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    [failed] = await wait_for(
        lambda: _email_to_coach(seen, FAILED, event_id), what="the refused mail's failure"
    )
    notification_id = failed["data"]["notification_id"]
    smtp.fail_with = None

    async with world.client(runtime, [Role.OPERATOR]) as http:
        response = await http.post(
            f"/notifications/{notification_id}/retry",
            headers={"X-Correlation-ID": "case-notifications-4711", "traceparent": TRACEPARENT},
        )
    assert response.status_code == 202, response.text
    [sent] = await wait_for(
        lambda: _email_to_coach(seen, SENT, event_id), what="the re-sent mail's outcome"
    )
    assert sent["data"]["notification_id"] == notification_id
    assert sent["correlationid"] == "case-notifications-4711"
    assert sent["traceparent"] == TRACEPARENT
    # The failure before the resend was no command of this caller's: another correlation.
    assert failed["correlationid"] != "case-notifications-4711"


async def test_a_refused_resend_is_a_409_in_the_error_shape(services, smtp, amqp_connection):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    event_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    [sent] = await wait_for(lambda: _email_to_coach(seen, SENT, event_id), what="the mail sent")
    async with world.client(runtime, [Role.OPERATOR]) as http:
        response = await http.post(
            f"/notifications/{sent['data']['notification_id']}/retry",
            headers={"X-Correlation-ID": "case-notifications-4712"},
        )
    assert response.status_code == 409
    assert set(response.json()) == {"error", "detail"}
    assert "not failed" in response.text
