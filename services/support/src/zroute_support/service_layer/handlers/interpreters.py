"""Interpreter requests (issue 17 item 6, issue 18 item 4): intake's scheduled intakes and
progress meetings that need an interpreter become requests to the interpreter partner the
task division names (task ``interpreter``); that partner's staff confirm or decline."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from zroute_contract.events.codes import BookingStatus, InterpreterAppointment, RouteTask
from zroute_contract.events.intake import IntakeScheduled, ProgressMeetingScheduled
from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import AwaitingPredecessor, HandlerContext

from zroute_support.domain.errors import Forbidden, NotFound
from zroute_support.domain.interpreters import Appointment, InterpreterRequest
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
        if existing is not None:
            existing.withdraw()
            await uow.interpreters.save(existing, now)
        return
    appointment = Appointment(participant_ref, who.programme_id, kind, key, starts_at, language)
    agreement = await routing.agreement_on(uow, who.programme_id, local_day(appointment.starts_at))
    partner_id = agreement.responsible_for(RouteTask.INTERPRETER) if agreement else None
    if partner_id is None:
        _log.warning("interpreter.unrouted", participant_ref=participant_ref, appointment=kind)
    request = existing or InterpreterRequest.new(appointment, now)
    request.ask(appointment, partner_id, now)
    await uow.interpreters.save(request, now)


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
