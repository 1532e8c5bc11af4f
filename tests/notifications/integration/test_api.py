"""The HTTP API (OpenAPI): the matrix, the directory and its seed, subscriptions, auth;
and the timing rules the API shows: reminders and a withdrawn consent."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx
from zroute_contract.events import intake, planning, support
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.notifications import world

FAILED = "nl.zroute.notifications.notification-failed.v1"


async def test_the_api_is_documented_and_closed_to_strangers(services, smtp, webhooks, tmp_path):
    seed = tmp_path / "directory.json"
    seed.write_text(
        json.dumps({"partner": {"demo-partner": {"email": "demo@partner.test", "language": "en"}}})
    )
    runtime = await world.start(services, smtp.port, directory_seed_path=seed)
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base) as anonymous:
        assert (await anonymous.get("/openapi.json")).status_code == 401
        staff = {"Authorization": f"Bearer {token([Role.OPERATOR])}"}
        paths = (await anonymous.get("/openapi.json", headers=staff)).json()["paths"]
        for path in (
            "/matrix",
            "/inbox/{kind}/{ref}",
            "/notifications/{notification_id}/retry",
            "/directory/{kind}/{ref}",
            "/subscriptions",
            "/programmes/{programme_id}/overview",
        ):
            assert path in paths
        assert (await anonymous.get("/matrix")).status_code == 401
    async with world.client(runtime, [Role.CASEWORKER]) as http:
        matrix = (await http.get("/matrix")).json()
        assert {r["event"] for r in matrix["rules"]} >= {"nl.zroute.support.referral-escalated.v1"}
        assert (await http.put("/directory/staff/x1", json={"email": "a@b.c"})).status_code == 403
    async with world.client(runtime, [Role.COORDINATOR]) as http:
        bad = await http.put("/directory/staff/anna", json={"email": "not an address"})
        assert bad.status_code == 422
        assert "not an address" not in bad.text  # input is not echoed
        assert (
            await http.put("/directory/staff/anna", json={"email": "anna@x.test", "language": "en"})
        ).status_code == 200
        listed = {(a["kind"], a["ref"], a["source"]) for a in (await http.get("/directory")).json()}
        assert listed == {("staff", "anna", "api"), ("partner", "demo-partner", "seed")}
        unknown = await http.post(
            "/subscriptions",
            json={
                "url": "http://127.0.0.1:9/x",
                "bearer_token": "t" * 20,
                "event_types": ["nl.zroute.planning.no-such.v1"],
            },
        )
        assert unknown.status_code == 422
    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id=world.SCHOOL) as http:
        other = await http.post(
            "/subscriptions",
            json={
                "url": "http://127.0.0.1:9/x",
                "bearer_token": "t" * 20,
                "partner_id": world.CARE,
                "event_types": ["nl.zroute.planning.plan-paused.v1"],
            },
        )
        assert other.status_code == 403
        own = await http.post(
            "/subscriptions",
            json={
                "url": webhooks.base_url + "/school",
                "bearer_token": "t" * 20,
                "event_types": ["nl.zroute.planning.plan-paused.v1"],
            },
        )
        assert own.status_code == 201 and own.json()["partner_id"] == world.SCHOOL
        assert [s["id"] for s in (await http.get("/subscriptions")).json()] == [own.json()["id"]]
        assert (await http.delete(f"/subscriptions/{own.json()['id']}")).status_code == 204


async def test_a_reminder_goes_out_the_configured_days_before_the_deadline(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    # agree_by in 10 days; the matrix reminds the contact person 7 days before, at 08:00
    await feed.publish(world.event(planning.FollowUpDue, ref, agree_by=world.DAY + timedelta(10)))

    def follow_ups():
        return [m for m in smtp.to("anna@lead.test") if "follow-up" in m["Subject"]]

    await wait_for(lambda: len(follow_ups()) == 1, what="the immediate message")
    await runtime.advance_clock(timedelta(days=2))
    assert len(follow_ups()) == 1
    await runtime.advance_clock(timedelta(days=1))
    await wait_for(lambda: len(follow_ups()) == 2, what="the reminder")


async def test_a_withdrawn_consent_stops_pending_messages_about_what_it_covered(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    smtp.fail_with = "451 4.3.0 Try again later"
    consent = uuid.uuid4()
    event_id = await feed.publish(
        world.event(support.ReferralRequested, ref, partner_id=world.CARE, consent_id=consent)
    )
    await wait_for(lambda: smtp.attempts >= 1, what="a first attempt")
    await feed.publish(
        world.event(intake.ConsentWithdrawn, ref, consent_id=consent, purpose="care_referral")
    )

    def stopped():
        return [
            e["data"]
            for e in seen.of_type(FAILED)
            if event_id in e["data"]["event_ids"] and e["data"]["channel"] == "email"
        ]

    [failed] = await wait_for(stopped, what="the pending mail stopped")
    assert failed["reason"] == "not_authorised" and failed["retriable"] is False
    smtp.fail_with = None
    await runtime.advance_clock(timedelta(minutes=5))
    assert not smtp.to("intake@care.test")
