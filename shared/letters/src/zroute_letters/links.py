"""Signed, expiring, revocable links to the participant's personal page. Pure: no I/O.

A link is ``<base>/p/<token>`` and the token is ``v1.<link id>.<expiry>.<signature>``:

- the link id is random (128 bits, URL-safe base64); it is the only thing the page service
  maps to a participant, in its own store. The token carries no reference, name or date of
  birth, so a lost letter shows nothing but a random string;
- the expiry is a Unix time in seconds;
- the signature is HMAC-SHA256 over ``v1.<link id>.<expiry>`` with the key from settings,
  URL-safe base64 without padding, compared in constant time.

A link is revoked by listing its id (the caller keeps the list; ``verify`` takes it). Keys
can be rotated: ``verify`` accepts any of the keys given, ``sign`` uses the first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

VERSION: Final = "v1"
MIN_KEY_BYTES: Final = 32


class Rejection(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    REVOKED = "revoked"


class LinkRejected(ValueError):
    def __init__(self, reason: Rejection) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class PageLink:
    link_id: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


def _check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the page link key must be {MIN_KEY_BYTES} bytes or more")


def new_link_id() -> str:
    return secrets.token_urlsafe(16)


def sign(key: bytes, link_id: str, expires_at: datetime) -> str:
    """The token for a link id that is valid until ``expires_at`` (timezone-aware)."""
    _check_key(key)
    if "." in link_id or not link_id:
        raise ValueError("a link id is non-empty URL-safe base64")
    payload = f"{VERSION}.{link_id}.{int(expires_at.timestamp())}"
    return f"{payload}.{_signature(key, payload)}"


def url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/p/{token}"


def _parse(token: str) -> tuple[str, str, int, str]:
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != VERSION or not parts[1] or not parts[2].isdigit():
        raise LinkRejected(Rejection.MALFORMED)
    if not parts[2].isascii() or not token.isascii():
        raise LinkRejected(Rejection.MALFORMED)
    return f"{parts[0]}.{parts[1]}.{parts[2]}", parts[1], int(parts[2]), parts[3]


def verify(
    token: str, keys: Sequence[bytes], now: datetime, revoked: Container[str] = frozenset()
) -> PageLink:
    """The link a token stands for; ``LinkRejected`` with the reason when it may not be used.

    The signature is checked first, so an expired or revoked answer is given only for a
    link this system really issued.
    """
    payload, link_id, expiry, signature = _parse(token)
    if not any(
        hmac.compare_digest(_signature(key, payload).encode(), signature.encode()) for key in keys
    ):
        raise LinkRejected(Rejection.BAD_SIGNATURE)
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        raise LinkRejected(Rejection.EXPIRED)
    if link_id in revoked:
        raise LinkRejected(Rejection.REVOKED)
    return PageLink(link_id, expires_at)
