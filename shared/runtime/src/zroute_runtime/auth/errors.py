"""What can go wrong with a token or the authentication set-up."""

from __future__ import annotations


class InvalidToken(Exception):
    """The bearer token cannot be accepted; ``reason`` is safe to show the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthUnavailable(Exception):
    """Tokens cannot be checked right now (no configuration, identity provider down)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthConfigurationError(RuntimeError):
    """The auth settings cannot work (for example an HS256 key that is too short)."""
