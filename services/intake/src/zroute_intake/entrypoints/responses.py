"""Response bodies of the intake API, built from the domain (never from table rows)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field
from zroute_contract.events.codes import CorrectionReason, WithdrawalReason

from zroute_intake.adapters.access_log import Access
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.outcome import CareSignalEntry, Outcome
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import Appointment, ContactAssignment, Status


class AccessPurpose(StrEnum):
    """Why personal data is read; written to the access log with every read."""

    INTAKE_PREPARATION = "intake_preparation"
    CONTACT_PARTICIPANT = "contact_participant"
    PIP_DRAFTING = "pip_drafting"
    IDENTITY_CHECK = "identity_check"
    PARTICIPANT_REQUEST = "participant_request"
    LEGAL_OBLIGATION = "legal_obligation"


class PersonalDataOut(BaseModel):
    bsn: str
    given_names: str
    family_name: str
    date_of_birth: date
    street: str
    house_number: str
    postal_code: str
    city: str
    phone: str | None

    @classmethod
    def of(cls, personal: PersonalData) -> PersonalDataOut:
        return cls(bsn=personal.bsn, **personal.fields_without_bsn())


class OutcomeOut(BaseModel):
    outcome: Outcome
    recorded_on: date
    correction_reason: CorrectionReason | None = None


class IntakeOut(BaseModel):
    appointment: Appointment
    outcome: OutcomeOut | None = Field(default=None, description="The current outcome.")
    corrections: int = Field(description="How many times the outcome was corrected.")


class WithdrawalOut(BaseModel):
    reason: WithdrawalReason
    effective_on: date


class ParticipantOut(BaseModel):
    """A participant: intake status, needs, contact person; personal data only on request."""

    participant_ref: str
    version: int = Field(description="Send it back as If-Match to guard a change.")
    programme_id: str
    municipality: str
    status: Status
    registered_on: date
    preferred_language: str
    interpreter_needed: bool
    intake: IntakeOut | None
    contact_person: ContactAssignment | None
    consents: list[Consent]
    withdrawal: WithdrawalOut | None
    route_completed_on: date | None
    personal_data_erased: bool
    personal_data: PersonalDataOut | None = Field(
        default=None, description="Only with a purpose (caseworkers); every read is logged."
    )

    @classmethod
    def of(
        cls,
        p: Participant,
        *,
        personal: PersonalData | None = None,
        with_care_signals: bool = True,
    ) -> ParticipantOut:
        intake = None
        if p.appointment is not None:
            latest = p.outcomes[-1] if p.outcomes else None
            outcome = None
            if latest is not None:
                shown = latest.outcome
                if not with_care_signals:
                    shown = _without_signals(shown)
                outcome = OutcomeOut(
                    outcome=shown,
                    recorded_on=latest.recorded_on,
                    correction_reason=latest.correction_reason,
                )
            intake = IntakeOut(
                appointment=p.appointment, outcome=outcome, corrections=max(0, len(p.outcomes) - 1)
            )
        return cls(
            participant_ref=p.ref,
            version=p.version,
            programme_id=p.programme_id,
            municipality=p.municipality,
            status=p.status,
            registered_on=p.registered_on,
            preferred_language=p.preferred_language,
            interpreter_needed=p.interpreter_needed,
            intake=intake,
            contact_person=p.contact,
            consents=p.consents,
            withdrawal=WithdrawalOut(**vars(p.withdrawal)) if p.withdrawal else None,
            route_completed_on=p.route_completed_on,
            personal_data_erased=p.erased_at is not None,
            personal_data=PersonalDataOut.of(personal) if personal else None,
        )


def _without_signals(outcome: Outcome) -> Outcome:
    from dataclasses import replace

    signals: tuple[CareSignalEntry, ...] = ()
    return replace(outcome, care_signals=signals)


class ParticipantSummary(BaseModel):
    participant_ref: str
    version: int
    programme_id: str
    municipality: str
    status: Status
    registered_on: date
    contact_staff_ref: str | None
    intake_starts_at: datetime | None


class ParticipantPage(BaseModel):
    items: list[ParticipantSummary]
    total: int = Field(description="How many participants match the filters.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last.")


class ContactHistoryOut(BaseModel):
    participant_ref: str
    current: ContactAssignment | None
    history: list[ContactAssignment] = Field(description="Every assignment, oldest first.")


class AccessOut(BaseModel):
    accessed_at: datetime
    actor: str
    actor_roles: list[str]
    purpose: str
    fields: list[str]
    request_id: str | None

    @classmethod
    def of(cls, a: Access) -> AccessOut:
        return cls(
            accessed_at=a.accessed_at,
            actor=a.actor,
            actor_roles=list(a.actor_roles),
            purpose=a.purpose,
            fields=list(a.fields),
            request_id=a.request_id,
        )


class ConsentsOut(BaseModel):
    participant_ref: str
    consents: list[Consent]
    care_signal_ids: list[UUID] = Field(description="The current care signals consent can cover.")
