"""Delivery for real: SMTP and webhook failures, retries on durable timers, 410 and 429,
the signature a receiver verifies, the operator's alert and the re-send."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from zroute_contract.events import intake, planning
from zroute_notifications.domain.delivery import verify
from zroute_runtime.auth import Role

from tests.helpers import capture, wait_for
from tests.notifications import world

FAILED = "nl.zroute.notifications.notification-failed.v1"
SENT = "nl.zroute.notifications.notification-sent.v1"
PLACEMENT = "nl.zroute.planning.placement-requested.v1"


async def _setup(services, smtp, amqp_connection):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    return runtime, seen, feed, ref


async def _subscribe(runtime, webhooks, path: str, partner_id: str = world.WORKPLACES):
    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id=partner_id) as http:
        response = await http.post(
            "/subscriptions",
            json={
                "url": webhooks.base_url + path,
                "bearer_token": "receiver-token-0123456789",
                "event_types": [PLACEMENT],
            },
        )
    assert response.status_code == 201, response.text
    return response.json()


async def _email_row(runtime, event_id, *, attempts):
    """The e-mail notification of ``event_id`` once ``attempts`` attempts are committed."""
    rows = [r for r in await world.notifications(runtime, event_id) if r["channel"] == "email"]
    return rows[0] if len(rows) == 1 and rows[0]["attempts"] == attempts else None


def _failed_for(seen, event_id):
    return [e["data"] for e in seen.of_type(FAILED) if event_id in e["data"]["event_ids"]]


async def test_a_failing_smtp_server_leads_to_retries_then_notification_failed_and_a_resend(
    services, smtp, amqp_connection
):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    await wait_for(lambda: smtp.to("anna@lead.test"), what="the contact person's first mail")
    smtp.fail_with = "451 4.3.0 Try again later"
    before = smtp.attempts
    event_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    await wait_for(lambda: smtp.attempts == before + 1, what="the first attempt")
    # The SMTP server sees the attempt before the service commits its outcome: wait on the row.
    row = await wait_for(
        lambda: _email_row(runtime, event_id, attempts=1), what="the first attempt recorded"
    )
    assert row["status"] == "pending"

    await runtime.advance_clock(timedelta(seconds=59))
    assert smtp.attempts == before + 1  # the retry waits for its delay
    await runtime.advance_clock(timedelta(seconds=1))
    await wait_for(lambda: smtp.attempts == before + 2, what="the second attempt")
    await runtime.advance_clock(timedelta(seconds=120))
    await wait_for(lambda: smtp.attempts == before + 3, what="the third attempt")
    [failed] = await wait_for(lambda: _failed_for(seen, event_id), what="notification-failed")
    assert failed["reason"] == "smtp_unavailable"
    assert failed["attempts"] == 3 and failed["retriable"] is True
    assert failed["recipient"] == {
        "role": "contact_person",
        "partner_id": world.LEAD,
        "staff_ref": world.COACH,
        "subscription_id": None,
    }

    async with world.client(runtime, [Role.OPERATOR]) as http:
        alerts = (await http.get("/inbox/operator/operator")).json()
        assert len(alerts) == 1 and world.COACH in alerts[0]["subject"]
        smtp.fail_with = None
        response = await http.post(f"/notifications/{row['id']}/retry")
        assert response.status_code == 202, response.text
        await wait_for(
            lambda: any("Intake" in m["Subject"] for m in smtp.to("anna@lead.test")),
            what="the re-sent mail",
        )

        async def settled():
            state = (await http.get(f"/notifications/{row['id']}")).json()
            return state if state["status"] != "pending" else None

        again = await wait_for(settled, what="the re-send recorded")
        assert again["status"] == "sent" and again["attempts"] == 4
        assert (await http.post(f"/notifications/{row['id']}/retry")).status_code == 409


async def test_a_webhook_answering_500_is_retried_then_fails_and_the_operator_is_alerted_once(
    services, smtp, amqp_connection, webhooks
):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    await _subscribe(runtime, webhooks, "/down")
    webhooks.script["/down"] = [(500, {})]
    first = await feed.publish(world.event(planning.PlacementRequested, ref))
    second = await feed.publish(world.event(planning.PlacementRequested, ref))
    await wait_for(lambda: len(webhooks.at("/down")) == 2, what="two first attempts")
    await runtime.advance_clock(timedelta(seconds=60))
    await wait_for(lambda: len(webhooks.at("/down")) == 4, what="the second attempts")
    await runtime.advance_clock(timedelta(seconds=120))
    await wait_for(lambda: len(webhooks.at("/down")) == 6, what="three attempts each")
    for event_id in (first, second):
        [failed] = await wait_for(lambda e=event_id: _failed_for(seen, e), what="failed")
        assert failed["reason"] == "webhook_unavailable" and failed["channel"] == "webhook"
        assert failed["attempts"] == 3
    async with world.client(runtime, [Role.OPERATOR]) as http:
        alerts = (await http.get("/inbox/operator/operator")).json()
    assert len(alerts) == 1  # once per subscriber per day, not per message


async def test_410_gone_ends_the_subscription(services, smtp, amqp_connection, webhooks):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    sub = await _subscribe(runtime, webhooks, "/gone")
    webhooks.script["/gone"] = [(410, {})]
    event_id = await feed.publish(world.event(planning.PlacementRequested, ref))
    [failed] = await wait_for(lambda: _failed_for(seen, event_id), what="failed")
    assert failed["reason"] == "webhook_gone" and failed["retriable"] is False
    async with world.client(runtime, [Role.COORDINATOR]) as http:
        state = (await http.get(f"/subscriptions/{sub['id']}")).json()
    assert state["active"] is False and state["ended_reason"] == "gone"
    later = await feed.publish(world.event(planning.PlacementRequested, ref))
    await wait_for(
        lambda: [s for s in seen.of_type(SENT) if later in s["data"]["event_ids"]],
        what="the next event's e-mail",
    )
    assert len(webhooks.at("/gone")) == 1
    assert not [r for r in await world.notifications(runtime, later) if r["channel"] == "webhook"]


async def test_429_honours_retry_after_and_the_signature_verifies(
    services, smtp, amqp_connection, webhooks
):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    sub = await _subscribe(runtime, webhooks, "/busy")
    webhooks.script["/busy"] = [(429, {"Retry-After": "300"}), (204, {})]
    event_id = await feed.publish(world.event(planning.PlacementRequested, ref))
    await wait_for(lambda: len(webhooks.at("/busy")) == 1, what="the first attempt")
    await runtime.advance_clock(timedelta(seconds=120))  # past the policy's 60 s
    assert len(webhooks.at("/busy")) == 1
    await runtime.advance_clock(timedelta(seconds=180))
    await wait_for(lambda: len(webhooks.at("/busy")) == 2, what="the attempt after Retry-After")
    await wait_for(
        lambda: [
            s
            for s in seen.of_type(SENT)
            if event_id in s["data"]["event_ids"] and s["data"]["channel"] == "webhook"
        ],
        what="notification-sent",
    )

    request = webhooks.at("/busy")[-1]
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["authorization"] == "Bearer receiver-token-0123456789"
    assert headers["content-type"].startswith("application/cloudevents+json")
    assert verify(
        sub["signing_secret"],
        headers["zroute-timestamp"],
        request.body,
        headers["zroute-signature"],
        now=int(time.time()),
    )
    assert not verify(
        sub["signing_secret"],
        headers["zroute-timestamp"],
        request.body + b" ",
        headers["zroute-signature"],
        now=int(time.time()),
    )
    assert not verify(
        sub["signing_secret"],
        headers["zroute-timestamp"],
        request.body,
        headers["zroute-signature"],
        now=int(time.time()) + 3600,
    )  # a replay
    cloud_event = json.loads(request.body)
    assert cloud_event["id"] == event_id and cloud_event["type"] == PLACEMENT
    assert cloud_event["subject"] == ref


async def test_a_withdrawn_right_is_checked_at_send_time(services, smtp, amqp_connection, webhooks):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    await _subscribe(runtime, webhooks, "/late")
    webhooks.script["/late"] = [(429, {"Retry-After": "60"}), (204, {})]
    event_id = await feed.publish(world.event(planning.PlacementRequested, ref))
    await wait_for(lambda: len(webhooks.at("/late")) == 1, what="the first attempt")
    # The partner leaves the programme before the retry.
    await feed.publish(
        world.agreement(
            version=2,
            assignments=[
                {"task": "participation_placement", "partner_id": world.LEAD},
            ],
        )
    )
    await wait_for(
        lambda: runtime.pool.fetchval("SELECT count(*) = 2 FROM nt_agreements"),
        what="the new agreement",
    )
    await runtime.advance_clock(timedelta(seconds=60))
    [failed] = await wait_for(
        lambda: (
            _failed_for(seen, event_id)
            and [f for f in _failed_for(seen, event_id) if f["channel"] == "webhook"]
        ),
        what="failed",
    )
    assert failed["reason"] == "not_authorised"
    assert len(webhooks.at("/late")) == 1


async def test_a_daily_digest_gathers_the_days_events(services, smtp, amqp_connection):
    runtime, seen, feed, ref = await _setup(services, smtp, amqp_connection)
    ids = [
        await feed.publish(world.event(intake.IntakeCompleted, ref)),
        await feed.publish(world.event(planning.PlanActivated, ref)),
        await feed.publish(world.event(planning.FollowUpAgreed, ref)),
    ]
    await wait_for(
        lambda: runtime.pool.fetchval(
            "SELECT count(*) = 3 FROM nt_digest_items WHERE recipient_ref = $1 AND channel = 'email'",
            world.LEAD,
        ),
        what="three digest items for the lead partner",
    )

    def digests():
        return [m for m in smtp.to("office@lead.test") if m["Subject"].startswith("Overzicht:")]

    await runtime.advance_clock(timedelta(hours=12))
    assert not digests()  # not before the next morning
    await runtime.advance_clock(timedelta(hours=12))
    [digest] = await wait_for(digests, what="the digest")
    assert digest["Subject"] == "Overzicht: 3 berichten"
    text = smtp.text(digest)
    for heading in ("Intake afgerond", "Plan gestart", "Vervolg afgesproken"):
        assert heading in text

    def digest_sent():
        return [
            s["data"]
            for s in seen.of_type(SENT)
            if s["data"]["timing"] == "daily_digest"
            and s["data"]["channel"] == "email"
            and s["data"]["recipient"]["partner_id"] == world.LEAD
        ]

    [sent] = await wait_for(digest_sent, what="notification-sent of the digest")
    assert sorted(sent["event_ids"]) == sorted(ids)


async def test_an_integrators_subscription_filters_on_type_and_participant(
    services, smtp, amqp_connection, webhooks
):
    runtime, _seen, feed, ref = await _setup(services, smtp, amqp_connection)
    other = await world.programme_with_participant(feed, runtime)
    async with world.client(runtime, [Role.COORDINATOR]) as http:
        response = await http.post(
            "/subscriptions",
            json={
                "url": webhooks.base_url + "/case-system",
                "bearer_token": "case-system-token-0123",
                "event_types": ["nl.zroute.intake.participant-withdrawn.v1"],
                "participant_refs": [ref],
            },
        )
    assert response.status_code == 201 and response.json()["partner_id"] is None
    skipped = await feed.publish(world.event(intake.ParticipantWithdrawn, other))
    wanted = await feed.publish(world.event(intake.ParticipantWithdrawn, ref))
    await wait_for(lambda: webhooks.at("/case-system"), what="the integrator's delivery")
    await feed.all_handled(runtime)
    assert [r.json()["id"] for r in webhooks.at("/case-system")] == [wanted]
    [row] = [r for r in await world.notifications(runtime, wanted) if r["channel"] == "webhook"]
    assert row["role"] == "subscriber" and row["recipient_kind"] == "subscription"
    assert not [r for r in await world.notifications(runtime, skipped) if r["channel"] == "webhook"]
