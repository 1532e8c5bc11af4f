"""Preconditions (lesson L14): childcare, transport and the configured kinds (issue 17
item 8), needed from the intake, arranged by the partner the task division names for the
kind's task, lapsed when the period ends or the schedule needs days it does not cover."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import partial
from uuid import UUID, uuid4

from zroute_contract.events.codes import LapseReason, Weekday, precondition_kind
from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day, local_moment
from zroute_runtime.logging import get_logger
from zroute_runtime.timers import DueTimer

from zroute_support.domain.errors import NotFound, Refused
from zroute_support.domain.participants import Participant
from zroute_support.domain.precondition_kinds import DEFAULT_KINDS, KindRule, not_configured
from zroute_support.domain.preconditions import Precondition, PreconditionStatus
from zroute_support.domain.routing import WaitingReason
from zroute_support.service_layer import access
from zroute_support.service_layer.handlers import routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)

END_TIMER = "precondition-ends"


def end_timer_key(precondition: Precondition) -> str:
    """Names the arrangement too, so a re-arranged precondition ignores the old timer."""
    return f"{precondition.precondition_id}/{precondition.arrangement_id}"


async def record_needs(
    uow: SupportUnitOfWork,
    who: Participant,
    needs: dict[str, bool],
    kinds: Mapping[str, KindRule] = DEFAULT_KINDS,
) -> None:
    """The (corrected) intake says which preconditions are needed, by code; a configured
    kind the outcome no longer names is not needed. A new one goes to the partner
    responsible for its kind's task under the agreement (or the next one with room); a
    kind support has no rule for is kept unrouted with the reason."""
    repo = uow.preconditions
    existing = {p.precondition_code: p for p in await repo.for_participant(who.participant_ref)}
    wanted = {code: False for code in existing} | needs
    for code, needed in wanted.items():
        precondition = existing.get(code)
        if precondition is None:
            if not needed:
                continue
            precondition = await _new(uow, who, code, kinds.get(code))
        precondition.set_needed(needed)
        await repo.save(precondition)


async def _new(
    uow: SupportUnitOfWork, who: Participant, code: str, rule: KindRule | None
) -> Precondition:
    """A needed precondition, routed by its kind's rule."""
    kind = precondition_kind(code)
    partner_id: str | None = None
    reason: WaitingReason | None = not_configured(code)
    if rule is None:
        _log.warning(
            "precondition.kind_not_configured", participant_ref=who.participant_ref, code=code
        )
    else:
        choice = await routing.route(
            uow,
            who=who,
            task=rule.task,
            capability=rule.capability,
            day=local_day(uow.clock.now()),
            load=partial(uow.preconditions.load, code),
        )
        partner_id, reason = choice.partner_id, choice.reason
    return Precondition(
        precondition_id=uuid4(),
        participant_ref=who.participant_ref,
        programme_id=who.programme_id,
        kind=kind,
        code=code if code != kind.value else None,
        partner_id=partner_id,
        waiting_reason=reason,
    )


def kind_rule(precondition: Precondition, kinds: Mapping[str, KindRule]) -> KindRule:
    """The rule of the precondition's kind; refused when support has none for it."""
    rule = kinds.get(precondition.precondition_code)
    if rule is None:
        raise Refused(not_configured(precondition.precondition_code).sentence())
    return rule


async def load(uow: SupportUnitOfWork, precondition_id: UUID) -> Precondition:
    found = await uow.preconditions.get(precondition_id)
    if found is None:
        raise NotFound(f"unknown precondition {precondition_id}")
    return found


async def arrange(
    uow: SupportUnitOfWork,
    precondition: Precondition,
    *,
    partner_id: str,
    arranged_from: date,
    arranged_until: date | None,
    days_covered: tuple[Weekday, ...],
    by: str = "system",
    kinds: Mapping[str, KindRule] = DEFAULT_KINDS,
) -> None:
    rule = kind_rule(precondition, kinds)
    partner = await routing.capable_partner(uow, partner_id, rule.capability)
    who = await routing.participant(uow, precondition.participant_ref)
    if not partner.serves(who.municipality):
        raise Refused(f"partner {partner_id} does not serve the participant's municipality")
    scheduled = await uow.participants.scheduled_days(precondition.participant_ref)
    precondition.arrange(
        partner_id=partner_id,
        arranged_from=arranged_from,
        arranged_until=arranged_until,
        days_covered=days_covered,
        scheduled=scheduled,
    )
    if precondition.partner_id is None:
        precondition.partner_id = partner_id
    await _store(uow, precondition, by)
    if arranged_until is not None:
        await uow.timers.schedule(
            kind=END_TIMER,
            key=end_timer_key(precondition),
            due_at=local_moment(arranged_until + timedelta(days=1)),
        )


