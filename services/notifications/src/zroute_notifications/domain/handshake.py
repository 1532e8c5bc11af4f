"""The webhook validation handshake ("abuse protection") of the CloudEvents webhook spec,
which the NL GOV guideline for CloudEvents webhooks adopts.

Before the first delivery the sender asks the endpoint with an ``OPTIONS`` request
carrying ``WebHook-Request-Origin``; the endpoint consents only by answering
``WebHook-Allowed-Origin`` with that origin (or ``*``), and may grant a rate in
``WebHook-Allowed-Rate`` (requests per minute, ``*`` for no limit). The status code alone
is no consent: an endpoint that handles OPTIONS for other reasons must not become a
target by accident. Every delivery repeats ``WebHook-Request-Origin``.

The asynchronous grant by callback (``WebHook-Request-Callback``) is not offered: it
would need an endpoint without a bearer token, and the subscriber here is always an
authenticated partner or the municipality, who can answer the handshake directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

REQUEST_ORIGIN = "WebHook-Request-Origin"
REQUEST_RATE = "WebHook-Request-Rate"
ALLOWED_ORIGIN = "WebHook-Allowed-Origin"
ALLOWED_RATE = "WebHook-Allowed-Rate"


@dataclass(frozen=True)
class Granted:
    """The endpoint consents; ``rate`` is requests per minute, None for no limit."""

    rate: int | None


@dataclass(frozen=True)
class Refused:
    """No consent, with a reason the subscriber can act on."""

    reason: str


def request_headers(origin: str, rate: int | None) -> dict[str, str]:
    """The headers of the validation request."""
    headers = {REQUEST_ORIGIN: origin}
    if rate is not None:
        headers[REQUEST_RATE] = str(rate)
    return headers


def answer(status: int, headers: Mapping[str, str], origin: str) -> Granted | Refused:
    """Read the endpoint's answer to the validation request (header names are
    case-insensitive: pass an ``httpx.Headers`` or lower-cased keys)."""
    allowed = _header(headers, ALLOWED_ORIGIN)
    if not 200 <= status < 300:
        return Refused(
            f"the endpoint answered the validation request (OPTIONS) with HTTP {status}; "
            f"it must answer 200 with '{ALLOWED_ORIGIN}: {origin}'"
        )
    if allowed is None:
        return Refused(
            f"the endpoint did not consent: its answer to OPTIONS has no '{ALLOWED_ORIGIN}' "
            f"header (expected '{origin}' or '*')"
        )
    if allowed.strip() not in (origin, "*"):
        return Refused(f"the endpoint consents to origin '{allowed.strip()}', not to '{origin}'")
    raw_rate = _header(headers, ALLOWED_RATE)
    if raw_rate is None or raw_rate.strip() == "*":
        return Granted(rate=None)
    value = raw_rate.strip()
    if not value.isdigit() or int(value) == 0:
        return Refused(f"'{ALLOWED_RATE}: {value}' is neither '*' nor a positive number")
    return Granted(rate=int(value))


def next_slot(last_request_at: datetime | None, rate: int | None, now: datetime) -> datetime:
    """The earliest moment the next request may go under a granted rate: requests are
    spaced evenly (60 s / rate apart), so no minute ever holds more than the rate."""
    if rate is None or last_request_at is None:
        return now
    return max(now, last_request_at + timedelta(seconds=60 / rate))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    return value
