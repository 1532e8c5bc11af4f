"""One TLS context for the HTTP calls a service makes to others.

httpx builds a new SSL context, loading the whole CA bundle, for every client it makes;
with a short-lived client per call (intake's people lookups, planning's places, the
screens reading another service, webhooks) that was some 12 to 15% of notifications' CPU
(issue 20's demo profile). The context is safe to share: its settings never change after
it is made, and httpx's own default is the same one (certifi's bundle, or the
``SSL_CERT_FILE``/``SSL_CERT_DIR`` of the environment)."""

from __future__ import annotations

import os
import ssl
from functools import cache


@cache
def client_tls() -> ssl.SSLContext:
    """The verifying client context every outgoing httpx client passes as ``verify``."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())
