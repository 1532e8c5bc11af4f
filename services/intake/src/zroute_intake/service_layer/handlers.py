"""Command handlers (from HTTP), the event handler (route completed) and the erasure timer.

Each runs inside one unit of work: the change, the events the participant collected
(via ``uow.track``) and any timer commit together or not at all. Handlers never commit
and never publish.
"""

from __future__ import annotations

import asyncpg
from zroute_contract.events.planning import RouteCompleted
from zroute_contract.types import new_participant_ref
from zroute_runtime import timers
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext, Unprocessable
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_intake.adapters.repository import ParticipantRepository
from zroute_intake.domain import commands
from zroute_intake.domain.errors import DuplicateBsn, Forbidden, NotFound
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.dependencies import IntakeDependencies, local_date

ERASURE_TIMER = "erase-personal-data"

log = get_logger(__name__)


async def register_participant(
    cmd: commands.RegisterParticipant, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    if cmd.scope is not None and cmd.scope != cmd.municipality:
        raise Forbidden("you may register participants of your own municipality only")
    deps.care_partner_for(cmd.programme_id)  # refuses an unknown programme
    now = uow.clock.now()
    participant = Participant.register(
        ref=new_participant_ref(),
        programme_id=cmd.programme_id,
        municipality=cmd.municipality,
        personal=cmd.personal,
        preferred_language=cmd.preferred_language,
        interpreter_needed=cmd.interpreter_needed,
        contact=cmd.contact,
        today=local_date(now),
    )
    repo = ParticipantRepository(uow.conn, deps.protector)
    existing = await repo.ref_for_bsn(cmd.municipality, cmd.personal.bsn)
    if existing is not None:
        raise DuplicateBsn(existing)
    try:
        async with uow.conn.transaction():  # a savepoint: a lost race leaves the uow usable
            await repo.add(participant, now)
    except asyncpg.UniqueViolationError:
        existing = await repo.ref_for_bsn(cmd.municipality, cmd.personal.bsn)
        raise DuplicateBsn(existing or "unknown") from None
    uow.track(participant)
    log.info("participant_registered", participant_ref=participant.ref)
    return participant


async def _load(
    cmd: commands.ParticipantCommand, uow: UnitOfWork, deps: IntakeDependencies
) -> tuple[ParticipantRepository, Participant]:
    repo = ParticipantRepository(uow.conn, deps.protector)
    participant = await repo.get(cmd.ref, for_update=True)
    if participant is None:
        raise NotFound(f"no participant {cmd.ref}; check the participant reference")
    if cmd.scope is not None and cmd.scope != participant.municipality:
        raise Forbidden("this participant belongs to another municipality")
    participant.check_version(cmd.expected_version)
    return repo, participant


async def _save(repo: ParticipantRepository, participant: Participant, uow: UnitOfWork) -> None:
    await repo.save(participant, uow.clock.now())
    uow.track(participant)


async def schedule_intake(
    cmd: commands.ScheduleIntake, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.schedule_intake(cmd.appointment, uow.clock.now())
    await _save(repo, participant, uow)
    return participant


async def complete_intake(
    cmd: commands.CompleteIntake, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    now = uow.clock.now()
    participant.complete_intake(
        cmd.outcome,
        now=now,
        today=local_date(now),
        by=cmd.by,
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await _save(repo, participant, uow)
    return participant


async def correct_intake(
    cmd: commands.CorrectIntake, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.correct_intake(
        cmd.outcome,
        reason=cmd.reason,
        today=local_date(uow.clock.now()),
        by=cmd.by,
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await _save(repo, participant, uow)
    return participant


async def assign_contact_person(
    cmd: commands.AssignContactPerson, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.assign_contact_person(
        cmd.contact,
        assigned_from=cmd.assigned_from,
        reason=cmd.reason,
        today=local_date(uow.clock.now()),
    )
    await _save(repo, participant, uow)
    return participant


async def record_consent(
    cmd: commands.RecordConsent, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.record_consent(
        cmd.consent,
        today=local_date(uow.clock.now()),
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await _save(repo, participant, uow)
    return participant


async def withdraw_consent(
    cmd: commands.WithdrawConsent, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.withdraw_consent(
        cmd.consent_id,
        today=local_date(uow.clock.now()),
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await _save(repo, participant, uow)
    return participant


async def withdraw_participant(
    cmd: commands.WithdrawParticipant, uow: UnitOfWork, deps: IntakeDependencies
) -> Participant:
    repo, participant = await _load(cmd, uow, deps)
    participant.withdraw(
        cmd.reason, effective_on=cmd.effective_on, today=local_date(uow.clock.now())
    )
    await _save(repo, participant, uow)
    await _schedule_erasure(participant, uow, deps)
    return participant


async def _schedule_erasure(
    participant: Participant, uow: UnitOfWork, deps: IntakeDependencies
) -> None:
    ended = participant.route_ended_on
    assert ended is not None
    await timers.schedule(
        uow.conn,
        kind=ERASURE_TIMER,
        key=participant.ref,
        due_at=deps.erasure_due(ended),
        payload={"participant_ref": participant.ref},
    )


# -- events and timers ----------------------------------------------------------------


async def on_route_completed(
    event: RouteCompleted, ctx: HandlerContext, deps: IntakeDependencies
) -> None:
    """Planning completed the route: the retention period of the personal data starts."""
    repo = ParticipantRepository(ctx.uow.conn, deps.protector)
    participant = await repo.get(event.participant_ref, for_update=True)
    if participant is None:
        raise Unprocessable(f"unknown participant {event.participant_ref}")
    if participant.complete_route(event.completed_on):
        await _save(repo, participant, ctx.uow)
        await _schedule_erasure(participant, ctx.uow, deps)


async def erase_personal_data(timer: DueTimer, uow: UnitOfWork, deps: IntakeDependencies) -> None:
    """The retention period has passed: erase the personal data, keep the history."""
    repo = ParticipantRepository(uow.conn, deps.protector)
    participant = await repo.get(timer.key, for_update=True)
    if participant is None:
        log.warning("erasure_participant_missing", participant_ref=timer.key)
        return
    if participant.erase_personal_data(uow.clock.now()):
        await _save(repo, participant, uow)
        log.info("personal_data_erased", participant_ref=participant.ref)
