"""Pause and resume of a participant's route (illness, pregnancy, treatment, a care
admission, the participant's request): each with its ground, the acting user and the time;
the events carry the coarse reason only. Planning pauses and resumes the plan."""

from __future__ import annotations

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.pauses import Pause
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


async def pause_route(
    cmd: commands.PauseRoute, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Pause the route from ``paused_from``; ``participant-paused`` goes to planning."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    pause = Pause(
        pause_id=cmd.pause_id,
        ground=cmd.ground,
        paused_from=cmd.paused_from,
        expected_until=cmd.expected_until,
        by=cmd.by,
        at=now,
    )
    participant.pause(pause, today=local_day(now))
    await uow.participants.save(participant, now)
    log.info("participant_paused", participant_ref=participant.ref, reason=pause.ground.reason)
    return participant


async def resume_route(
    cmd: commands.ResumeRoute, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """End the pause: the route resumes on ``resumed_on``; ``participant-resumed`` goes out."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    ended = participant.resume(
        cmd.pause_id, resumed_on=cmd.resumed_on, today=local_day(now), by=cmd.by, at=now
    )
    await uow.participants.save(participant, now)
    log.info(
        "participant_resumed", participant_ref=participant.ref, days=ended.days(cmd.resumed_on)
    )
    return participant
