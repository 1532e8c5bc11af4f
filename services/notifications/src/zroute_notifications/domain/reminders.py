"""Which reminders of an appointment no longer hold: an appointment that was called off
or moved must not be reminded of at its old time (issue 17). Plain data, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

CALLED_OFF = "called_off"
"""The reason on a reminder of an appointment called off (the delivery log shows it)."""
MOVED = "moved"
"""The reason on a reminder of an appointment's old time (the new time has its own)."""


@dataclass(frozen=True)
class AppointmentEvent:
    """One event received about the appointment: scheduled (again) or called off."""

    event_id: UUID
    cancelled: bool
    time: datetime


@dataclass(frozen=True)
class PendingReminder:
    """A reminder not sent yet, and the event that planned it."""

    notification_id: UUID
    event_id: UUID


def stale_reminders(
    events: Sequence[AppointmentEvent], pending: Sequence[PendingReminder]
) -> list[tuple[UUID, str]]:
    """The pending reminders to stop, each with why: all of them once the appointment
    was called off, else those planned by any but the latest scheduling (by event time,
    so a late redelivered older time does not win over the newer one)."""
    if any(e.cancelled for e in events):
        return [(r.notification_id, CALLED_OFF) for r in pending]
    scheduled = [e for e in events if not e.cancelled]
    if not scheduled:
        return []
    latest = max(scheduled, key=lambda e: (e.time, str(e.event_id))).event_id
    return [(r.notification_id, MOVED) for r in pending if r.event_id != latest]
