"""What can go wrong with a request, in words a caseworker can act on.

The kinds are the contract's (:mod:`zroute_contract.errors`), so the one HTTP command path
(``zroute_runtime.commands.http_error``) maps them to their 4xx; intake adds the
refusals that carry more than a reason. The reasons never repeat personal data (a BSN, a
name), only what is wrong and what to do.
"""

from __future__ import annotations

from zroute_contract.errors import Conflict, DomainError, Forbidden, InvalidRequest, NotFound

__all__ = [
    "Conflict",
    "DomainError",
    "DuplicateBsn",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "StaleVersion",
]


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
