"""The interpreter partner's answers from support (issue 17 item 6, issue 18 item 4):
kept per appointment so the intake and the progress meetings show whether an interpreter
is confirmed."""

from __future__ import annotations

from zroute_contract.events.base import Event
from zroute_contract.events.codes import InterpreterAppointment
from zroute_contract.events.support import (
    InterpreterConfirmed,
    InterpreterDeclined,
    InterpreterEvent,
)
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import Handler, HandlerContext

from zroute_intake.domain.interpreters import InterpreterAnswer, InterpreterStatus, answer_key
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


async def _record(event: InterpreterEvent, ctx: HandlerContext, status: InterpreterStatus) -> None:
    if event.appointment is InterpreterAppointment.REFERRAL_INTAKE:
        return  # the referral's own (support shows it); intake keeps only the relation
    uow: IntakeUnitOfWork = ctx.uow
    reason = event.reason if isinstance(event, InterpreterDeclined) else None
    await uow.interpreters.record(
        event.participant_ref,
        InterpreterAnswer(
            appointment=event.appointment,
            key=answer_key(event.appointment, event.intake_id, event.meeting_number),
            request_id=event.request_id,
            partner_id=event.partner_id,
            status=status,
            starts_at=event.starts_at,
            answered_at=uow.clock.now(),
            reason=reason,
        ),
    )
    log.info("interpreter_answer", request_id=str(event.request_id), status=status.value)


async def on_confirmed(event: InterpreterConfirmed, ctx: HandlerContext) -> None:
    """The interpreter partner confirmed an interpreter for the appointment."""
    await _record(event, ctx, InterpreterStatus.CONFIRMED)


async def on_declined(event: InterpreterDeclined, ctx: HandlerContext) -> None:
    """The interpreter partner declined: the caseworker sees it and can act."""
    await _record(event, ctx, InterpreterStatus.DECLINED)


HANDLERS: dict[type[Event], Handler] = {
    InterpreterConfirmed: on_confirmed,
    InterpreterDeclined: on_declined,
}
"""The interpreter events intake consumes, and their handlers."""
