"""Interpreter requests (issue 17 item 6, issue 18 item 4): the interpreter task of the
task division drives work. Intake schedules an intake or a progress meeting that needs an
interpreter; support asks the interpreter partner the agreement in force names for the
task ``interpreter``, and that partner confirms or declines. A rescheduled appointment is
asked again under the same request; a request the partner was sent is withdrawn from it
(``interpreter-withdrawn``) when the appointment moves, is called off, needs no
interpreter any more, when the participant leaves the route or the referral whose intake
it was closes, so the partner never keeps an interpreter booked for a time that no longer
holds (issue 18 item 4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from zroute_contract.events.base import Event
from zroute_contract.events.codes import InterpreterAppointment, InterpreterWithdrawReason
from zroute_contract.events.support import (
    InterpreterConfirmed,
    InterpreterDeclined,
    InterpreterRequested,
    InterpreterWithdrawn,
)

from zroute_support.domain.errors import Conflict


class RequestStatus(StrEnum):
    """Where an interpreter request stands in support."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    # No partner is named for the task ``interpreter`` (or none serves): nobody was asked.
    UNROUTED = "unrouted"
    WITHDRAWN = "withdrawn"


# A request in one of these was sent to a partner that may be booking an interpreter.
SENT = frozenset({RequestStatus.REQUESTED, RequestStatus.CONFIRMED})


@dataclass(frozen=True)
class Appointment:
    """The appointment an interpreter is needed at: the intake (by id), a progress
    meeting (by number) or a referral's intake (by the referral's id), when it starts and
    the language to interpret."""

    participant_ref: str
    programme_id: str
    kind: InterpreterAppointment
    key: str
    starts_at: datetime
    language: str

    @property
    def intake_id(self) -> UUID | None:
        return UUID(self.key) if self.kind is InterpreterAppointment.INTAKE else None

    @property
    def meeting_number(self) -> int | None:
        return int(self.key) if self.kind is InterpreterAppointment.PROGRESS_MEETING else None

    @property
    def referral_id(self) -> UUID | None:
        return UUID(self.key) if self.kind is InterpreterAppointment.REFERRAL_INTAKE else None


@dataclass
class InterpreterRequest:
    """One appointment's interpreter request (an aggregate: it collects its events)."""

    request_id: UUID
    appointment: Appointment
    partner_id: str | None
    status: RequestStatus
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def new(cls, appointment: Appointment, now: datetime) -> InterpreterRequest:
        """A request not yet sent to a partner (see :meth:`ask`)."""
        return cls(uuid4(), appointment, None, RequestStatus.UNROUTED, now)

    def ask(self, appointment: Appointment, partner_id: str | None, now: datetime) -> None:
        """Ask ``partner_id`` (again) for ``appointment``; unrouted when nobody is named.

        An unchanged appointment already asked of the same partner is not asked twice
        (intake may republish a schedule)."""
        unchanged = (
            appointment == self.appointment
            and partner_id == self.partner_id
            and self.status in (RequestStatus.REQUESTED, RequestStatus.CONFIRMED)
        )
        if unchanged:
            return
        if self.status in SENT and self.partner_id is not None:
            # The partner asked before is told the old time no longer holds.
            moved = appointment.starts_at != self.appointment.starts_at
            if partner_id != self.partner_id:
                self.withdraw(InterpreterWithdrawReason.PARTNER_CHANGED)
            elif moved:
                self.withdraw(InterpreterWithdrawReason.APPOINTMENT_MOVED)
        self.appointment, self.partner_id, self.requested_at = appointment, partner_id, now
        self.decided_by = self.decided_at = self.reason = None
        if partner_id is None:
            self.status = RequestStatus.UNROUTED
            return
        self.status = RequestStatus.REQUESTED
        self.events.append(
            InterpreterRequested(
                **self._ids(partner_id),
                language=appointment.language,
            )
        )

    def withdraw(self, reason: InterpreterWithdrawReason) -> bool:
        """The partner need not interpret at the time it was asked for; it is told when it
        was sent the request. False when there was nothing open to withdraw."""
        was = self.status
        if was in (RequestStatus.WITHDRAWN, RequestStatus.DECLINED):
            return False
        self.status = RequestStatus.WITHDRAWN
        if was in SENT and self.partner_id is not None:
            self.events.append(
                InterpreterWithdrawn(
                    **self._ids(self.partner_id),
                    reason=reason,
                    was_confirmed=was is RequestStatus.CONFIRMED,
                )
            )
        return True

    def confirm(self, by: str, now: datetime) -> None:
        """The interpreter partner will interpret at the appointment."""
        partner_id = self._decidable()
        self.status, self.decided_by, self.decided_at = RequestStatus.CONFIRMED, by, now
        self.events.append(InterpreterConfirmed(**self._ids(partner_id), confirmed_by=by))

    def decline(self, reason: str, by: str, now: datetime) -> None:
        """The interpreter partner cannot interpret at the appointment."""
        partner_id = self._decidable()
        self.status, self.decided_by, self.decided_at = RequestStatus.DECLINED, by, now
        self.reason = reason
        self.events.append(
            InterpreterDeclined(**self._ids(partner_id), reason=reason, declined_by=by)
        )

    def _decidable(self) -> str:
        if self.status is not RequestStatus.REQUESTED or self.partner_id is None:
            raise Conflict(f"the interpreter request is {self.status.value}; nothing to answer")
        return self.partner_id

    def _ids(self, partner_id: str) -> dict[str, object]:
        a = self.appointment
        return {
            "participant_ref": a.participant_ref,
            "programme_id": a.programme_id,
            "request_id": self.request_id,
            "partner_id": partner_id,
            "appointment": a.kind,
            "intake_id": a.intake_id,
            "meeting_number": a.meeting_number,
            "referral_id": a.referral_id,
            "starts_at": a.starts_at,
        }
