"""Planning's refusals, as kinds of the contract's domain errors: the shared command path
answers each with its 4xx (``zroute_runtime.commands.http_error``)."""

from __future__ import annotations

from zroute_contract import errors


class PlanError(errors.Conflict):
    """A command the plan refuses in its current state; the message says why (409)."""


class InvalidRequest(errors.InvalidRequest, PlanError):
    """A command whose values the rules refuse (a lead time too short, a future session)."""


class AttendanceConflict(PlanError):
    """The same session was already recorded differently (409)."""
