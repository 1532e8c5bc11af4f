"""What the dossier shows of the route's actions (issue 19, section 4): the API
operations its forms stand for, the words for their codes, and the progress meetings as
rows (number, date, interpreter, decision; never the notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zroute_contract.events.codes import ReEnrolmentReason, WithdrawalReason
from zroute_runtime.clock import local_day
from zroute_ui import N_

from zroute_intake.domain.interpreters import InterpreterView
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.pauses import PauseGround

PAUSES = "GET /participants/{participant_ref}/pauses"
PAUSE = "POST /participants/{participant_ref}/pauses"
RESUME = "POST /participants/{participant_ref}/pauses/{pause_id}/resumption"
WITHDRAW = "POST /participants/{participant_ref}/withdrawal"
RE_ENROL = "POST /participants/{participant_ref}/re-enrolment"
ACTIONS = (PAUSE, RESUME, WITHDRAW, RE_ENROL)
SCHEDULE = "PUT /participants/{participant_ref}/intake"
COMPLETE = "POST /participants/{participant_ref}/intake/outcome"
DRAFT_PIP = "PUT /participants/{participant_ref}/pip/draft"

GROUNDS = [g.value for g in PauseGround]
WITHDRAWAL_REASONS = [r.value for r in WithdrawalReason]
RE_ENROLMENT_REASONS = [r.value for r in ReEnrolmentReason]
LABELS = {
    # why the route pauses (kept in intake: the events say care or the participant's request)
    "illness": N_("illness"),
    "pregnancy": N_("pregnancy"),
    "treatment": N_("medical treatment"),
    "care_admission": N_("admission to care"),
    "participant_request": N_("at the participant's request"),
    # why a participant leaves the route
    "moved": N_("moved away"),
    "exempted": N_("exempted"),
    "stopped": N_("stopped"),
    "deceased": N_("deceased"),
    "other": N_("other"),
    # why a withdrawal is undone
    "mistaken_withdrawal": N_("the withdrawal was recorded by mistake"),
    "withdrawal_revoked": N_("the participant did not leave after all"),
    # what a progress meeting decided about the PIP
    "unchanged": N_("PIP unchanged"),
    "amended": N_("PIP amended"),
    "route_switch": N_("route switch"),
    # where a meeting's interpreter stands
    "requested": N_("requested"),
    "booked": N_("booked"),
    "confirmed": N_("confirmed"),
    "declined": N_("declined"),
}


@dataclass(frozen=True)
class MeetingRow:
    """One progress meeting (or the final meeting, ``number`` None) as the dossier lists it."""

    number: int | None
    on: date
    held: bool
    invited: bool
    interpreter_language: str | None
    interpreter_status: str | None
    decision: str | None


def meeting_rows(series: MeetingSeries, interpreters: list[InterpreterView]) -> list[MeetingRow]:
    """The participant's meetings in order: the day held, else the invitation's day, else
    the day due; the interpreter where one is asked; the decision once held."""
    by_number = {i.meeting_number: i for i in interpreters if i.meeting_number is not None}
    rows = []
    for meeting in series.meetings:
        record, invitation = meeting.record, meeting.invitation
        if record is not None:
            on = record.held_on
        elif invitation is not None:
            on = local_day(invitation.starts_at)
        else:
            on = meeting.due_on
        interpreter = by_number.get(meeting.number)
        rows.append(
            MeetingRow(
                number=meeting.number,
                on=on,
                held=record is not None,
                invited=invitation is not None,
                interpreter_language=interpreter.language if interpreter else None,
                interpreter_status=str(interpreter.status.value) if interpreter else None,
                decision=record.decision.value if record and record.decision else None,
            )
        )
    if series.final is not None:
        rows.append(MeetingRow(None, series.final.held_on, True, True, None, None, None))
    return rows
