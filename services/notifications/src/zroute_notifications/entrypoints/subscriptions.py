"""``/subscriptions``: webhook subscriptions (NL GOV CloudEvents webhooks).

Partner staff manage their own partner's subscriptions; coordinators and operators
any, including those of integrators (no partner). A subscription exists only once its
endpoint consented in the validation handshake; the signing secret is returned once.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException
from zroute_contract import event_types
from zroute_contract.types import is_participant_ref
from zroute_runtime.auth import Principal, Role, ensure_partner_access
from zroute_runtime.http_host import Runtime

from zroute_notifications.adapters import directory
from zroute_notifications.domain import handshake
from zroute_notifications.entrypoints import scope
from zroute_notifications.entrypoints.deps import Anyone
from zroute_notifications.entrypoints.schemas import (
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)
from zroute_notifications.service_layer.deps import Deps


async def _may_manage(conn, principal, partner_id: str | None) -> None:
    if partner_id is None:
        if not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR):
            raise HTTPException(403, "only coordinators and operators manage integrators")
        if principal.municipality_scope() is not None:
            # An integrator's subscription may receive every municipality's events.
            raise HTTPException(403, "integrators serve every municipality: not yours to manage")
        return
    ensure_partner_access(principal, partner_id)
    await scope.ensure_recipient(conn, principal, "partner", partner_id)


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/subscriptions", tags=["subscriptions"])

    @api.post("", status_code=201)
    async def subscribe(
        body: SubscriptionIn, principal: Anyone, runtime: Runtime
    ) -> SubscriptionCreated:
        """Subscribe a webhook endpoint. The endpoint is asked for its consent first (the
        validation handshake, ``OPTIONS`` with ``WebHook-Request-Origin``); without it the
        answer is 422 with the reason and nothing is stored."""
        partner_id = body.partner_id
        if (
            partner_id is None
            and Role.PARTNER_STAFF in principal.roles
            and not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR)
        ):
            partner_id = principal.partner_id
        async with runtime.pool.acquire() as conn:
            await _may_manage(conn, principal, partner_id)
        known = event_types()
        unknown = [
            t
            for t in body.event_types
            if t not in known or "notifications" not in known[t].spec.consumers
        ]
        if unknown:
            raise HTTPException(422, f"event types this service does not receive: {unknown}")
        refs = body.participant_refs
        if refs is not None and not all(is_participant_ref(r) for r in refs):
            raise HTTPException(422, "participant_refs must be participant references")
        consent = await deps.webhooks.validate(str(body.url))
        if isinstance(consent, handshake.Refused):
            raise HTTPException(422, consent.reason)
        now = runtime.clock.now()
        subscription_id, signing_secret = uuid.uuid4(), secrets.token_urlsafe(32)
        box = deps.webhooks.box  # stored encrypted, returned once in the clear
        values = {
            "id": subscription_id,
            "partner_id": partner_id,
            "url": str(body.url),
            "bearer_token": box.seal(subscription_id, "bearer_token", body.bearer_token),
            "signing_secret": box.seal(subscription_id, "signing_secret", signing_secret),
            "event_types": sorted(set(body.event_types)),
            "participant_refs": refs,
            "created_at": now,
            "validated_at": now,
            "allowed_rate": consent.rate,
        }
        async with runtime.pool.acquire() as conn:
            await directory.add_subscription(conn, **values)
            row = await directory.subscription(conn, values["id"])
        return SubscriptionCreated(
            **SubscriptionOut.of(row).model_dump(), signing_secret=signing_secret
        )

    @api.get("")
    async def list_subscriptions(principal: Anyone, runtime: Runtime) -> list[SubscriptionOut]:
        async with runtime.pool.acquire() as conn:
            rows = await visible_subscriptions(conn, principal)
        return [SubscriptionOut.of(r) for r in rows]

    @api.get("/{subscription_id}")
    async def read_subscription(
        subscription_id: UUID, principal: Anyone, runtime: Runtime
    ) -> SubscriptionOut:
        async with runtime.pool.acquire() as conn:
            row = await directory.subscription(conn, subscription_id)
            if row is None:
                raise HTTPException(404, "no such subscription")
            await _may_manage(conn, principal, row["partner_id"])
        return SubscriptionOut.of(row)

    @api.delete("/{subscription_id}", status_code=204)
    async def end_subscription(subscription_id: UUID, principal: Anyone, runtime: Runtime) -> None:
        async with runtime.pool.acquire() as conn:
            row = await directory.subscription(conn, subscription_id)
            if row is None:
                raise HTTPException(404, "no such subscription")
            await _may_manage(conn, principal, row["partner_id"])
            await directory.end_subscription(
                conn, subscription_id, "cancelled", runtime.clock.now()
            )

    return api


async def visible_subscriptions(conn: Any, principal: Principal) -> list[Any]:
    """The subscriptions a caller may see (the API's list and the screens alike): a
    partner's staff their partner's, coordinators and operators all, those limited to a
    municipality the partners they may reach; 403 for partner staff without a partner."""
    managers = principal.has_any_role(Role.COORDINATOR, Role.OPERATOR)
    own = None if managers else principal.partner_id
    if own is None and not managers:
        raise HTTPException(403, "no partner in the token")
    rows = await directory.list_subscriptions(conn, own)
    if principal.municipality_scope() is not None:
        rows = [
            r
            for r in rows
            if r["partner_id"] is not None
            and await scope.may_reach_recipient(conn, principal, "partner", r["partner_id"])
        ]
    return list(rows)
