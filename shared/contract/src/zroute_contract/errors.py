"""One hierarchy of domain refusals, importable from every ``domain/``.

A domain (which may import only the contract and the standard library) raises these or
its own subclasses; the runtime's HTTP command path (``zroute_runtime.commands``) maps them
to 4xx answers in one place:

=================  ====
``InvalidRequest``  422  the rules refuse the values
``Conflict``        409  the state refuses the command
``NotFound``        404  no such record
``Forbidden``       403  the caller may not reach this record
``DomainError``     400  anything else a domain refuses
=================  ====
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the domain refuses; ``reason`` says why, in words for the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidRequest(DomainError):
    """The rules refuse the command's values."""


class Conflict(DomainError):
    """The record's current state refuses the command."""


class NotFound(DomainError):
    """The record the command is about does not exist."""


class Forbidden(DomainError):
    """The caller may not reach the record the command is about."""
