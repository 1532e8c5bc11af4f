"""An intake called off (``intake-cancelled``) or moved (``intake-scheduled`` again for the
same ``intake_id``) stops the reminders planned for its old time: the contact person is
not reminded of an appointment that no longer holds (issue 17). The stopped reminder
stays in the delivery log as not sent, with why; no failure, no operator alert.

Runs after the matrix planned the event's own messages, and looks at every event received
about the intake, so the outcome is the same whatever order they arrived in."""

from __future__ import annotations

from zroute_contract.events.base import Event
from zroute_contract.events.intake import IntakeCancelled, IntakeScheduled
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.domain.delivery import NotSent
from zroute_notifications.domain.reminders import (
    AppointmentEvent,
    PendingReminder,
    stale_reminders,
)
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work

log = get_logger(__name__)

_CANCELLED = IntakeCancelled.spec.type
_TYPES = (IntakeScheduled.spec.type, _CANCELLED)


async def settle_intake_reminders(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    """Stop the pending reminders of the intake's times that no longer hold."""
    assert isinstance(event, IntakeScheduled | IntakeCancelled)
    uow = unit_of_work(ctx)
    rows = await uow.notifications.appointment_events(
        event.participant_ref, _TYPES, "intake_id", str(event.intake_id)
    )
    events = [
        AppointmentEvent(r["event_id"], r["event_type"] == _CANCELLED, r["time"]) for r in rows
    ]
    pending = await uow.notifications.pending_reminders_about([e.event_id for e in events])
    by_id = {r["id"]: r for r in pending}
    stale = stale_reminders(events, [PendingReminder(r["id"], r["about"]) for r in pending])
    for notification_id, reason in stale:
        row = by_id[notification_id]
        await outcomes.not_sent(uow, row, row["attempts"], NotSent(f"intake_{reason}"))
    if stale:
        log.info(
            "intake_reminders_stopped",
            event_id=ctx.envelope.id,
            stopped=len(stale),
        )
