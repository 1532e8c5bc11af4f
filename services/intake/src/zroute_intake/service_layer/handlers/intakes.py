"""The broad intake: schedule it, record its outcome, correct the outcome."""

from __future__ import annotations

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import commands
from zroute_intake.domain.interpreters import InterpreterStatus, intake_interpreter
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


async def schedule_intake(
    cmd: commands.ScheduleIntake, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Schedule or reschedule the intake appointment."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    participant.schedule_intake(cmd.appointment, uow.clock.now())
    await uow.participants.save(participant, uow.clock.now())
    log.info("intake_scheduled", participant_ref=participant.ref)
    return participant


async def cancel_intake(
    cmd: commands.CancelIntake, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Call off the scheduled intake (no new time yet): ``intake-cancelled``."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.cancel_intake(cmd.reason, now=now, today=local_day(now), by=cmd.by)
    await uow.participants.save(participant, now)
    log.info("intake_cancelled", participant_ref=participant.ref, reason=cmd.reason.value)
    return participant


async def complete_intake(
    cmd: commands.CompleteIntake, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Record the intake's outcome and route decision: the intake is complete."""
    deps.check_preconditions(cmd.outcome)
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    interpreter = intake_interpreter(participant.appointment, await uow.interpreters.of(cmd.ref))
    participant.complete_intake(
        cmd.outcome,
        now=now,
        today=local_day(now),
        by=cmd.by,
        care_partner_id=deps.care_partner_for(participant.programme_id),
        interpreter_confirmed=interpreter is not None
        and interpreter.status is InterpreterStatus.CONFIRMED,
    )
    await uow.participants.save(participant, now)
    log.info("intake_completed", participant_ref=participant.ref)
    return participant


async def correct_intake(
    cmd: commands.CorrectIntake, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Correct the outcome: a new version of the whole outcome, the earlier kept."""
    deps.check_preconditions(cmd.outcome)
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.correct_intake(
        cmd.outcome,
        reason=cmd.reason,
        today=local_day(now),
        by=cmd.by,
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await uow.participants.save(participant, now)
    log.info("intake_corrected", participant_ref=participant.ref, reason=cmd.reason.value)
    return participant
