"""Settings of the notifications service (``ZROUTE_`` variables; see docs/notifications.md)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, field_validator
from zroute_ui.settings import UiSettings

PACKAGE = Path(__file__).parent
DEFAULT_MATRIX = PACKAGE / "config" / "matrix.json"
DEFAULT_TEMPLATES = PACKAGE / "templates"
# NOT FOR PRODUCTION: a local-only key, known to anyone who reads this file.
LOCAL_WEBHOOK_SECRETS_KEY = "bG9jYWwtb25seS13ZWJob29rLXNlY3JldHMta2V5ISE="
# NOT FOR PRODUCTION: a local-only HMAC key of the personal-page links.
LOCAL_PAGE_LINK_KEY = "local-only-page-link-key-not-for-production!"


class Settings(UiSettings):
    """Notifications service settings: the matrix, SMTP, webhooks, digests, links."""

    http_port: int = 8004

    # The communication matrix (JSON) and the message templates; packaged defaults.
    matrix_path: Path = DEFAULT_MATRIX
    templates_path: Path = DEFAULT_TEMPLATES
    # Recipient addresses to load at start (demo); the HTTP API manages them after.
    directory_seed_path: Path | None = None
    default_language: Literal["nl", "en"] = "nl"

    # Public base URL of each service, for the link to the record in a message.
    service_urls: dict[str, str] = {
        "intake": "http://localhost:8001",
        "planning": "http://localhost:8002",
        "support": "http://localhost:8003",
        "notifications": "http://localhost:8004",
    }

    # Where this service pulls what a message may say of a participant (intake's API,
    # issue 18); default: intake's URL in service_urls.
    intake_api_url: str | None = None
    # Where the places of the participant's week are read (planning's API, issue 18);
    # default: planning's URL in service_urls.
    planning_api_url: str | None = None
    people_timeout_s: float = 5.0

    # SMTP
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout_s: float = 10.0
    mail_from: str = "Z-route <noreply@zroute.example>"
    # Where operator alerts go by e-mail besides the operator inbox.
    operator_email: str | None = None

    # Delivery retries: one delay per retry, in seconds, then notification-failed.
    delivery_retry_delays_s: list[int] = [60, 300, 1800, 7200, 21600]
    retry_after_max_s: int = 86_400
    webhook_timeout_s: float = 10.0
    # The name this sender gives in the webhook validation handshake and every delivery
    # (WebHook-Request-Origin); by default the host of ZROUTE_PUBLIC_BASE_URL.
    webhook_origin: str | None = None
    # The rate (requests per minute) asked for in the handshake; none asks for no limit.
    webhook_request_rate: int | None = Field(default=None, gt=0)
    # Webhook targets (docs/security.md): http only when allowed (local runs), and the
    # hosts, addresses or networks (CIDR) that may be called although special-use.
    webhook_allow_http: bool = False
    webhook_allowed_targets: list[str] = []
    # AES-256-GCM key (base64 of 32 bytes) for webhook bearer tokens and signing secrets
    # at rest. NOT FOR PRODUCTION: the default is a published local-only key.
    webhook_secrets_key: SecretStr = SecretStr(LOCAL_WEBHOOK_SECRETS_KEY)

    @field_validator("webhook_secrets_key")
    @classmethod
    def _key_shape(cls, value: SecretStr) -> SecretStr:
        raw = base64.b64decode(value.get_secret_value(), validate=True)
        if len(raw) != 32:
            raise ValueError("must be base64 of 32 bytes")
        return value

    def webhook_secrets_key_bytes(self) -> bytes:
        return base64.b64decode(self.webhook_secrets_key.get_secret_value())

    # The participant's personal page (issue 18): the HMAC key of its signed links (32
    # bytes or more; older keys still accepted during a rotation), how long a printed
    # link works, the public base URL printed in the QR code (default: this service's
    # URL in service_urls), and who signs the letter.
    page_link_key: SecretStr = SecretStr(LOCAL_PAGE_LINK_KEY)
    page_link_previous_keys: list[SecretStr] = []
    page_link_days: int = Field(default=42, gt=0, le=366)
    page_base_url: str | None = None
    letter_sender: str = "Gemeente"
    # Whether the page asks for the date of birth first (checked by intake, issue 18),
    # how many wrong answers lock a link and for how long, and how long a right answer
    # keeps the page open.
    page_second_factor: Literal["none", "date_of_birth"] = "none"
    page_second_factor_attempts: int = Field(default=5, ge=1, le=20)
    page_second_factor_lock_minutes: int = Field(default=60, gt=0)
    page_session_minutes: int = Field(default=30, gt=0, le=720)

    @field_validator("page_link_key")
    @classmethod
    def _link_key_length(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().encode()) < 32:
            raise ValueError("must be 32 bytes or more")
        return value

    def page_link_keys(self) -> list[bytes]:
        """The signing key first, then the older keys a link may still be signed with."""
        current = self.page_link_key.get_secret_value().encode()
        return [current, *(k.get_secret_value().encode() for k in self.page_link_previous_keys)]

    def page_base(self) -> str:
        """Where the personal pages are served, as printed on the letter."""
        return self.page_base_url or self.service_urls["notifications"]

    # Digests and reminders, in local time (the runtime's ``timezone`` setting).
    digest_hour: int = 7
    weekly_digest_weekday: int = 0  # Monday
    reminder_hour: int = 8
    # The consultation overview sent to each programme's lead partner.
    overview_rhythm: Literal["daily", "weekly", "off"] = "weekly"
    overview_lapsing_within_days: int = 14

    def sender_origin(self) -> str:
        """WebHook-Request-Origin: the setting, else the public host, else the system."""
        if self.webhook_origin:
            return self.webhook_origin
        host = urlparse(self.public_base_url).hostname if self.public_base_url else None
        return host or self.system_name or "zroute-notifications"
