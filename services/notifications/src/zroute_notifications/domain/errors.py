"""What notifications refuses, as kinds of the contract's refusals (``zroute_contract.errors``):
the runtime's command path answers each with the status of its kind. Reasons name what is
wrong, never personal data."""

from __future__ import annotations

from zroute_contract.errors import Conflict, DomainError, Forbidden, InvalidRequest, NotFound

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "NotResendable",
    "NotSubscribable",
    "OutsideScope",
]


class NotResendable(Conflict):
    """The message cannot be sent again as it stands: it did not fail, nobody held the
    role, or its webhook subscription ended (409)."""


class OutsideScope(Forbidden):
    """The record belongs to another municipality, partner or recipient (403)."""


class NotSubscribable(InvalidRequest):
    """A subscription this service cannot take: event types it does not receive,
    references that are not participants', or an endpoint that did not consent (422)."""
