"""The webhook subscriptions' commands (NL GOV CloudEvents webhooks).

Partner staff manage their own partner's subscriptions; coordinators and operators any,
including those of integrators (no partner). A subscription exists only once its endpoint
consented in the validation handshake; the signing secret is returned once.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from zroute_contract import event_types
from zroute_contract.types import is_participant_ref
from zroute_runtime.auth import Principal, Role
from zroute_runtime.logging import get_logger

from zroute_notifications.domain import handshake
from zroute_notifications.domain.commands import EndSubscription, Subscribe
from zroute_notifications.domain.errors import NotFound, NotSubscribable
from zroute_notifications.service_layer import scope
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


def subscriber_partner(principal: Principal, partner_id: str | None) -> str | None:
    """The partner a subscription is for: the one named, else a partner's staff's own."""
    if (
        partner_id is None
        and Role.PARTNER_STAFF in principal.roles
        and not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR)
    ):
        return principal.partner_id
    return partner_id


def check_request(types: Sequence[str], participant_refs: Sequence[str] | None) -> None:
    """NotSubscribable for event types this service does not receive, or references that
    are not participant references."""
    known = event_types()
    unknown = [t for t in types if t not in known or "notifications" not in known[t].spec.consumers]
    if unknown:
        raise NotSubscribable(f"event types this service does not receive: {unknown}")
    if participant_refs is not None and not all(is_participant_ref(r) for r in participant_refs):
        raise NotSubscribable("participant_refs must be participant references")


async def ask_consent(deps: Deps, url: str) -> handshake.Granted:
    """The endpoint's consent in the validation handshake (``OPTIONS`` with
    ``WebHook-Request-Origin``); NotSubscribable with its reason without it."""
    consent = await deps.webhooks.validate(url)
    if isinstance(consent, handshake.Refused):
        raise NotSubscribable(consent.reason)
    return consent


async def subscribe(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    command: Subscribe,
    consent: handshake.Granted,
) -> tuple[Any, str]:
    """Store a consented subscription; returns its row and the signing secret (stored
    sealed, returned once in the clear)."""
    now = uow.clock.now()
    subscription_id, signing_secret = uuid.uuid4(), secrets.token_urlsafe(32)
    box = deps.webhooks.box
    await uow.directory.add_subscription(
        id=subscription_id,
        partner_id=command.partner_id,
        url=command.url,
        bearer_token=box.seal(subscription_id, "bearer_token", command.bearer_token),
        signing_secret=box.seal(subscription_id, "signing_secret", signing_secret),
        event_types=sorted(set(command.event_types)),
        participant_refs=(
            None if command.participant_refs is None else list(command.participant_refs)
        ),
        created_at=now,
        validated_at=now,
        allowed_rate=consent.rate,
    )
    log.info(
        "subscription_added", subscription_id=str(subscription_id), partner_id=command.partner_id
    )
    return await uow.directory.subscription(subscription_id), signing_secret


async def end(uow: NotificationsUnitOfWork, principal: Principal, command: EndSubscription) -> None:
    """End a subscription the caller manages (cancelled); NotFound when unknown."""
    subscription_id = command.subscription_id
    row = await uow.directory.subscription(subscription_id)
    if row is None:
        raise NotFound("no such subscription")
    await scope.may_manage(uow, principal, row["partner_id"])
    await uow.directory.end_subscription(subscription_id, "cancelled", uow.clock.now())
    log.info("subscription_ended", subscription_id=str(subscription_id))
