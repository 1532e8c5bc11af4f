"""Command handlers of the PIP case: load, apply one rule, save, in one unit of work.

The participant's row is locked first, so that two first changes of a case cannot both
insert it; the case's own version then guards against a change from a stale read. The
unit of work collects the decisions' events from the case (``uow.pips`` saw it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import pip_commands as c
from zroute_intake.domain.errors import Conflict
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.domain.values import CLOSED, Status
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers import participants
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

Apply = Callable[[PipCase, datetime, date], None]

log = get_logger(__name__)


async def _change(
    cmd: c.PipCommand,
    uow: IntakeUnitOfWork,
    deps: IntakeDependencies,
    apply: Apply,
    *,
    after_intake: bool = False,
    check: Callable[[Participant], None] | None = None,
) -> PipCase:
    participant = await uow.participants.reach(cmd.ref, cmd.scope, lock=True)
    if participant.status in CLOSED:
        raise Conflict(f"the participant's route has ended ({participant.status.value})")
    if after_intake and participant.status is not Status.INTAKE_COMPLETED:
        raise Conflict("the PIP rests on the broad intake: complete the intake first")
    if check is not None:
        check(participant)
    case = await uow.pips.get(participant.ref, participant.programme_id, for_update=True)
    case.check_version(cmd.expected_version)
    now = uow.clock.now()
    apply(case, now, local_day(now))
    await uow.pips.save(case, now)
    log.info("pip_changed", participant_ref=participant.ref, command=type(cmd).__name__)
    return case


async def prepare_pip(
    cmd: c.PreparePip, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.prepare(cmd.content, cmd.by, now)

    return await _change(cmd, uow, deps, apply, after_intake=True)


async def establish_pip(
    cmd: c.EstablishPip, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd, uow, deps, lambda case, now, today: _ok(case.establish(cmd.dated, cmd.by, now, today))
    )


async def amend_pip(cmd: c.AmendPip, uow: IntakeUnitOfWork, deps: IntakeDependencies) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.amend(cmd.dated, cmd.reason, cmd.by, now, today)

    return await _change(cmd, uow, deps, apply)


async def lodge_objection(
    cmd: c.LodgeObjection, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.lodge_objection(cmd.stage, cmd.lodged_on, cmd.by, now)

    return await _change(cmd, uow, deps, apply)


async def decide_objection(
    cmd: c.DecideObjection, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.decide_objection(cmd.outcome, cmd.decided_on, cmd.by, now)

    return await _change(cmd, uow, deps, apply)


async def record_deadline_start(
    cmd: c.RecordDeadlineStart, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd,
        uow,
        deps,
        lambda case, now, today: case.record_deadline_start(cmd.start, cmd.by, now, today),
    )


async def await_information(
    cmd: c.AwaitInformation, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd,
        uow,
        deps,
        lambda case, now, today: _ok(case.await_information(cmd.requested_on, cmd.by, now, today)),
    )


async def receive_information(
    cmd: c.ReceiveInformation, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.receive_information(cmd.number, cmd.received_on, cmd.by, now, today)

    return await _change(cmd, uow, deps, apply)


async def record_extension(
    cmd: c.RecordExtension, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd,
        uow,
        deps,
        lambda case, now, today: case.record_extension(cmd.extension, cmd.by, now, today),
    )


async def record_release(
    cmd: c.RecordRelease, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> PipCase:
    """DUO ended the obligation; the retention of the personal data runs from its end
    (B 9.9)."""
    case = await _change(
        cmd,
        uow,
        deps,
        lambda case, now, today: case.record_release(cmd.release, cmd.by, now, today),
        check=lambda participant: cmd.release.check_on_record_from(participant.registered_on),
    )
    await participants.schedule_erasure_after_release(
        case.participant_ref, cmd.release.effective_on, uow, deps
    )
    return case


def _ok(_: object) -> None:
    """Drop a rule's return value where the handler needs none."""
