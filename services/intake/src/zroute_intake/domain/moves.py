"""A move to another municipality (Wet inburgering 2021, art. 15(4)): the old municipality
exports the dossier and closes its case as moved; the new one imports it, the participant
continues the same route under the same reference, and a new PIP is due within ten weeks
of the move (B 5.3). Each municipality reaches only its own participants: in transit the
participant is the old municipality's (read only), after the import the new one's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from zroute_intake.domain.errors import Conflict, Forbidden, InvalidRequest

LONGEST_BACKDATING = timedelta(days=92)
LONGEST_AHEAD = timedelta(days=31)


@dataclass(frozen=True)
class Move:
    """One move: from where to where, when, who exported and who imported the dossier."""

    from_municipality: str
    to_municipality: str
    moved_on: date
    exported_by: str
    exported_at: datetime
    imported_by: str | None = None
    imported_at: datetime | None = None
    handed_over_at: datetime | None = None
    """When another intake service told that it imported the dossier
    (``participant-moved-in``): this copy is closed as handed over."""

    @property
    def in_transit(self) -> bool:
        return self.imported_at is None and self.handed_over_at is None

    @property
    def handed_over(self) -> bool:
        """The dossier was imported by another intake service: this copy is closed."""
        return self.handed_over_at is not None


def imported_elsewhere(moves: list[Move], to_municipality: str) -> Move | None:
    """The move in transit that another intake service's import (to ``to_municipality``)
    completes, or None: not moved out here, imported here already, or handed over."""
    pending = moves[-1] if moves and moves[-1].in_transit else None
    if pending is None or pending.to_municipality != to_municipality:
        return None
    return pending


def check_move_out(move: Move, *, registered_on: date, today: date) -> None:
    """A move goes elsewhere, on a day near today, not before the registration."""
    if move.to_municipality == move.from_municipality:
        raise InvalidRequest("to_municipality: the participant already lives there")
    if move.moved_on < max(registered_on, today - LONGEST_BACKDATING):
        raise InvalidRequest(
            f"moved_on: at most three months back, and not before the registration "
            f"({registered_on})"
        )
    if move.moved_on > today + LONGEST_AHEAD:
        raise InvalidRequest("moved_on: at most a month ahead")


def check_move_in(moves: list[Move], scope: str | None) -> Move:
    """The move in transit that the caller's municipality (``scope``) may import."""
    pending = moves[-1] if moves and moves[-1].in_transit else None
    if pending is None:
        raise Conflict("no move of this participant waits for an import")
    if scope is not None and scope != pending.to_municipality:
        raise Forbidden("the dossier was exported to another municipality")
    return pending
