"""Delivery outcomes and the retry policy, and the webhook signature.

Every attempt ends in one of three ways: delivered, failed for good (with a
``DeliveryFailure`` reason), or to be tried again (after the policy's delay, or the
receiver's ``Retry-After``). When the retries run out the last transient reason stands.
A delivery held back by the rate a webhook endpoint granted is deferred: no attempt was
made, so none is counted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from zroute_contract.events.codes import DeliveryFailure

SIGNATURE_HEADER = "Zroute-Signature"
TIMESTAMP_HEADER = "Zroute-Timestamp"
NOTIFICATION_HEADER = "Zroute-Notification-Id"
SIGNATURE_SCHEME = "v1"


@dataclass(frozen=True)
class Delivered:
    pass


@dataclass(frozen=True)
class Failed:
    reason: DeliveryFailure
    detail: str
    retriable: bool = True


@dataclass(frozen=True)
class TryAgain:
    reason: DeliveryFailure
    detail: str
    retry_after: timedelta | None = None


@dataclass(frozen=True)
class Deferred:
    """Not sent: the endpoint's granted rate allows the next request only at ``until``."""

    until: datetime


@dataclass(frozen=True)
class NotSent:
    """Nothing to send to, and that is no failure: a participant without an e-mail address
    (``no_address``) or whose personal data was erased (``erased``). The delivery log
    says so; no ``notification-failed`` and no operator alert."""

    reason: str


Outcome = Delivered | Failed | TryAgain | Deferred | NotSent


def next_attempt(
    outcome: TryAgain,
    attempts: int,
    delays: Sequence[int],
    now: datetime,
    retry_after_max: timedelta,
) -> datetime | None:
    """When to try again after ``attempts`` attempts, or None when retries are used up."""
    if attempts > len(delays):
        return None
    delay = timedelta(seconds=delays[attempts - 1])
    if outcome.retry_after is not None:
        delay = min(outcome.retry_after, retry_after_max)
    return now + delay


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``v1=`` and hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={mac.hexdigest()}"


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: int, tolerance_s: int = 300
) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance_s:
        return False
    expected = sign(secret, int(timestamp), body)
    return any(hmac.compare_digest(expected, s.strip()) for s in signature.split(","))


def resend_refusal(status: str, recipient_kind: str) -> str | None:
    """Why a message cannot be sent again as it stands, or None when it can: only a
    failed message to someone who holds the role is sent again."""
    if status != "failed":
        return f"the notification is {status}, not failed"
    if recipient_kind == "unresolved":
        return "nobody held the role; the event cannot be re-sent"
    return None
