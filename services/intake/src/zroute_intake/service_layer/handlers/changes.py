"""Changes after registration: the personal data (address, phone, preferred language,
interpreter need) and re-enrolment after a withdrawal. Each records its reason, the acting
user and the time on the participant, and causes an event with codes only."""

from __future__ import annotations

from zroute_contract.events.codes import PersonalDataField
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import commands
from zroute_intake.domain.access import Access
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers.participants import ERASURE_TIMER
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)

_PERSONAL = {
    PersonalDataField.ADDRESS: "address",
    PersonalDataField.PHONE: "phone",
    PersonalDataField.EMAIL: "email",
}


async def change_personal_data(
    cmd: commands.ChangePersonalData, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Change the personal data for a reason. An address or phone change decrypts the
    personal data to change it: that is written to the access log (purpose
    ``personal_data_change``) with the acting user."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    change = cmd.change
    touches_personal = change.touches_personal()
    personal = await uow.participants.personal_data(cmd.ref) if touches_personal else None
    participant.change_personal_data(
        change, personal=personal, today=local_day(now), by=cmd.by, at=now
    )
    await uow.participants.save(participant, now)
    changed = participant.changes[-1].fields
    logged = tuple(_PERSONAL[f] for f in changed if f in _PERSONAL)
    if logged:
        await uow.access_log.record(
            Access(
                participant_ref=participant.ref,
                accessed_at=now,
                actor=cmd.by,
                actor_roles=("caseworker",),
                purpose="personal_data_change",
                fields=logged,
                request_id=None,
            )
        )
    log.info(
        "personal_data_changed",
        participant_ref=participant.ref,
        fields=[f.value for f in changed],
        reason=change.reason.value,
    )
    return participant


async def re_enrol(
    cmd: commands.ReEnrol, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Put a withdrawn participant back on the route (same reference, same BSN); the
    erasure the withdrawal scheduled is cancelled."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.re_enrol(
        cmd.reason, today=local_day(now), by=cmd.by, at=now, window=deps.re_enrolment_window
    )
    await uow.participants.save(participant, now)
    await uow.timers.cancel(kind=ERASURE_TIMER, key=participant.ref)
    log.info(
        "participant_re_enrolled",
        participant_ref=participant.ref,
        reason=cmd.reason.value,
        status=participant.status.value,
    )
    return participant
