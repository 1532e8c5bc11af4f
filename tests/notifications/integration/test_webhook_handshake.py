"""The webhook validation handshake (CloudEvents webhook abuse protection, adopted by the
NL GOV guideline): no subscription without the endpoint's consent, the origin on every
delivery, and a granted rate that paces deliveries."""

from __future__ import annotations

from datetime import timedelta

from zroute_contract.events import planning
from zroute_runtime.auth import Role

from tests.helpers import capture, free_port, wait_for
from tests.notifications import world

ORIGIN = "notifications.gemeente.test"
PLACEMENT = "nl.zroute.planning.placement-requested.v1"
SENT = "nl.zroute.notifications.notification-sent.v1"


async def _start(services, smtp):
    return await world.start(services, smtp.port, webhook_origin=ORIGIN)


async def _subscribe(runtime, url: str):
    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id=world.WORKPLACES) as http:
        return await http.post(
            "/subscriptions",
            json={
                "url": url,
                "bearer_token": "receiver-token-0123456789",
                "event_types": [PLACEMENT],
            },
        )


async def _subscriptions(runtime) -> list[dict]:
    async with world.client(runtime, [Role.COORDINATOR]) as http:
        return (await http.get("/subscriptions")).json()


async def test_an_endpoint_that_does_not_consent_gets_no_subscription(services, smtp, webhooks):
    runtime = await _start(services, smtp)
    webhooks.consent["/no-options"] = (405, {})
    webhooks.consent["/silent"] = (200, {})
    webhooks.consent["/other"] = (200, {"WebHook-Allowed-Origin": "someone-else.test"})
    webhooks.consent["/bad-rate"] = (
        200,
        {"WebHook-Allowed-Origin": ORIGIN, "WebHook-Allowed-Rate": "lots"},
    )
    cases = ["/no-options", "/silent", "/other", "/bad-rate"]
    answers = set()
    for path in cases:
        response = await _subscribe(runtime, webhooks.base_url + path)
        assert response.status_code == 422, (path, response.text)
        answers.add(response.text)
    unreachable = await _subscribe(runtime, f"http://127.0.0.1:{free_port()}/nobody")
    assert unreachable.status_code == 422
    # One neutral sentence for every refusal: the answer tells nothing about the target.
    assert answers == {unreachable.text}
    assert "did not accept the validation request" in unreachable.text

    asked = {v.path: {k.lower(): x for k, x in v.headers.items()} for v in webhooks.validations}
    assert set(asked) == set(cases)
    assert {h["webhook-request-origin"] for h in asked.values()} == {ORIGIN}
    assert not webhooks.requests  # nothing was POSTed to an endpoint that did not consent
    assert await _subscriptions(runtime) == []  # and nothing was stored


async def test_a_consenting_endpoint_gets_events_with_the_origin_on_every_delivery(
    services, smtp, amqp_connection, webhooks
):
    runtime = await _start(services, smtp)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    webhooks.consent["/crm"] = (200, {"WebHook-Allowed-Origin": "*"})  # any origin, no rate

    response = await _subscribe(runtime, webhooks.base_url + "/crm")
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["validated_at"] is not None and created["allowed_rate"] is None
    [validation] = webhooks.validations
    assert validation.headers["WebHook-Request-Origin"] == ORIGIN

    event_id = await feed.publish(world.event(planning.PlacementRequested, ref))
    [delivery] = await wait_for(lambda: webhooks.at("/crm"), what="the delivery")
    assert delivery.json()["id"] == event_id
    assert delivery.headers["WebHook-Request-Origin"] == ORIGIN


async def test_a_granted_rate_spaces_the_deliveries_without_counting_attempts(
    services, smtp, amqp_connection, webhooks
):
    runtime = await _start(services, smtp)
    seen = await capture(amqp_connection, runtime.topology.exchange, "notifications.#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = await world.programme_with_participant(feed, runtime)
    webhooks.consent["/slow"] = (
        200,
        {"WebHook-Allowed-Origin": ORIGIN, "WebHook-Allowed-Rate": "2"},  # one per 30 s
    )
    response = await _subscribe(runtime, webhooks.base_url + "/slow")
    assert response.status_code == 201, response.text
    assert response.json()["allowed_rate"] == 2

    ids = [await feed.publish(world.event(planning.PlacementRequested, ref)) for _ in range(3)]
    await feed.all_handled(runtime)

    async def held_back(count: int) -> bool:
        """``count`` webhook messages wait for a later slot (their timer was moved)."""
        rows = await runtime.pool.fetch(
            "SELECT n.status, n.due_at FROM nt_notifications n"
            " WHERE n.channel = 'webhook' AND n.event_ids && $1::uuid[]",
            ids,
        )
        now = runtime.clock.now()
        return sum(r["status"] == "pending" and r["due_at"] > now for r in rows) == count

    await wait_for(lambda: len(webhooks.at("/slow")) == 1, what="the first delivery")
    await wait_for(lambda: held_back(2), what="two deliveries held back")
    assert len(webhooks.at("/slow")) == 1
    await runtime.advance_clock(timedelta(seconds=29))
    assert len(webhooks.at("/slow")) == 1  # not before the slot
    await runtime.advance_clock(timedelta(seconds=1))
    await wait_for(lambda: len(webhooks.at("/slow")) == 2, what="the second delivery")
    await wait_for(lambda: held_back(1), what="the third held back")
    await runtime.advance_clock(timedelta(seconds=30))
    await wait_for(lambda: len(webhooks.at("/slow")) == 3, what="the third delivery")

    assert sorted(r.json()["id"] for r in webhooks.at("/slow")) == sorted(ids)

    def sent() -> list[dict]:
        return [
            e["data"]
            for e in seen.of_type(SENT)
            if e["data"]["channel"] == "webhook" and set(e["data"]["event_ids"]) & set(ids)
        ]

    done = await wait_for(lambda: len(sent()) == 3 and sent(), what="three notification-sent")
    assert [d["attempts"] for d in done] == [1, 1, 1]  # waiting for a slot is no attempt
