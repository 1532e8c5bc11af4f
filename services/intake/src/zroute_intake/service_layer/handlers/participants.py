"""Registration, withdrawal, the route's end (from planning), the erasure timer and the
deletion of the core data (B 9.9)."""

from __future__ import annotations

from datetime import date

from zroute_contract.events.planning import RouteCompleted
from zroute_contract.types import new_participant_ref
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext, Unprocessable
from zroute_runtime.timers import DueTimer

from zroute_intake.domain import commands
from zroute_intake.domain.errors import Forbidden
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

ERASURE_TIMER = "erase-personal-data"
CORE_DELETION_TIMER = "delete-core-data"

log = get_logger(__name__)


async def register_participant(
    cmd: commands.RegisterParticipant, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Register a newcomer under a new pseudonymous reference (DuplicateBsn when the BSN
    is registered in the municipality already)."""
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
        today=local_day(now),
    )
    await uow.participants.add(participant, now)
    log.info("participant_registered", participant_ref=participant.ref)
    return participant


async def withdraw_participant(
    cmd: commands.WithdrawParticipant, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Withdraw the participant from the route; the erasure of the personal data is due
    the retention period after ``effective_on``."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    participant.withdraw(
        cmd.reason, effective_on=cmd.effective_on, today=local_day(uow.clock.now())
    )
    await uow.participants.save(participant, uow.clock.now())
    await _schedule_erasure(participant, uow, deps)
    log.info("participant_withdrawn", participant_ref=participant.ref, reason=cmd.reason.value)
    return participant


async def _schedule_erasure(
    participant: Participant, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> None:
    ended = participant.route_ended_on
    assert ended is not None
    await uow.timers.schedule(
        kind=ERASURE_TIMER,
        key=participant.ref,
        due_at=deps.erasure_due(ended),
        payload={"participant_ref": participant.ref},
    )


async def on_route_completed(
    event: RouteCompleted, ctx: HandlerContext, deps: IntakeDependencies
) -> None:
    """Planning completed the route: the retention period of the personal data starts."""
    uow: IntakeUnitOfWork = ctx.uow
    participant = await uow.participants.get(event.participant_ref, for_update=True)
    if participant is None:
        raise Unprocessable(f"unknown participant {event.participant_ref}")
    if participant.handed_over:
        # Another intake service holds the case since the move; this copy's retention
        # runs from the move already.
        log.info("route_completed_handed_over", participant_ref=participant.ref)
        return
    if participant.complete_route(event.completed_on):
        await uow.participants.save(participant, uow.clock.now())
        await _schedule_erasure(participant, uow, deps)
        log.info("route_completed_erasure_scheduled", participant_ref=participant.ref)
    else:
        log.info("route_completed_already_closed", participant_ref=participant.ref)


async def erase_personal_data(
    timer: DueTimer, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> None:
    """The retention period has passed (B 9.9: after the route's end or DUO's end of the
    obligation): erase the personal data and the meetings' free text, keep the core data
    (codes, dates, decisions: the pseudonymous history)."""
    participant = await uow.participants.get(timer.key, for_update=True)
    if participant is None:
        log.warning("erasure_participant_missing", participant_ref=timer.key)
        return
    case = await uow.pips.get(participant.ref, participant.programme_id)
    today = local_day(uow.clock.now())
    released = case.release is not None and case.release.effective_on <= today
    ended = case.release.effective_on if released and case.release else participant.route_ended_on
    if participant.erase_personal_data(uow.clock.now(), obligation_ended=released, ended_on=ended):
        await uow.participants.save(participant, uow.clock.now())
        log.info("personal_data_erased", participant_ref=participant.ref)
    series = await uow.meetings.get(participant.ref, participant.programme_id, for_update=True)
    if series.erase_free_text():
        await uow.meetings.save(series, uow.clock.now())
        log.info("meeting_notes_erased", participant_ref=participant.ref)
    # The core data outlives the personal data, up to 50 years after the obligation ended
    # (B 9.9); its timer starts from the same day the erasure's did.
    if ended is not None:
        await uow.timers.schedule(
            kind=CORE_DELETION_TIMER,
            key=participant.ref,
            due_at=deps.core_deletion_due(ended),
            payload={"participant_ref": participant.ref, "obligation_ended_on": ended.isoformat()},
        )


async def delete_core_data(
    timer: DueTimer, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> None:
    """The core data's retention has passed (B 9.9: at most 50 years after the obligation
    ended): delete everything intake keeps of the participant. Only a participant whose
    personal data was erased is deleted; the reference is then unknown (404)."""
    participant = await uow.participants.get(timer.key, for_update=True)
    if participant is None:
        log.info("core_deletion_participant_missing", participant_ref=timer.key)
        return
    if participant.erased_at is None:
        # Re-enrolled or otherwise back on the route: its retention starts again later.
        log.warning("core_deletion_not_erased", participant_ref=participant.ref)
        return
    participant.delete_core_data(await _obligation_ended_on(timer, participant, uow))
    await uow.participants.delete_core_data(participant.ref)
    log.info("core_data_deleted", participant_ref=participant.ref)


async def _obligation_ended_on(
    timer: DueTimer, participant: Participant, uow: IntakeUnitOfWork
) -> date:
    """The day the retention ran from: kept on the timer since the deletion event; for an
    older timer read again from the record (DUO's release, else the route's end)."""
    kept = timer.payload.get("obligation_ended_on")
    if kept:
        return date.fromisoformat(str(kept))
    case = await uow.pips.get(participant.ref, participant.programme_id)
    if case.release is not None:
        return case.release.effective_on
    return participant.route_ended_on or local_day(uow.clock.now())


async def schedule_erasure_after_release(
    ref: str, effective_on: date, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> None:
    """DUO ended the obligation (exemption or release): the retention runs from then."""
    await uow.timers.schedule(
        kind=ERASURE_TIMER,
        key=ref,
        due_at=deps.erasure_due(effective_on),
        payload={"participant_ref": ref},
    )