async def _store(uow: SupportUnitOfWork, precondition: Precondition, by: str = "system") -> None:
    """Store a changed precondition with who changed it (a user, or ``system``) and when."""
    precondition.recorded_by, precondition.recorded_at = by, uow.clock.now()
    await uow.preconditions.save(precondition)
    _log.info(
        "precondition_changed",
        precondition_id=str(precondition.precondition_id),
        status=precondition.status.value,
    )


async def lapse(
    uow: SupportUnitOfWork,
    precondition: Precondition,
    reason: LapseReason,
    on: date,
    by: str = "system",
) -> bool:
    lapsed = precondition.lapse(reason, on)
    await _store(uow, precondition, by)
    return lapsed


async def check_schedule(
    uow: SupportUnitOfWork, ref: str, weekdays: tuple[Weekday, ...], effective_on: date
) -> None:
    """A new schedule: every arrangement must still cover the scheduled weekdays."""
    for precondition in await uow.preconditions.for_participant(ref):
        if precondition.check_schedule(weekdays, effective_on):
            await _store(uow, precondition)


async def end_arrangement(timer: DueTimer, uow: SupportUnitOfWork) -> None:
    """Timer ``precondition-ends``: the day after ``arranged_until`` the arrangement lapses."""
    precondition_id, arrangement_id = timer.key.split("/")
    precondition = await uow.preconditions.get(UUID(precondition_id))
    if precondition is None or str(precondition.arrangement_id) != arrangement_id:
        return  # re-arranged since: this timer is stale
    if precondition.end_if_over(local_day(uow.clock.now())):
        await _store(uow, precondition)


async def end_all(uow: SupportUnitOfWork, ref: str) -> None:
    """The participant left or completed the route: nothing more to arrange."""
    for precondition in await uow.preconditions.for_participant(ref):
        if precondition.arrangement_id is not None:
            await uow.timers.cancel(kind=END_TIMER, key=end_timer_key(precondition))
        precondition.end()
        await uow.preconditions.save(precondition)


async def arrange_as(
    uow: SupportUnitOfWork,
    principal: Principal,
    precondition_id: UUID,
    *,
    partner_id: str | None,
    arranged_from: date,
    arranged_until: date | None,
    days_covered: tuple[Weekday, ...],
    kinds: Mapping[str, KindRule] = DEFAULT_KINDS,
) -> Precondition:
    """Record the arrangement: by which partner (partner staff for their own only), from
    and until, which weekdays; ``kinds``: the configured precondition kinds."""
    precondition = await load(uow, precondition_id)
    await access.ensure_participant_municipality(
        uow, principal, precondition.participant_ref, "precondition"
    )
    own = principal.partner_scope()
    if own is not None:
        access.ensure_partner(principal, precondition.partner_id)
        await access.ensure_serves_participant(uow, principal, precondition)
        if partner_id not in (None, own):
            raise Refused("partner staff arrange for their own partner only")
    chosen = own or partner_id or precondition.partner_id
    if chosen is None:
        raise Refused("no partner is assigned; name the providing partner_id")
    await arrange(
        uow,
        precondition,
        partner_id=chosen,
        arranged_from=arranged_from,
        arranged_until=arranged_until,
        days_covered=days_covered,
        by=principal.subject,
        kinds=kinds,
    )
    return precondition


async def lapse_as(
    uow: SupportUnitOfWork,
    principal: Principal,
    precondition_id: UUID,
    reason: LapseReason,
    lapsed_on: date,
) -> Precondition:
    """The partner or the participant stopped: planning hears it lapsed."""
    precondition = await load(uow, precondition_id)
    await access.ensure_precondition(uow, principal, precondition)
    if precondition.status is not PreconditionStatus.ARRANGED:
        raise Refused(f"a precondition that is {precondition.status.value} cannot lapse")
    await lapse(uow, precondition, reason, lapsed_on, principal.subject)
    return precondition
