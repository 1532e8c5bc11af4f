"""What the domain refuses: support's kinds of the contract's one hierarchy of refusals
(``zroute_contract.errors``), which the runtime's command path maps to 4xx in one place.

A refusal may list every problem it found (``problems``, the answer's ``detail``)."""

from __future__ import annotations

from collections.abc import Sequence

from zroute_contract import errors as contract


class DomainError(contract.DomainError):
    """A rule refused a command; ``reason`` is safe to show the caller."""

    def __init__(self, reason: str, problems: Sequence[str] = ()) -> None:
        super().__init__(reason)
        self.problems = list(problems)


class NotFound(DomainError, contract.NotFound):
    """An unknown partner, participant, referral, placement or precondition (404)."""


class Refused(DomainError, contract.InvalidRequest):
    """The request breaks a rule (capability missing, no consent, problems of an agreement;
    422)."""


class Conflict(DomainError, contract.Conflict):
    """The request clashes with the current state (a transition not allowed, an overlap;
    409)."""


class TransitionNotAllowed(Conflict):
    """A referral status change its current status or the caller's side does not allow."""


class Forbidden(DomainError, contract.Forbidden):
    """The caller may not see or touch this record (another municipality; 403)."""
