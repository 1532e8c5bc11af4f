"""``/subscriptions``: webhook subscriptions (NL GOV CloudEvents webhooks); the rules are
the service layer's (``handlers.subscriptions``, ``scope.may_manage``)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from zroute_runtime.commands import refusals
from zroute_runtime.http_host import Runtime

from zroute_notifications.domain.commands import EndSubscription, Subscribe
from zroute_notifications.entrypoints.http.deps import Anyone, NotificationsDeps, reading, run
from zroute_notifications.entrypoints.http.schemas import (
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)
from zroute_notifications.service_layer import scope, views
from zroute_notifications.service_layer.handlers import subscriptions

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])


@router.post("", status_code=201)
async def subscribe(
    body: SubscriptionIn,
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    deps: NotificationsDeps,
) -> SubscriptionCreated:
    """Subscribe a webhook endpoint. The endpoint is asked for its consent first (the
    validation handshake, ``OPTIONS`` with ``WebHook-Request-Origin``); without it the
    answer is 422 with the reason and nothing is stored."""
    partner_id = subscriptions.subscriber_partner(principal, body.partner_id)
    async with reading(runtime, request) as uow:
        await scope.may_manage(uow, principal, partner_id)
    command = Subscribe(
        partner_id=partner_id,
        url=str(body.url),
        bearer_token=body.bearer_token,
        event_types=tuple(body.event_types),
        participant_refs=None if body.participant_refs is None else tuple(body.participant_refs),
    )
    with refusals():
        subscriptions.check_request(body.event_types, body.participant_refs)
        # Asked outside any transaction: the endpoint may take its time to answer.
        consent = await subscriptions.ask_consent(deps, str(body.url))
    row, signing_secret = await run(
        runtime,
        request,
        lambda uow: subscriptions.subscribe(uow, deps, command, consent),
    )
    return SubscriptionCreated(
        **SubscriptionOut.of(row).model_dump(), signing_secret=signing_secret
    )


@router.get("")
async def list_subscriptions(
    principal: Anyone, runtime: Runtime, request: Request
) -> list[SubscriptionOut]:
    async with reading(runtime, request) as uow:
        rows = await views.subscriptions(uow, principal)
    return [SubscriptionOut.of(r) for r in rows]


@router.get("/{subscription_id}")
async def read_subscription(
    subscription_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> SubscriptionOut:
    async with reading(runtime, request) as uow:
        row = await views.subscription(uow, principal, subscription_id)
    return SubscriptionOut.of(row)


@router.delete("/{subscription_id}", status_code=204)
async def end_subscription(
    subscription_id: UUID, principal: Anyone, runtime: Runtime, request: Request
) -> None:
    await run(
        runtime,
        request,
        lambda uow: subscriptions.end(uow, principal, EndSubscription(subscription_id)),
    )
