"""Settings of the personal-page links, read from ``ZROUTE_``-prefixed environment variables."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class LinkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZROUTE_", extra="ignore")

    # HMAC key of the personal-page links (32 bytes or more); a JSON list of older keys
    # still accepted during a rotation goes in page_link_previous_keys.
    page_link_key: SecretStr | None = None
    page_link_previous_keys: list[SecretStr] = []
    # How long a printed link works; a letter is kept for weeks.
    page_link_days: int = 42

    def keys(self) -> list[bytes]:
        """The signing key first, then the older keys; empty when none is configured."""
        if self.page_link_key is None:
            return []
        current = self.page_link_key.get_secret_value().encode()
        return [current, *(k.get_secret_value().encode() for k in self.page_link_previous_keys)]
