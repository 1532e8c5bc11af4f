"""Webhook delivery following the NL GOV guideline for CloudEvents webhooks.

A subscription's endpoint is first asked for its consent (the validation handshake,
``OPTIONS``; see ``domain/handshake.py``). The CloudEvent is POSTed in structured mode
with the subscription's bearer token, the sender's ``WebHook-Request-Origin`` and an
HMAC-SHA256 signature over ``<timestamp>.<body>``; 2xx is delivered, 410 Gone ends the
subscription, 429 and 5xx are tried again (honouring ``Retry-After``), other 4xx fail.
"""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
from zroute_contract.envelope import CONTENT_TYPE
from zroute_contract.events.codes import DeliveryFailure
from zroute_runtime.logging import get_logger
from zroute_runtime.tls import client_tls

from zroute_notifications.adapters.secrets import SecretBox
from zroute_notifications.domain import handshake
from zroute_notifications.domain.delivery import (
    NOTIFICATION_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Delivered,
    Failed,
    Outcome,
    TryAgain,
    sign,
)
from zroute_notifications.domain.targets import NEUTRAL, TargetPolicy, TargetRefused


def retry_after(value: str | None) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment - datetime.now(UTC), timedelta(0))


_log = get_logger(__name__)
LOCAL_KEY = b"local-only-webhook-secrets-key!!"


class WebhookSender:
    def __init__(
        self,
        timeout_s: float,
        *,
        origin: str,
        request_rate: int | None = None,
        policy: TargetPolicy | None = None,
        box: SecretBox | None = None,
    ) -> None:
        self._timeout = timeout_s
        self.origin = origin
        self._request_rate = request_rate
        self.policy = policy or TargetPolicy()
        self.box = box or SecretBox(LOCAL_KEY)

    async def checked(self, url: str) -> None:
        """Resolves the target's host now and applies the policy to every address it has
        (again before every request: a name may resolve elsewhere by then)."""
        host, port = self.policy.host_of(url)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise TargetRefused("the host does not resolve") from exc
        self.policy.check_addresses(host, [str(info[4][0]) for info in infos])

    async def validate(self, url: str) -> handshake.Granted | handshake.Refused:
        """Ask the endpoint for its consent (the validation handshake). Every refusal,
        of the policy, of the endpoint or of the network, answers the same sentence."""
        headers = handshake.request_headers(self.origin, self._request_rate)
        try:
            await self.checked(url)
            async with httpx.AsyncClient(verify=client_tls(), timeout=self._timeout) as client:
                response = await client.options(url, headers=headers)
        except TargetRefused as exc:
            _log.warning("webhook_target_refused", reason=exc.reason)
            return handshake.Refused(NEUTRAL)
        except httpx.HTTPError as exc:
            _log.info("webhook_validation_unreachable", error=type(exc).__name__)
            return handshake.Refused(NEUTRAL)
        outcome = handshake.answer(response.status_code, response.headers, self.origin)
        if isinstance(outcome, handshake.Refused):
            _log.info("webhook_validation_refused", reason=outcome.reason)
            return handshake.Refused(NEUTRAL)
        return outcome

    async def post(
        self, url: str, body: bytes, *, token: str, secret: str, notification_id: str
    ) -> Outcome:
        # Wall-clock time: the receiver compares it with its own clock to refuse replays.
        timestamp = int(time.time())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "Authorization": f"Bearer {token}",
            handshake.REQUEST_ORIGIN: self.origin,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            NOTIFICATION_HEADER: notification_id,
        }
        try:
            await self.checked(url)
            async with httpx.AsyncClient(verify=client_tls(), timeout=self._timeout) as client:
                response = await client.post(url, content=body, headers=headers)
        except TargetRefused as exc:
            _log.warning("webhook_target_refused", reason=exc.reason)
            return TryAgain(DeliveryFailure.WEBHOOK_UNAVAILABLE, "target refused by policy")
        except httpx.HTTPError as exc:
            return TryAgain(DeliveryFailure.WEBHOOK_UNAVAILABLE, type(exc).__name__)
        code = response.status_code
        if 200 <= code < 300:
            return Delivered()
        if code == 410:
            return Failed(DeliveryFailure.WEBHOOK_GONE, "410 Gone", retriable=False)
        if code == 429:
            return TryAgain(
                DeliveryFailure.RETRIES_EXHAUSTED,
                "429 Too Many Requests",
                retry_after(response.headers.get("Retry-After")),
            )
        if code >= 500 or code == 408:
            return TryAgain(
                DeliveryFailure.WEBHOOK_UNAVAILABLE,
                f"HTTP {code}",
                retry_after(response.headers.get("Retry-After")),
            )
        return Failed(DeliveryFailure.WEBHOOK_REJECTED, f"HTTP {code}", retriable=code != 401)
