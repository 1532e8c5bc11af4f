"""Command handlers of the PIP case: load, apply one rule, save, in one unit of work.

The participant's row is locked first, so that two first changes of a case cannot both
insert it; the case's own version then guards against a change from a stale read. The
decisions' events are collected through ``uow.track`` into the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import asyncpg
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_intake.adapters.pip_repository import PipRepository
from zroute_intake.adapters.repository import ParticipantRepository
from zroute_intake.domain import pip_commands as c
from zroute_intake.domain.errors import Conflict, Forbidden, NotFound
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.pip_case import PipCase, PipChange
from zroute_intake.domain.values import CLOSED, Status
from zroute_intake.service_layer.dependencies import IntakeDependencies, local_date

Apply = Callable[[PipCase, datetime, date], None]


async def load_participant(
    ref: str, scope: str | None, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    found = await ParticipantRepository(uow.conn, deps.protector).get(ref, for_update=True)
    return _in_scope(found, ref, scope)


def _in_scope(participant: Participant | None, ref: str, scope: str | None) -> Participant:
    """``participant``, or 404 when there is none and 403 when it is of another municipality."""
    if participant is None:
        raise NotFound(f"no participant {ref}; check the participant reference")
    if scope is not None and scope != participant.municipality:
        raise Forbidden("this participant belongs to another municipality")
    return participant


async def read_pip(
    conn: asyncpg.Connection, ref: str, scope: str | None, deps: IntakeDependencies
) -> tuple[PipCase, list[PipChange]]:
    """The participant's PIP case and who changed it (the read side; no lock)."""
    participant = _in_scope(await ParticipantRepository(conn, deps.protector).get(ref), ref, scope)
    repo = PipRepository(conn)
    return await repo.get(ref, participant.programme_id), await repo.changes(ref)


async def _change(
    cmd: c.PipCommand,
    uow: UnitOfWork,
    deps: IntakeDependencies,
    apply: Apply,
    *,
    after_intake: bool = False,
) -> PipCase:
    participant = await load_participant(cmd.ref, cmd.scope, uow, deps)
    if participant.status in CLOSED:
        raise Conflict(f"the participant's route has ended ({participant.status.value})")
    if after_intake and participant.status is not Status.INTAKE_COMPLETED:
        raise Conflict("the PIP rests on the broad intake: complete the intake first")
    repo = PipRepository(uow.conn)
    case = await repo.get(participant.ref, participant.programme_id, for_update=True)
    case.check_version(cmd.expected_version)
    now = uow.clock.now()
    apply(case, now, local_date(now))
    await repo.save(case, now)
    uow.track(case)
    return case


async def prepare_pip(cmd: c.PreparePip, uow: UnitOfWork, deps: IntakeDependencies) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.prepare(cmd.content, cmd.by, now)

    return await _change(cmd, uow, deps, apply, after_intake=True)


async def establish_pip(cmd: c.EstablishPip, uow: UnitOfWork, deps: IntakeDependencies) -> PipCase:
    return await _change(
        cmd, uow, deps, lambda case, now, today: _ok(case.establish(cmd.dated, cmd.by, now, today))
    )


async def amend_pip(cmd: c.AmendPip, uow: UnitOfWork, deps: IntakeDependencies) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.amend(cmd.dated, cmd.reason, cmd.by, now, today)

    return await _change(cmd, uow, deps, apply)


async def lodge_objection(
    cmd: c.LodgeObjection, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.lodge_objection(cmd.stage, cmd.lodged_on, cmd.by, now)

    return await _change(cmd, uow, deps, apply)


async def decide_objection(
    cmd: c.DecideObjection, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.decide_objection(cmd.outcome, cmd.decided_on, cmd.by, now)

    return await _change(cmd, uow, deps, apply)


async def record_deadline_start(
    cmd: c.RecordDeadlineStart, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd, uow, deps, lambda case, now, _: case.record_deadline_start(cmd.start, cmd.by, now)
    )


async def await_information(
    cmd: c.AwaitInformation, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd,
        uow,
        deps,
        lambda case, now, _: _ok(case.await_information(cmd.requested_on, cmd.by, now)),
    )


async def receive_information(
    cmd: c.ReceiveInformation, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    def apply(case: PipCase, now: datetime, today: date) -> None:
        case.receive_information(cmd.number, cmd.received_on, cmd.by, now)

    return await _change(cmd, uow, deps, apply)


async def record_extension(
    cmd: c.RecordExtension, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd, uow, deps, lambda case, now, _: case.record_extension(cmd.extension, cmd.by, now)
    )


async def record_release(
    cmd: c.RecordRelease, uow: UnitOfWork, deps: IntakeDependencies
) -> PipCase:
    return await _change(
        cmd, uow, deps, lambda case, now, _: case.record_release(cmd.release, cmd.by, now)
    )


def _ok(_: object) -> None:
    """Drop a rule's return value where the handler needs none."""
