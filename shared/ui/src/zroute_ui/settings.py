"""The screens' settings: login provider, claim mapping, sessions, language, addresses.

Each service's ``Settings`` subclasses :class:`UiSettings` (itself a
``ServiceSettings``), so the same ``ZROUTE_`` variables configure the screens of all
four services.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from zroute_runtime.auth import Role
from zroute_runtime.settings import ServiceSettings

DEFAULT_SERVICE_URLS = {
    "intake": "http://127.0.0.1:8001",
    "planning": "http://127.0.0.1:8002",
    "support": "http://127.0.0.1:8003",
    "notifications": "http://127.0.0.1:8004",
}
MIN_SESSION_SECRET_BYTES = 32


class UiSettings(ServiceSettings):
    """Settings of the screens under ``/ui/``."""

    # The OpenID Connect provider (discovery at <issuer>/.well-known/openid-configuration)
    # and this service's client there. Without them the screens refuse to log anyone in.
    ui_oidc_issuer: str | None = None
    ui_oidc_client_id: str | None = None
    ui_oidc_client_secret: SecretStr | None = None
    ui_oidc_scopes: str = "openid profile"
    # Which ID-token claims carry roles, partner and municipality, and how the provider's
    # role values map to ours (empty: provider values that are our role names count).
    ui_claim_roles: str = "roles"
    ui_claim_partner: str = "partner_id"
    ui_claim_municipality: str = "municipality"
    ui_role_map: dict[str, Role] = {}
    # Signed session cookies: the signing key, the absolute and the idle lifetime.
    ui_session_secret: SecretStr | None = None
    ui_session_max_age_s: int = Field(default=8 * 3600, ge=60)
    ui_session_idle_s: int = Field(default=30 * 60, ge=60)
    # Secure cookies (HTTPS only); switch off only for a local run over plain HTTP.
    ui_cookie_secure: bool = True
    ui_default_language: Literal["nl", "en"] = "nl"
    # Where each service's screens are, for the navigation across the four services.
    ui_service_urls: dict[str, str] = dict(DEFAULT_SERVICE_URLS)
    # The installed npm packages (NL Design System CSS and tokens, htmx); by default
    # shared/ui/node_modules of the source tree.
    ui_assets_dir: str | None = None

    @field_validator("ui_session_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SESSION_SECRET_BYTES:
            raise ValueError(f"ui_session_secret must be at least {MIN_SESSION_SECRET_BYTES} bytes")
        return value

    def login_configured(self) -> bool:
        return bool(self.ui_oidc_issuer and self.ui_oidc_client_id and self.ui_session_secret)
