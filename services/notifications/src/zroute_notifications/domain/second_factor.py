"""The personal page's second factor (issue 18): when the setting asks for it, a link
opens the page only after the participant typed their date of birth, which intake checks
(the date never reaches this service). Wrong answers are counted per link and lock it for
a while; a right one gives a short session bound to the link, in a signed cookie.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Attempts:
    """Wrong answers so far for one link, and until when it is locked."""

    failures: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        """True while the link is locked after too many wrong answers."""
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime, limit: int, lock: timedelta) -> Attempts:
        """One more wrong answer; the ``limit``-th locks the link for ``lock`` and starts
        the count again after it."""
        failures = self.failures + 1
        if failures >= limit:
            return Attempts(0, now + lock)
        return Attempts(failures, None)

    def left(self, limit: int) -> int:
        """How many answers are left before the link locks."""
        return max(limit - self.failures, 0)


def _mac(key: bytes, link_id: str, expires: int) -> str:
    message = f"page-session|{link_id}|{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def session_cookie(key: bytes, link_id: str, now: datetime, ttl: timedelta) -> str:
    """The cookie value that lets this link's page open until ``now + ttl``."""
    expires = int((now + ttl).timestamp())
    return f"{expires}.{_mac(key, link_id, expires)}"


def session_valid(keys: list[bytes], link_id: str, value: str | None, now: datetime) -> bool:
    """Whether ``value`` is an unexpired session of this very link, signed by one of
    ``keys`` (the current key first, older ones during a rotation)."""
    if not value or "." not in value:
        return False
    raw_expires, mac = value.split(".", 1)
    if not raw_expires.isdigit() or int(raw_expires) <= now.timestamp():
        return False
    return any(hmac.compare_digest(mac, _mac(k, link_id, int(raw_expires))) for k in keys)
