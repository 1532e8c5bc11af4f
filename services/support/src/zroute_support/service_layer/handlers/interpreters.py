"""Interpreter requests (issue 17 item 6, issue 18 item 4): intake's scheduled intakes and
progress meetings that need an interpreter become requests to the interpreter partner the
task division names (task ``interpreter``); that partner's staff confirm or decline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from zroute_contract.events.codes import (
    BookingStatus,
    InterpreterAppointment,
    InterpreterWithdrawReason,
    RouteTask,
)
from zroute_contract.events.intake import (
    IntakeCancelled,
    IntakeScheduled,
    ProgressMeetingScheduled,
)
from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_support.domain.care_pauses import CARE_UNDER_WAY
from zroute_support.domain.errors import Conflict, Forbidden, NotFound, Refused
from zroute_support.domain.interpreters import Appointment, InterpreterRequest, RequestStatus
from zroute_support.domain.participants import Participant
from zroute_support.domain.referrals import Referral
from zroute_support.service_layer import access
from zroute_support.service_layer.deps import Deps, check_reason
from zroute_support.service_layer.handlers import routing
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def intake_scheduled(event: IntakeScheduled, ctx: HandlerContext) -> None:
    """An intake with an interpreter booking not yet confirmed asks the interpreter partner."""
    booking = event.interpreter
    needed = booking is not None and booking.status is not BookingStatus.CONFIRMED
    await _schedule(
        ctx.uow,
        event.participant_ref,
        InterpreterAppointment.INTAKE,
        str(event.intake_id),
        (event.starts_at, booking.language if booking and needed else None),
    )


async def intake_cancelled(event: IntakeCancelled, ctx: HandlerContext) -> None:
    """The intake was called off (issue 17): the interpreter asked for it is withdrawn
    from its partner (``not_needed``: called off). A later intake has a new id and is
    asked anew."""
    uow = ctx.uow
    if await uow.participants.get(event.participant_ref) is None:
        raise AwaitingPredecessor(f"unknown participant {event.participant_ref}")
    request = await uow.interpreters.for_appointment(
        event.participant_ref, InterpreterAppointment.INTAKE, str(event.intake_id)
    )
    if request is None or not request.withdraw(InterpreterWithdrawReason.NOT_NEEDED):
        return  # none was asked (no interpreter needed), or it is withdrawn already
    await uow.interpreters.save(request, uow.clock.now())
    _log.info("interpreter.intake_cancelled", participant_ref=event.participant_ref)


async def meeting_scheduled(event: ProgressMeetingScheduled, ctx: HandlerContext) -> None:
    """A progress meeting that asks for an interpreter asks the interpreter partner."""
    language = event.interpreter_language if event.interpreter_needed else None
    if event.interpreter_needed and language is None:
        _log.warning("interpreter.no_language", participant_ref=event.participant_ref)
    await _schedule(
        ctx.uow,
        event.participant_ref,
        InterpreterAppointment.PROGRESS_MEETING,
        str(event.meeting_number),
        (event.starts_at, language),
    )


async def _schedule(
    uow: SupportUnitOfWork,
    participant_ref: str,
    kind: InterpreterAppointment,
    key: str,
    when_and_language: tuple[datetime, str | None],
) -> None:
    """Ask (again) for the appointment, or withdraw its request when no interpreter is
    needed any more; ``when_and_language``: the start and the language (None: not needed)."""
    who = await uow.participants.get(participant_ref)
    if who is None:  # participant-registered may still be in a retry queue: wait for it
        raise AwaitingPredecessor(f"unknown participant {participant_ref}")
    existing = await uow.interpreters.for_appointment(participant_ref, kind, key)
    starts_at, language = when_and_language
    now = uow.clock.now()
    if language is None:
        if existing is not None and existing.withdraw(InterpreterWithdrawReason.NOT_NEEDED):
            await uow.interpreters.save(existing, now)
        return
    appointment = Appointment(participant_ref, who.programme_id, kind, key, starts_at, language)
    await _ask(uow, who, appointment, existing)


async def _ask(
    uow: SupportUnitOfWork,
    who: Participant,
    appointment: Appointment,
    existing: InterpreterRequest | None,
) -> InterpreterRequest:
    """Ask the partner the agreement in force on the appointment's day names for the task
    ``interpreter`` (unrouted when none); the partner asked before for another time or
    under another agreement is told its request is withdrawn."""
    now = uow.clock.now()
    participant_ref, kind = appointment.participant_ref, appointment.kind
    agreement = await routing.agreement_on(uow, who.programme_id, local_day(appointment.starts_at))
    partner_id = agreement.responsible_for(RouteTask.INTERPRETER) if agreement else None
    if partner_id is None:
        _log.warning("interpreter.unrouted", participant_ref=participant_ref, appointment=kind)
    request = existing or InterpreterRequest.new(appointment, now)
    request.ask(appointment, partner_id, now)
    await uow.interpreters.save(request, now)
    return request


# A request in one of these still stands: a new language asks it again.
_STANDING = frozenset({RequestStatus.REQUESTED, RequestStatus.CONFIRMED, RequestStatus.UNROUTED})


async def follow_language(uow: SupportUnitOfWork, who: Participant, language: str) -> int:
    """The participant's preferred language changed (``who`` still has the old one): each
    request still to come that was asked in the old language is asked again in the new
    one, under the same request id, of the partner the agreement names (a confirmed
    interpreter for the old language no longer fits). Returns how many were asked again."""
    now = uow.clock.now()
    asked = 0
    for request in await uow.interpreters.for_participant(who.participant_ref):
        appointment = request.appointment
        if (
            request.status not in _STANDING
            or appointment.starts_at <= now
            or appointment.language != who.preferred_language
        ):
            continue
        await _ask(uow, who, replace(appointment, language=language), request)
        asked += 1
    return asked


async def withdraw_for_participant(uow: SupportUnitOfWork, participant_ref: str) -> int:
    """The participant left the route: every request sent is withdrawn from its partner
    (an intake that will not be held, meetings that will not take place)."""
    withdrawn = 0
    for request in await uow.interpreters.for_participant(participant_ref):
        if request.withdraw(InterpreterWithdrawReason.PARTICIPANT_WITHDRAWN):
            await uow.interpreters.save(request, uow.clock.now())
            withdrawn += 1
    return withdrawn


async def withdraw_for_referral(uow: SupportUnitOfWork, referral: Referral) -> bool:
    """The referral closed (cancelled, reassigned, declined, failed, completed): the
    interpreter for its intake, when that is still to come, is withdrawn."""
    request = await uow.interpreters.for_appointment(
        referral.participant_ref, InterpreterAppointment.REFERRAL_INTAKE, str(referral.referral_id)
    )
    now = uow.clock.now()
    if request is None or request.appointment.starts_at <= now:
        return False
    if not request.withdraw(InterpreterWithdrawReason.REFERRAL_WITHDRAWN):
        return False
    await uow.interpreters.save(request, now)
    return True


async def referral_intake(
    uow: SupportUnitOfWork,
    principal: Principal,
    referral_id: UUID,
    starts_at: datetime,
    interpreter: tuple[bool | None, str | None],
) -> InterpreterRequest | None:
    """The care partner plans the intake of an accepted referral (issue 18 item 4).
    ``interpreter``: whether one is needed (None: as registration says) and the language
    (None: the participant's preferred language). With an interpreter the partner the task
    division names is asked; without, an earlier request is withdrawn from its partner.
    Returns the request, None when no interpreter is needed."""
    referral = await uow.referrals.get(referral_id, for_update=True)
    if referral is None:
        raise NotFound(f"unknown referral {referral_id}")
    await access.ensure_participant_municipality(
        uow, principal, referral.participant_ref, "referral"
    )
    if principal.partner_scope() is not None:
        access.ensure_partner(principal, referral.partner_id)
    if referral.status not in CARE_UNDER_WAY:
        raise Conflict(
            f"the referral is {referral.status.value}; its intake is planned once accepted"
        )
    who = await routing.participant(uow, referral.participant_ref)
    if starts_at <= uow.clock.now():
        raise Refused("the referral's intake must start in the future")
    wanted = _language(who, *interpreter)
    key = str(referral_id)
    kind = InterpreterAppointment.REFERRAL_INTAKE
    existing = await uow.interpreters.for_appointment(referral.participant_ref, kind, key)
    if wanted is None:
        if existing is not None and existing.withdraw(InterpreterWithdrawReason.NOT_NEEDED):
            await uow.interpreters.save(existing, uow.clock.now())
        return None
    appointment = Appointment(
        referral.participant_ref, who.programme_id, kind, key, starts_at, wanted
    )
    return await _ask(uow, who, appointment, existing)


def _language(who: Participant, needed: bool | None, language: str | None) -> str | None:
    """The language to ask an interpreter in, None when none is needed."""
    if needed is False or (needed is None and not who.interpreter_needed and language is None):
        return None
    found = language or who.preferred_language
    if found is None:
        raise Refused("name the interpreter_language: the participant's language is not known here")
    return found


async def for_referral(uow: SupportUnitOfWork, referral: Referral) -> InterpreterRequest | None:
    """The interpreter request of the referral's intake, if one was made (not withdrawn)."""
    request = await uow.interpreters.for_appointment(
        referral.participant_ref, InterpreterAppointment.REFERRAL_INTAKE, str(referral.referral_id)
    )
    if request is None or request.status is RequestStatus.WITHDRAWN:
        return None
    return request


async def _own_request(
    uow: SupportUnitOfWork, principal: Principal, request_id: UUID
) -> InterpreterRequest:
    """The request, for the staff of the partner it was addressed to (and the
    coordinators of the participant's municipality, who read it)."""
    request = await uow.interpreters.get(request_id, for_update=True)
    if request is None:
        raise NotFound(f"unknown interpreter request {request_id}")
    await access.ensure_participant_municipality(
        uow, principal, request.appointment.participant_ref, "interpreter request"
    )
    return request


async def list_requests(uow: SupportUnitOfWork, principal: Principal) -> list[InterpreterRequest]:
    """The caller's partner's requests, or (staff of the municipality) all requests
    about participants of the caller's municipality."""
    own = principal.partner_scope()
    if own is None and not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR, Role.CASEWORKER):
        return []  # partner staff without a partner: nothing is theirs
    found = await uow.interpreters.for_partner(own)
    scope = principal.municipality_scope()
    if own is not None or scope is None:
        return found
    kept = []
    for r in found:
        who = await uow.participants.get(r.appointment.participant_ref)
        if who is not None and who.municipality == scope:
            kept.append(r)
    return kept


