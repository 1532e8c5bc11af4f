"""The token this service shows when it asks another service about a participant or a
place: a short-lived locally signed token with the role ``service``, whose subject the
other service's access log names."""

from __future__ import annotations

from datetime import timedelta

from zroute_runtime.auth import Role
from zroute_runtime.auth.errors import AuthConfigurationError
from zroute_runtime.auth.tokens import issue_token
from zroute_runtime.settings import ServiceSettings

SERVICE_SUBJECT = "notifications"
"""The subject of this service's token: the actor intake's access log names."""


def service_token(settings: ServiceSettings) -> str | None:
    """A five-minute service token, or None where no signing key is configured.

    A locally signed token where the platform signs its own (local runs, the demo, the
    tests); with an external identity provider no service token is configured yet, and the
    caller says the answer is unavailable."""
    try:
        return issue_token(settings, SERVICE_SUBJECT, [Role.SERVICE], ttl=timedelta(minutes=5))
    except AuthConfigurationError:
        return None
