"""Childcare and transport (lesson L14): needed from the intake, arranged by a partner,
lapsed when the period ends or the schedule needs days it does not cover."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from uuid import UUID, uuid4

from zroute_contract.events.codes import LapseReason, PartnerCapability, RouteTask, Weekday
from zroute_runtime import timers
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_support.adapters.participants_repo import Participant, ParticipantRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.preconditions import Precondition, PreconditionKind
from zroute_support.service_layer import lookups
from zroute_support.service_layer.rules import local_date, start_of

END_TIMER = "precondition-ends"
TASK = {
    PreconditionKind.CHILDCARE: RouteTask.CHILDCARE,
    PreconditionKind.TRANSPORT: RouteTask.TRANSPORT,
}
CAPABILITY = {
    PreconditionKind.CHILDCARE: PartnerCapability.CHILDCARE,
    PreconditionKind.TRANSPORT: PartnerCapability.TRANSPORT,
}


def end_timer_key(precondition: Precondition) -> str:
    """Names the arrangement too, so a re-arranged precondition ignores the old timer."""
    return f"{precondition.precondition_id}/{precondition.arrangement_id}"


async def record_needs(
    uow: UnitOfWork, who: Participant, needs: dict[PreconditionKind, bool]
) -> None:
    """The (corrected) intake says which preconditions are needed; a new one goes to
    the partner responsible under the agreement (or the next one with room)."""
    repo = PreconditionRepository(uow.conn)
    existing = {p.kind: p for p in await repo.for_participant(who.participant_ref)}
    for kind, needed in needs.items():
        precondition = existing.get(kind)
        if precondition is None:
            if not needed:
                continue
            choice = await lookups.route(
                uow.conn,
                who=who,
                task=TASK[kind],
                capability=CAPABILITY[kind],
                day=local_date(uow.clock.now()),
                load=partial(repo.load, kind),
            )
            precondition = Precondition(
                precondition_id=uuid4(),
                participant_ref=who.participant_ref,
                programme_id=who.programme_id,
                kind=kind,
                partner_id=choice.partner_id,
                waiting_reason=choice.reason,
            )
        precondition.set_needed(needed)
        await repo.save(precondition)


async def load(uow: UnitOfWork, precondition_id: UUID) -> Precondition:
    found = await PreconditionRepository(uow.conn).get(precondition_id)
    if found is None:
        raise NotFound(f"unknown precondition {precondition_id}")
    return found


async def arrange(
    uow: UnitOfWork,
    precondition: Precondition,
    *,
    partner_id: str,
    arranged_from: date,
    arranged_until: date | None,
    days_covered: tuple[Weekday, ...],
) -> None:
    partner = await lookups.capable_partner(uow.conn, partner_id, CAPABILITY[precondition.kind])
    who = await lookups.participant(uow.conn, precondition.participant_ref)
    if not partner.serves(who.municipality):
        raise Refused(f"partner {partner_id} does not serve the participant's municipality")
    scheduled = await ParticipantRepository(uow.conn).scheduled_days(precondition.participant_ref)
    precondition.arrange(
        partner_id=partner_id,
        arranged_from=arranged_from,
        arranged_until=arranged_until,
        days_covered=days_covered,
        scheduled=scheduled,
    )
    if precondition.partner_id is None:
        precondition.partner_id = partner_id
    await _save(uow, precondition)
    if arranged_until is not None:
        await timers.schedule(
            uow.conn,
            kind=END_TIMER,
            key=end_timer_key(precondition),
            due_at=start_of(arranged_until + timedelta(days=1)),
        )


async def _save(uow: UnitOfWork, precondition: Precondition) -> None:
    await PreconditionRepository(uow.conn).save(precondition)
    uow.track(precondition)


async def lapse(uow: UnitOfWork, precondition: Precondition, reason: LapseReason, on: date) -> bool:
    lapsed = precondition.lapse(reason, on)
    await _save(uow, precondition)
    return lapsed


async def check_schedule(
    uow: UnitOfWork, ref: str, weekdays: tuple[Weekday, ...], effective_on: date
) -> None:
    """A new schedule: every arrangement must still cover the scheduled weekdays."""
    for precondition in await PreconditionRepository(uow.conn).for_participant(ref):
        if precondition.check_schedule(weekdays, effective_on):
            await _save(uow, precondition)


async def end_arrangement(timer: DueTimer, uow: UnitOfWork) -> None:
    """Timer ``precondition-ends``: the day after ``arranged_until`` the arrangement lapses."""
    precondition_id, arrangement_id = timer.key.split("/")
    precondition = await PreconditionRepository(uow.conn).get(UUID(precondition_id))
    if precondition is None or str(precondition.arrangement_id) != arrangement_id:
        return  # re-arranged since: this timer is stale
    if precondition.end_if_over(local_date(uow.clock.now())):
        await _save(uow, precondition)


async def end_all(uow: UnitOfWork, ref: str) -> None:
    """The participant left or completed the route: nothing more to arrange."""
    for precondition in await PreconditionRepository(uow.conn).for_participant(ref):
        if precondition.arrangement_id is not None:
            await timers.cancel(uow.conn, kind=END_TIMER, key=end_timer_key(precondition))
        precondition.end()
        await PreconditionRepository(uow.conn).save(precondition)
