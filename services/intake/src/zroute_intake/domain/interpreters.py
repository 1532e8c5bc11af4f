"""Whether an interpreter is confirmed for the intake or a progress meeting (issue 17
item 6, issue 18 item 4). Support asks the interpreter partner the task division names;
intake keeps the partner's answer (codes only) and shows, per appointment that needs an
interpreter, whether one is requested, confirmed or declined.

An answer counts only for the time it was given for: a rescheduled appointment is asked
anew, and until that answer arrives it shows as requested again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from zroute_contract.events.codes import BookingStatus, InterpreterAppointment

from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.values import Appointment


class InterpreterStatus(StrEnum):
    """Where the interpreter for an appointment stands, as intake shows it."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


@dataclass(frozen=True)
class InterpreterAnswer:
    """The interpreter partner's answer for one appointment, as support published it."""

    appointment: InterpreterAppointment
    key: str
    request_id: UUID
    partner_id: str
    status: InterpreterStatus
    starts_at: datetime
    answered_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class InterpreterView:
    """One appointment that needs an interpreter, and where its interpreter stands."""

    appointment: InterpreterAppointment
    meeting_number: int | None
    starts_at: datetime
    language: str | None
    status: InterpreterStatus
    partner_id: str | None = None
    reason: str | None = None


def answer_key(kind: InterpreterAppointment, intake_id: UUID | None, number: int | None) -> str:
    """How an appointment is named: the intake by its id, a meeting by its number."""
    return str(intake_id) if kind is InterpreterAppointment.INTAKE else str(number)


def _status(
    kind: InterpreterAppointment,
    key: str,
    starts_at: datetime,
    answers: dict[tuple[InterpreterAppointment, str], InterpreterAnswer],
) -> tuple[InterpreterStatus, InterpreterAnswer | None]:
    answer = answers.get((kind, key))
    if answer is None or answer.starts_at != starts_at:
        return InterpreterStatus.REQUESTED, None
    return answer.status, answer


def intake_interpreter(
    appointment: Appointment | None, answers: list[InterpreterAnswer]
) -> InterpreterView | None:
    """The intake's interpreter, None when the intake needs none (or is not planned)."""
    if appointment is None or appointment.interpreter is None:
        return None
    booking = appointment.interpreter
    kind = InterpreterAppointment.INTAKE
    by_key = {(a.appointment, a.key): a for a in answers}
    status, answer = _status(kind, str(appointment.intake_id), appointment.starts_at, by_key)
    if answer is None and booking.status is BookingStatus.CONFIRMED:
        status = InterpreterStatus.CONFIRMED  # booked and confirmed directly, not via support
    return InterpreterView(
        kind,
        None,
        appointment.starts_at,
        booking.language,
        status,
        answer.partner_id if answer else booking.partner_id,
        answer.reason if answer else None,
    )


def meeting_interpreters(
    series: MeetingSeries, answers: list[InterpreterAnswer]
) -> list[InterpreterView]:
    """The invited progress meetings that ask for an interpreter, by number."""
    kind = InterpreterAppointment.PROGRESS_MEETING
    by_key = {(a.appointment, a.key): a for a in answers}
    found = []
    for meeting in series.meetings:
        invitation = meeting.invitation
        if invitation is None or not invitation.interpreter_needed:
            continue
        status, answer = _status(kind, str(meeting.number), invitation.starts_at, by_key)
        found.append(
            InterpreterView(
                kind,
                meeting.number,
                invitation.starts_at,
                invitation.interpreter_language,
                status,
                answer.partner_id if answer else None,
                answer.reason if answer else None,
            )
        )
    return found
