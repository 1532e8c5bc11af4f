"""The fixed contact person (vast aanspreekpunt): hand over to a new one."""

from __future__ import annotations

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


async def assign_contact_person(
    cmd: commands.AssignContactPerson, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """The new contact person replaces the current one from ``assigned_from``."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.assign_contact_person(
        cmd.contact,
        assigned_from=cmd.assigned_from,
        reason=cmd.reason,
        today=local_day(now),
    )
    await uow.participants.save(participant, now)
    log.info("contact_person_assigned", participant_ref=participant.ref, reason=cmd.reason.value)
    return participant
