"""What can go wrong with a request, in words a caseworker can act on.

The entrypoints map each kind to an HTTP status; the reasons never repeat personal
data (a BSN, a name), only what is wrong and what to do.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request; ``reason`` is safe to show and to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidRequest(DomainError):
    """The request breaks a rule about its content (answered 422)."""


class Conflict(DomainError):
    """The request does not fit the participant's current state (answered 409)."""


class NotFound(DomainError):
    """The participant (or a consent of theirs) does not exist (answered 404)."""


class StaleVersion(Conflict):
    """The caller changed a participant from an outdated version (answered 409)."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            f"the participant changed since version {expected} (now version {actual}): "
            "reload it and apply your change again"
        )
        self.expected = expected
        self.actual = actual


class DuplicateBsn(Conflict):
    """The BSN is already registered in the municipality; points at that record."""

    def __init__(self, existing_ref: str) -> None:
        super().__init__(
            "a participant with this BSN is already registered in this municipality: "
            f"{existing_ref}; open that record instead of registering again"
        )
        self.existing_ref = existing_ref


class Forbidden(DomainError):
    """The caller may not touch this participant (another municipality; answered 403)."""
