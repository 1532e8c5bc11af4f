"""The PIP deadline (Besluit inburgering 2021, art. 5.3): when the decision is due.

The college establishes the PIP *uiterlijk 10 weken* after DUO's notice that the person
is obliged to integrate. For a person not yet registered in the housing municipality's
population register (BRP) at that notice, the ten weeks run from the registration. The
term may be extended only while information from a third party is awaited, and then
until two weeks after it arrives. After a move the new municipality has ten weeks again,
from the registration there (Wet inburgering 2021, art. 15(4)).

Everything here is plain date arithmetic; the week counts come from configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class DeadlineRules:
    """The weeks of B 5.3: ten to establish, two after awaited information arrives."""

    weeks: int = 10
    weeks_after_information: int = 2


@dataclass(frozen=True)
class InformationWait:
    """Information asked of a third party (a doctor, a former municipality) for the PIP."""

    requested_on: date
    received_on: date | None = None


class DeadlineState(StrEnum):
    """Where a PIP stands against its deadline on a given day."""

    RUNNING = "running"
    DUE_SOON = "due_soon"
    PAUSED = "paused"
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"


def clock_start(duo_notice_on: date, brp_registered_on: date | None) -> date:
    """The day the ten weeks start: DUO's notice, or the later BRP registration."""
    if brp_registered_on is not None and brp_registered_on > duo_notice_on:
        return brp_registered_on
    return duo_notice_on


def due_on(
    start: date, waits: Sequence[InformationWait], rules: DeadlineRules = DeadlineRules()
) -> date | None:
    """The day the PIP is due, or None while awaited information holds the clock.

    A wait counts when it was asked for on or before the deadline as it stood then; it
    holds the deadline until the information arrives, and the deadline is then at least
    two weeks after the arrival. Waits asked for after the deadline extend nothing.
    """
    deadline = start + timedelta(weeks=rules.weeks)
    for wait in sorted(waits, key=lambda w: w.requested_on):
        if wait.requested_on > deadline:
            continue
        if wait.received_on is None:
            return None
        deadline = max(deadline, wait.received_on + timedelta(weeks=rules.weeks_after_information))
    return deadline


def state_on(
    today: date,
    due: date | None,
    established_on: date | None,
    *,
    warn_within: timedelta = timedelta(weeks=2),
) -> DeadlineState:
    """How the deadline stands on ``today`` for a PIP established on ``established_on``."""
    if established_on is not None:
        late = due is not None and established_on > due
        return DeadlineState.LATE if late else DeadlineState.MET
    if due is None:
        return DeadlineState.PAUSED
    if today > due:
        return DeadlineState.OVERDUE
    if today >= due - warn_within:
        return DeadlineState.DUE_SOON
    return DeadlineState.RUNNING