async def read_request(
    uow: SupportUnitOfWork, principal: Principal, request_id: UUID
) -> InterpreterRequest:
    """One request, for its partner's staff or a coordinator."""
    request = await _own_request(uow, principal, request_id)
    if principal.partner_scope() is not None:
        access.ensure_partner(principal, request.partner_id)
    return request


async def confirm(
    uow: SupportUnitOfWork, principal: Principal, request_id: UUID
) -> InterpreterRequest:
    """The interpreter partner confirms: only its own staff may answer."""
    request = await _own_request(uow, principal, request_id)
    _ensure_interpreter_partner(principal, request)
    request.confirm(principal.subject, uow.clock.now())
    await uow.interpreters.save(request, uow.clock.now())
    return request


async def decline(
    uow: SupportUnitOfWork, principal: Principal, request_id: UUID, reason: str, deps: Deps
) -> InterpreterRequest:
    """The interpreter partner declines with a reason from the configured list."""
    check_reason(reason, deps.interpreter_decline_reasons, "interpreter decline")
    request = await _own_request(uow, principal, request_id)
    _ensure_interpreter_partner(principal, request)
    request.decline(reason, principal.subject, uow.clock.now())
    await uow.interpreters.save(request, uow.clock.now())
    return request


def _ensure_interpreter_partner(principal: Principal, request: InterpreterRequest) -> None:
    """Only the staff of the partner asked answer for it: a coordinator cannot confirm an
    interpreter on the partner's behalf (the partner books the person)."""
    if Role.PARTNER_STAFF not in principal.roles or principal.partner_id != request.partner_id:
        raise Forbidden("only the interpreter partner asked may answer this request")
