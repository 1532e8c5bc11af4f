"""The webhook validation handshake's rules, without I/O: what counts as consent, and how
a granted rate spaces requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from zroute_notifications.domain.handshake import (
    Granted,
    Refused,
    answer,
    next_slot,
    request_headers,
)

ORIGIN = "notifications.gemeente.test"
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_the_request_names_the_origin_and_asks_a_rate_only_when_configured():
    assert request_headers(ORIGIN, None) == {"WebHook-Request-Origin": ORIGIN}
    assert request_headers(ORIGIN, 120)["WebHook-Request-Rate"] == "120"


@pytest.mark.parametrize(
    ("headers", "rate"),
    [
        ({"WebHook-Allowed-Origin": ORIGIN}, None),
        ({"WebHook-Allowed-Origin": "*", "WebHook-Allowed-Rate": "*"}, None),
        ({"webhook-allowed-origin": ORIGIN, "webhook-allowed-rate": "100"}, 100),
    ],
)
def test_consent_is_the_allowed_origin_header_with_our_origin_or_a_star(headers, rate):
    assert answer(200, httpx.Headers(headers), ORIGIN) == Granted(rate=rate)


@pytest.mark.parametrize(
    ("status", "headers", "reason"),
    [
        (405, {}, "HTTP 405"),
        (500, {"WebHook-Allowed-Origin": ORIGIN}, "HTTP 500"),  # an error is no consent
        (200, {}, "no 'WebHook-Allowed-Origin'"),  # OPTIONS answered, but no consent
        (200, {"WebHook-Allowed-Origin": "other.test"}, "'other.test'"),
        (200, {"WebHook-Allowed-Origin": ORIGIN, "WebHook-Allowed-Rate": "0"}, "Rate: 0'"),
        (200, {"WebHook-Allowed-Origin": ORIGIN, "WebHook-Allowed-Rate": "-5"}, "Rate: -5'"),
    ],
)
def test_anything_else_is_refused_with_a_reason(status, headers, reason):
    result = answer(status, httpx.Headers(headers), ORIGIN)
    assert isinstance(result, Refused) and reason in result.reason


def test_a_granted_rate_spaces_requests_evenly_and_no_rate_never_waits():
    assert next_slot(None, 2, T0) == T0
    assert next_slot(T0, None, T0) == T0
    assert next_slot(T0, 2, T0 + timedelta(seconds=10)) == T0 + timedelta(seconds=30)
    assert next_slot(T0, 2, T0 + timedelta(seconds=45)) == T0 + timedelta(seconds=45)
    # However the requests fall, no 60 s window holds more than the rate.
    sent, now = [], T0
    for _ in range(20):
        now = next_slot(sent[-1] if sent else None, 6, now)
        sent.append(now)
    for i, start in enumerate(sent):
        in_window = [t for t in sent[i:] if t < start + timedelta(seconds=60)]
        assert len(in_window) <= 6
