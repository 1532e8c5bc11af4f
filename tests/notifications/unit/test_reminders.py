"""Which reminders of an intake stop when it is called off or moved (issue 17)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from zroute_notifications.domain.reminders import (
    CALLED_OFF,
    MOVED,
    AppointmentEvent,
    PendingReminder,
    stale_reminders,
)

T = datetime(2027, 1, 4, 9, tzinfo=UTC)


def test_a_called_off_appointment_stops_every_reminder_of_it():
    first, again = uuid.uuid4(), uuid.uuid4()
    events = [
        AppointmentEvent(first, False, T),
        AppointmentEvent(again, False, T + timedelta(hours=1)),
        AppointmentEvent(uuid.uuid4(), True, T + timedelta(hours=2)),
    ]
    pending = [PendingReminder(uuid.uuid4(), first), PendingReminder(uuid.uuid4(), again)]
    assert stale_reminders(events, pending) == [(p.notification_id, CALLED_OFF) for p in pending]


def test_a_moved_appointment_keeps_only_the_reminder_of_its_latest_time_whatever_the_order():
    old, new = uuid.uuid4(), uuid.uuid4()
    # The newer scheduling was received first: it still wins by its time.
    events = [AppointmentEvent(new, False, T + timedelta(hours=1)), AppointmentEvent(old, False, T)]
    of_old, of_new = PendingReminder(uuid.uuid4(), old), PendingReminder(uuid.uuid4(), new)
    assert stale_reminders(events, [of_new, of_old]) == [(of_old.notification_id, MOVED)]


def test_a_single_scheduling_keeps_its_reminder():
    only = uuid.uuid4()
    reminder = PendingReminder(uuid.uuid4(), only)
    assert stale_reminders([AppointmentEvent(only, False, T)], [reminder]) == []
    assert stale_reminders([], [reminder]) == []
