"""The fixed contact person (vast aanspreekpunt): hand over to a new one, at once or on a
later date by a timer (issue 15)."""

from __future__ import annotations

from zroute_runtime.clock import local_day, local_moment
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

HANDOVER_TIMER = "contact-person-handover"

log = get_logger(__name__)


async def assign_contact_person(
    cmd: commands.AssignContactPerson, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """The new contact person replaces the current one from ``assigned_from``: at once
    when that day has come, else on the day itself (local midnight) by a timer."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    at_once = participant.assign_contact_person(
        cmd.contact,
        assigned_from=cmd.assigned_from,
        reason=cmd.reason,
        today=local_day(now),
    )
    await uow.participants.save(participant, now)
    if at_once:
        await uow.timers.cancel(kind=HANDOVER_TIMER, key=participant.ref)
        log.info("contact_person_assigned", participant_ref=participant.ref, reason=cmd.reason)
    else:
        await uow.timers.schedule(
            kind=HANDOVER_TIMER,
            key=participant.ref,
            due_at=local_moment(cmd.assigned_from),
            payload={"participant_ref": participant.ref},
        )
        log.info("contact_person_handover_planned", participant_ref=participant.ref)
    return participant


async def take_over_planned(
    timer: DueTimer, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> None:
    """A planned handover's day has come: the new contact person takes over, and
    ``contact-person-assigned`` goes out now."""
    participant = await uow.participants.get(timer.key, for_update=True)
    if participant is None:
        log.warning("handover_participant_missing", participant_ref=timer.key)
        return
    now = uow.clock.now()
    if participant.take_over_planned(local_day(now)):
        await uow.participants.save(participant, now)
        log.info("contact_person_assigned", participant_ref=participant.ref, planned=True)
    else:
        log.info("handover_nothing_due", participant_ref=participant.ref)
