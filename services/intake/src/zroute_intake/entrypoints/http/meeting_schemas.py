"""Request and response bodies of the progress meetings and the final meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pydantic import AwareDatetime, BaseModel, Field
from zroute_contract.events.codes import MeetingDecision, MeetingRole
from zroute_contract.events.intake import MeetingAttendee
from zroute_contract.types import LanguageCode, LocationId, PartnerId

from zroute_intake.domain.interpreters import InterpreterView
from zroute_intake.domain.meetings import (
    Agreement,
    Invitation,
    Meeting,
    MeetingRecord,
    MeetingSeries,
)
from zroute_intake.entrypoints.http.schemas import Body, Distinct, Text

Notes = str


class PlanIn(Body):
    """The due dates of the meetings the established PIP sets, in order."""

    due_on: list[date] = Field(min_length=1, max_length=100)


class InvitationIn(Body):
    """Invite the participant; ask for an interpreter with the language to interpret."""

    starts_at: AwareDatetime
    location_id: LocationId
    interpreter_needed: bool
    interpreter_language: LanguageCode | None = None
    partners: Distinct[PartnerId] = Field(default=[], max_length=20)

    def to_invitation(self) -> Invitation:
        return Invitation(
            starts_at=self.starts_at,
            location_id=self.location_id,
            interpreter_needed=self.interpreter_needed,
            interpreter_language=self.interpreter_language,
            partners=tuple(self.partners),
        )


class AttendeeIn(Body):
    role: MeetingRole
    partner_id: PartnerId | None = None


class AgreementIn(Body):
    what: Text
    owner: Text = Field(description="Who sees to it: a role, a partner or a staff reference.")
    due_on: date


class FinalMeetingIn(Body):
    """The final meeting (eindgesprek): who attended and the notes (kept in intake)."""

    held_on: date
    attendees: Distinct[AttendeeIn] = Field(min_length=1, max_length=20)
    notes: Notes = Field(default="", max_length=10000)

    def to_record(self, by: str) -> MeetingRecord:
        return MeetingRecord(
            held_on=self.held_on,
            attendees=tuple(MeetingAttendee(**a.model_dump()) for a in self.attendees),
            notes=self.notes,
            by=by,
        )


class MeetingRecordIn(FinalMeetingIn):
    """A held progress meeting: attendees, notes, agreements and the decision on the PIP
    (with the PIP version an amendment or route switch established)."""

    agreements: list[AgreementIn] = Field(default=[], max_length=50)
    decision: MeetingDecision
    pip_version: int | None = Field(default=None, ge=1)

    def to_record(self, by: str) -> MeetingRecord:
        return replace(
            super().to_record(by),
            agreements=tuple(Agreement(a.what, a.owner, a.due_on) for a in self.agreements),
            decision=self.decision,
            pip_version=self.pip_version,
        )


class MeetingsOut(BaseModel):
    """The progress meetings the PIP sets, as planned, invited and held, and the final
    meeting. Notes and agreements only for the municipality's caseworkers."""

    participant_ref: str
    version: int = Field(description="The series' version, also its ETag.")
    set_by_pip: int | None = Field(description="How many meetings the current PIP sets.")
    held: int
    meetings: list[Meeting]
    final_meeting: MeetingRecord | None
    interpreters: list[InterpreterView] | None = Field(
        default=None,
        description="Per invited meeting that asks for an interpreter: requested, confirmed "
        "or declined by the interpreter partner (issue 17 item 6). On the read only.",
    )

    @classmethod
    def of(
        cls,
        series: MeetingSeries,
        set_by_pip: int | None,
        *,
        notes: bool,
        interpreters: list[InterpreterView] | None = None,
    ) -> MeetingsOut:
        def shown(record: MeetingRecord | None) -> MeetingRecord | None:
            if record is None or notes:
                return record
            return replace(record, notes="", agreements=())

        return cls(
            participant_ref=series.participant_ref,
            version=series.version,
            set_by_pip=set_by_pip,
            held=sum(1 for m in series.meetings if m.record is not None),
            meetings=[replace(m, record=shown(m.record)) for m in series.meetings],
            final_meeting=shown(series.final),
            interpreters=interpreters,
        )
