"""Request and response bodies of the intake API (the PIP's are in ``pip_schemas``, the
broad intake's written record in ``broad_intake_schemas``).

Requests are their own models, strict (unknown fields refused). Everything a body may hold
is checked here for shape; the rules that need the participant's state (interpreter
needed, dates against the registration) are the domain's. Converting to domain values
happens in ``to_*`` methods. Responses are built from the domain, never from table rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID, uuid4

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from zroute_contract.events.codes import (
    HEALTH_DOMAINS,
    AssignmentReason,
    AttendeeRole,
    BookingStatus,
    CareCategory,
    ConsentPurpose,
    ContactRole,
    CorrectionReason,
    DayPart,
    Goal,
    IntakeCancelReason,
    InterpreterMode,
    LanguageLevel,
    LearnabilityBand,
    LifeDomain,
    Literacy,
    NeedSeverity,
    PersonalDataChangeReason,
    PersonalDataField,
    PreconditionCode,
    ReEnrolmentReason,
    Route,
    RouteReason,
    TransportMode,
    Urgency,
    Weekday,
    WithdrawalReason,
)
from zroute_contract.events.intake import (
    ChildcareNeed,
    DomainNeed,
    IntakeAttendee,
    InterpreterBooking,
    TransportNeed,
)
from zroute_contract.events.parts import AvailabilitySlot, ContactPersonRef
from zroute_contract.types import (
    LanguageCode,
    LocationId,
    MunicipalityCode,
    PartnerId,
    ProgrammeId,
    StaffRef,
)

from zroute_intake.domain.access import Access
from zroute_intake.domain.changes import Address, PersonalDataChange, RecordedChange
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.contact_card import CardField, ContactCard, Refusal, RelationKind
from zroute_intake.domain.interpreters import InterpreterView
from zroute_intake.domain.outcome import CareSignalEntry, Outcome
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import Appointment, ContactAssignment, Status
from zroute_intake.entrypoints.http.broad_intake_schemas import BroadIntakeIn

T = TypeVar("T")


def _distinct(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise ValueError("list items must be distinct")
    return items


Distinct = Annotated[
    list[T], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContactPersonIn(Body):
    """A staff member by their system id, role and organisation (never by name)."""

    staff_ref: StaffRef = Field(description="The staff member's id in their organisation's system.")
    role: ContactRole
    partner_id: PartnerId | None = Field(
        default=None, description="Their partner, if not the municipality."
    )
    municipality: MunicipalityCode | None = Field(
        default=None, description="Their municipality, if not a partner."
    )

    @model_validator(mode="after")
    def _one_organisation(self) -> Self:
        if (self.partner_id is None) == (self.municipality is None):
            raise ValueError("give exactly one of partner_id and municipality")
        return self

    def to_ref(self) -> ContactPersonRef:
        return ContactPersonRef(**self.model_dump())


Email = Annotated[
    str,
    StringConstraints(
        max_length=254, pattern=r"^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
    ),
]
"""An e-mail address (the plain form people are given; no quoted or IP-literal ones)."""


class AddressIn(Body):
    street: Text
    house_number: Annotated[
        str, StringConstraints(pattern=r"^[1-9][0-9]{0,4}( ?[A-Za-z0-9-]{1,6})?$")
    ]
    postal_code: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{3} ?[A-Z]{2}$")] = Field(
        description="Dutch postcode, for example 1011 AB."
    )
    city: Text


class RegistrationIn(Body):
    """Register a participant. Personal data stays in this service, encrypted."""

    programme_id: ProgrammeId = Field(
        description="The programme (one municipality's Z-route offer)."
    )
    municipality: MunicipalityCode = Field(description="CBS code of the responsible municipality.")
    bsn: Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")] = Field(
        description="Burgerservicenummer: nine digits passing the elfproef."
    )
    given_names: Text
    family_name: Text
    date_of_birth: date
    address: AddressIn
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{5,19}$")] | None = None
    email: Email | None = Field(
        default=None, description="Optional: the participant's messages go there as well."
    )
    preferred_language: LanguageCode = Field(description="ISO 639 code, for example ar or ti.")
    interpreter_needed: bool
    contact_person: ContactPersonIn = Field(description="The first fixed contact person.")

    def personal(self) -> PersonalData:
        return PersonalData(
            bsn=self.bsn,
            given_names=self.given_names,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            street=self.address.street,
            house_number=self.address.house_number,
            postal_code=self.address.postal_code,
            city=self.address.city,
            phone=self.phone,
            email=self.email,
        )


class AttendeeIn(Body):
    partner_id: PartnerId
    role: AttendeeRole


class InterpreterIn(Body):
    language: LanguageCode = Field(description="Must be the participant's preferred language.")
    mode: InterpreterMode
    status: BookingStatus = Field(description="The intake can be held once booked or confirmed.")
    partner_id: PartnerId | None = None


class ScheduleIn(Body):
    """Schedule (or reschedule) the broad intake."""

    starts_at: AwareDatetime = Field(description="Start, with UTC offset; in the future.")
    duration_minutes: int = Field(ge=15, le=480)
    location_id: LocationId
    attendees: Distinct[AttendeeIn] = Field(default_factory=list, max_length=20)
    interpreter: InterpreterIn | None = Field(
        default=None, description="Required when the participant needs an interpreter."
    )

    def to_appointment(self) -> Appointment:
        booking = self.interpreter
        return Appointment(
            intake_id=uuid4(),
            starts_at=self.starts_at,
            duration_minutes=self.duration_minutes,
            location_id=self.location_id,
            attendees=tuple(IntakeAttendee(**a.model_dump()) for a in self.attendees),
            interpreter=InterpreterBooking(**booking.model_dump()) if booking else None,
        )


class NeedIn(Body):
    domain: LifeDomain
    severity: NeedSeverity

    @field_validator("domain")
    @classmethod
    def _not_health(cls, value: LifeDomain) -> LifeDomain:
        if value in HEALTH_DOMAINS:
            raise ValueError("record health domains as care_signals, not as needs")
        return value


class ChildcareIn(Body):
    needed: bool
    child_ages: list[Annotated[int, Field(ge=0, le=17)]] = Field(
        default_factory=list, max_length=12
    )


class TransportIn(Body):
    needed: bool
    modes: Distinct[TransportMode] = Field(default_factory=list, max_length=10)


class SlotIn(Body):
    weekday: Weekday
    day_part: DayPart


class CareSignalIn(Body):
    signal_id: UUID | None = Field(
        default=None,
        description="Keep the id of an existing signal when correcting; new ones get one.",
    )
    domain: LifeDomain
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency


class OutcomeIn(Body):
    """The outcome of the broad intake over the life domains, with the route decision."""

    language_level: LanguageLevel
    literacy: Literacy
    learnability_band: LearnabilityBand
    needs: list[NeedIn] = Field(max_length=20)
    childcare: ChildcareIn
    transport: TransportIn
    other_preconditions: Distinct[PreconditionCode] = Field(
        default_factory=list,
        max_length=20,
        description="Configured precondition kinds besides childcare and transport to "
        "arrange before the start (ZROUTE_INTAKE_PRECONDITION_KINDS), e.g. digital_device.",
    )
    availability: Distinct[SlotIn] = Field(max_length=21)
    goals: Distinct[Goal] = Field(max_length=20)
    route: Route
    route_reason: RouteReason
    care_signals: list[CareSignalIn] = Field(default_factory=list, max_length=20)
    broad_intake: BroadIntakeIn | None = Field(
        default=None, description="The written record of B 5.2 (summonses, test, history)."
    )

    def to_outcome(self) -> Outcome:
        return Outcome(
            language_level=self.language_level,
            literacy=self.literacy,
            learnability_band=self.learnability_band,
            needs=tuple(DomainNeed(**n.model_dump()) for n in self.needs),
            childcare=ChildcareNeed(
                needed=self.childcare.needed, child_ages=tuple(self.childcare.child_ages)
            ),
            transport=TransportNeed(
                needed=self.transport.needed, modes=tuple(self.transport.modes)
            ),
            other_preconditions=tuple(self.other_preconditions),
            availability=tuple(AvailabilitySlot(**s.model_dump()) for s in self.availability),
            goals=tuple(self.goals),
            route=self.route,
            route_reason=self.route_reason,
            care_signals=tuple(
                CareSignalEntry(
                    signal_id=s.signal_id or uuid4(),
                    domain=s.domain,
                    category=s.category,
                    severity=s.severity,
                    urgency=s.urgency,
                )
                for s in self.care_signals
            ),
            broad_intake=self.broad_intake.to_domain() if self.broad_intake else None,
        )


class CancelIntakeIn(Body):
    """Why the scheduled intake is called off."""

    reason: IntakeCancelReason


class CorrectionIn(OutcomeIn):
    """The whole corrected outcome (not a difference), and why it was corrected."""

    reason: CorrectionReason


class ContactAssignmentIn(Body):
    """Hand over to a new fixed contact person (or cover an absence)."""

    contact_person: ContactPersonIn
    assigned_from: date = Field(description="First day the new contact person is responsible.")
    reason: AssignmentReason = AssignmentReason.HANDOVER


class ConsentIn(Body):
    """Consent for one purpose; a care_referral consent names the care signals it covers."""

    consent_id: UUID | None = Field(default=None, description="Generated when absent.")
    purpose: ConsentPurpose
    partner_id: PartnerId | None = Field(default=None, description="For partner_sharing.")
    care_signal_ids: Distinct[UUID] = Field(default_factory=list, max_length=20)
    given_on: date
    valid_until: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.valid_until is not None and self.valid_until < self.given_on:
            raise ValueError("valid_until must be on or after given_on")
        return self

    def to_consent(self) -> Consent:
        return Consent(
            consent_id=self.consent_id or uuid4(),
            purpose=self.purpose,
            given_on=self.given_on,
            partner_id=self.partner_id,
            care_signal_ids=tuple(self.care_signal_ids),
            valid_until=self.valid_until,
        )


class PersonalDataChangeIn(Body):
    """What changes after registration, and why; a field left out stays as it is."""

    reason: PersonalDataChangeReason
    address: AddressIn | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{5,19}$")] | None = None
    email: Email | None = None
    preferred_language: LanguageCode | None = Field(
        default=None, description="ISO 639 code, for example ar or ti."
    )
    interpreter_needed: bool | None = None

    def to_change(self) -> PersonalDataChange:
        address = None
        if self.address is not None:
            address = Address(
                street=self.address.street,
                house_number=self.address.house_number,
                postal_code=self.address.postal_code,
                city=self.address.city,
            )
        return PersonalDataChange(
            reason=self.reason,
            address=address,
            phone=self.phone,
            email=self.email,
            preferred_language=self.preferred_language,
            interpreter_needed=self.interpreter_needed,
        )


class ReEnrolmentIn(Body):
    """Undo a withdrawal: the participant goes back to the status they had before it."""

    reason: ReEnrolmentReason


class WithdrawalIn(Body):
    """Withdraw the participant from the route."""

    reason: WithdrawalReason
    effective_on: date = Field(description="The last day the participant is on the route.")


# -- responses --------------------------------------------------------------------------


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
    email: str | None = None

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
    interpreter: InterpreterView | None = Field(
        default=None,
        description="Whether the interpreter is requested, confirmed or declined by the "
        "interpreter partner (issue 17 item 6); on the read, when one is needed.",
    )


class WithdrawalOut(BaseModel):
    reason: WithdrawalReason
    effective_on: date


class ChangeOut(BaseModel):
    action: str
    reason: str
    by: str
    at: datetime
    fields: list[PersonalDataField]

    @classmethod
    def of(cls, c: RecordedChange) -> ChangeOut:
        return cls(action=c.action, reason=c.reason, by=c.by, at=c.at, fields=list(c.fields))


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
    changes: list[ChangeOut] = Field(
        default_factory=list,
        description="Changes after registration (personal data, re-enrolment): what, why, "
        "by whom and when.",
    )
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
        interpreter: InterpreterView | None = None,
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
                appointment=p.appointment,
                outcome=outcome,
                corrections=max(0, len(p.outcomes) - 1),
                interpreter=interpreter,
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
            withdrawal=WithdrawalOut(
                reason=p.withdrawal.reason, effective_on=p.withdrawal.effective_on
            )
            if p.withdrawal
            else None,
            changes=[ChangeOut.of(c) for c in p.changes],
            route_completed_on=p.route_completed_on,
            personal_data_erased=p.erased_at is not None,
            personal_data=PersonalDataOut.of(personal) if personal else None,
        )


def _without_signals(outcome: Outcome) -> Outcome:
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
    planned: ContactAssignment | None = Field(
        default=None, description="A handover dated ahead: it takes effect on its date."
    )


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


class ContactCardOut(BaseModel):
    """What the caller's partner may see of the participant, by its relation and with the
    participant's consent; the fields not granted are null."""

    participant_ref: str
    relation: RelationKind = Field(description="The relation the card is given for.")
    consent_id: UUID = Field(description="The consent in force that lets the data reach you.")
    fields: list[CardField] = Field(description="The fields this card shows.")
    name: str | None = None
    preferred_language: str | None = None
    phone: str | None = None
    address: str | None = None
    interpreter_needed: bool | None = None

    @classmethod
    def of(cls, card: ContactCard) -> ContactCardOut:
        return cls(
            participant_ref=card.participant_ref,
            relation=card.relation,
            consent_id=card.consent_id,
            fields=sorted(card.fields),
            name=card.name,
            preferred_language=card.preferred_language,
            phone=card.phone,
            address=card.address,
            interpreter_needed=card.interpreter_needed,
        )


class NameForMessageOut(BaseModel):
    """The participant's name for one message to a partner, or why the message may not
    name them (the same rule as that partner's contact card)."""

    participant_ref: str
    partner_id: str = Field(description="The partner the message goes to.")
    name: str | None = Field(default=None, description="The name; null when refused.")
    refused: Refusal | None = Field(
        default=None, description="Why not: no_relation, no_consent, no_fields."
    )
    explanation: str | None = Field(default=None, description="The refusal in words.")
    erased: bool = Field(default=False, description="The personal data was erased.")


class EmailForMessageOut(BaseModel):
    """The participant's own e-mail address for their message, pulled at send time."""

    participant_ref: str
    email: str | None = Field(default=None, description="The address; null when none given.")
    erased: bool = Field(default=False, description="The personal data was erased.")


class DateOfBirthCheckIn(BaseModel):
    """The date of birth the participant typed on their personal page."""

    model_config = ConfigDict(extra="forbid")

    date_of_birth: date = Field(description="As typed, YYYY-MM-DD.")


class DateOfBirthCheckOut(BaseModel):
    """Only whether it matches: the date of birth itself never leaves intake."""

    matches: bool
    erased: bool = Field(default=False, description="The personal data was erased.")
