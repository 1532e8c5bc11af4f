"""The one TLS context of outgoing HTTP calls (issue 20: a new one per call was 12-15% of
notifications' CPU in the demo's profile)."""

import ssl

from zroute_runtime.tls import client_tls


def test_every_call_shares_one_context_that_still_verifies() -> None:
    first, second = client_tls(), client_tls()
    assert first is second
    assert first.verify_mode == ssl.CERT_REQUIRED
    assert first.check_hostname is True
    assert first.cert_store_stats()["x509_ca"] > 0, "no CA certificates loaded"
