"""What the domain refuses, as exceptions the entrypoints turn into 4xx answers."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """A rule refused a command; ``reason`` is safe to show the caller."""

    def __init__(self, reason: str, problems: Sequence[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problems = list(problems)


class NotFound(DomainError):
    """An unknown partner, participant, referral, placement or precondition."""


class Refused(DomainError):
    """The request breaks a rule (capability missing, no consent, problems of an agreement)."""


class Conflict(DomainError):
    """The request clashes with the current state (a transition not allowed, an overlap)."""


class TransitionNotAllowed(Conflict):
    """A referral status change its current status or the caller's side does not allow."""


class Forbidden(DomainError):
    """The caller may not see or touch this record (another municipality; answered 403)."""
