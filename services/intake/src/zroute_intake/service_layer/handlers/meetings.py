"""Command handlers of the progress meetings and the final meeting: load the participant
(locked), the PIP and the meeting series, apply one rule, save, in one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import meeting_commands as c
from zroute_intake.domain.errors import Conflict
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.pip import Pip
from zroute_intake.domain.values import CLOSED
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

Apply = Callable[[MeetingSeries, Pip, datetime, date], None]

log = get_logger(__name__)


async def _change(cmd: c.MeetingCommand, uow: IntakeUnitOfWork, apply: Apply) -> MeetingSeries:
    participant = await uow.participants.reach(cmd.ref, cmd.scope, lock=True)
    if participant.status in CLOSED:
        raise Conflict(f"the participant's route has ended ({participant.status.value})")
    case = await uow.pips.get(participant.ref, participant.programme_id)
    series = await uow.meetings.get(participant.ref, participant.programme_id, for_update=True)
    series.check_version(cmd.expected_version)
    now = uow.clock.now()
    apply(series, case.decision, now, local_day(now))
    await uow.meetings.save(series, now)
    log.info("meetings_changed", participant_ref=participant.ref, command=type(cmd).__name__)
    return series


async def plan_meetings(
    cmd: c.PlanMeetings, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> MeetingSeries:
    """Plan the number of progress meetings the established PIP sets."""

    def apply(series: MeetingSeries, pip: Pip, now: datetime, today: date) -> None:
        series.plan(cmd.due_on, pip, cmd.by, now)

    return await _change(cmd, uow, apply)


async def invite(
    cmd: c.InviteToMeeting, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> MeetingSeries:
    """Invite the participant (an interpreter where needed, the partners concerned)."""

    def apply(series: MeetingSeries, pip: Pip, now: datetime, today: date) -> None:
        series.invite(cmd.number, cmd.invitation, cmd.by, now)

    return await _change(cmd, uow, apply)


async def record_meeting(
    cmd: c.RecordMeeting, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> MeetingSeries:
    """Record a held progress meeting and its decision on the PIP."""

    def apply(series: MeetingSeries, pip: Pip, now: datetime, today: date) -> None:
        series.record(cmd.number, cmd.record, pip, today, now)

    return await _change(cmd, uow, apply)


async def record_final_meeting(
    cmd: c.RecordFinalMeeting, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> MeetingSeries:
    """Record the Z-route's final meeting (only the municipality's caseworker reaches
    this: the access matrix refuses everyone else)."""

    def apply(series: MeetingSeries, pip: Pip, now: datetime, today: date) -> None:
        series.record_final(cmd.record, pip, today, now)

    return await _change(cmd, uow, apply)
