"""Domain objects for the unit tests (no I/O)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

from zroute_contract.events.codes import (
    AttendeeRole,
    BookingStatus,
    CareCategory,
    DayPart,
    Goal,
    InterpreterMode,
    LanguageLevel,
    LearnabilityBand,
    LifeDomain,
    Literacy,
    NeedSeverity,
    Route,
    RouteReason,
    TransportMode,
    Urgency,
    Weekday,
)
from zroute_contract.events.intake import (
    ChildcareNeed,
    DomainNeed,
    IntakeAttendee,
    InterpreterBooking,
    TransportNeed,
)
from zroute_contract.events.parts import AvailabilitySlot, ContactPersonRef
from zroute_contract.types import new_participant_ref
from zroute_intake.domain.outcome import CareSignalEntry, Outcome
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.values import Appointment

from tests.intake.builders import CLOCK_START, valid_bsn

NOW = CLOCK_START
TODAY = NOW.date()
CARE = "care-coordinator"


def personal(**changes) -> PersonalData:
    values = {
        "bsn": valid_bsn(),
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": date(1984, 3, 12),
        "street": "Kerkstraat",
        "house_number": "12A",
        "postal_code": "1017 GB",
        "city": "Amsterdam",
        "phone": "+31 6 12345678",
    } | changes
    return PersonalData(**values)


def contact(staff_ref: str = "caseworker-anna") -> ContactPersonRef:
    return ContactPersonRef(staff_ref=staff_ref, role="caseworker", municipality="GM0363")


def registered(*, interpreter_needed: bool = True, today: date = TODAY) -> Participant:
    participant = Participant.register(
        ref=new_participant_ref(),
        programme_id="programme-demo",
        municipality="GM0363",
        personal=personal(),
        preferred_language="ar",
        interpreter_needed=interpreter_needed,
        contact=contact(),
        today=today,
    )
    participant.version = 1
    return participant


def booking(status: BookingStatus = BookingStatus.CONFIRMED, language: str = "ar"):
    return InterpreterBooking(language=language, mode=InterpreterMode.IN_PERSON, status=status)


def appointment(
    starts_at: datetime | None = None, interpreter: InterpreterBooking | None = None
) -> Appointment:
    return Appointment(
        intake_id=uuid4(),
        starts_at=starts_at or NOW + timedelta(days=7),
        duration_minutes=120,
        location_id="town-hall",
        attendees=(IntakeAttendee(partner_id="taalschool", role=AttendeeRole.LANGUAGE_PARTNER),),
        interpreter=interpreter,
    )


def signal(category: CareCategory = CareCategory.MENTAL_HEALTH_CARE) -> CareSignalEntry:
    domains = {
        CareCategory.MENTAL_HEALTH_CARE: LifeDomain.HEALTH_PSYCHOLOGICAL,
        CareCategory.PHYSICAL_CARE: LifeDomain.HEALTH_PHYSICAL,
        CareCategory.DEBT_FINANCE: LifeDomain.FINANCES,
    }
    return CareSignalEntry(
        signal_id=uuid4(),
        domain=domains[category],
        category=category,
        severity=NeedSeverity.MODERATE,
        urgency=Urgency.ROUTINE,
    )


def outcome(**changes) -> Outcome:
    values = {
        "language_level": LanguageLevel.A0,
        "literacy": Literacy.NOT_ALPHABETISED,
        "learnability_band": LearnabilityBand.LOW,
        "needs": (DomainNeed(domain=LifeDomain.FINANCES, severity=NeedSeverity.MODERATE),),
        "childcare": ChildcareNeed(needed=True, child_ages=(2, 5)),
        "transport": TransportNeed(needed=True, modes=(TransportMode.BICYCLE,)),
        "availability": (AvailabilitySlot(weekday=Weekday.MONDAY, day_part=DayPart.MORNING),),
        "goals": (Goal.LANGUAGE_SELF_RELIANCE,),
        "route": Route.Z_ROUTE,
        "route_reason": RouteReason.COMBINED,
        "care_signals": (signal(),),
    } | changes
    return Outcome(**values)


def completed(participant: Participant | None = None, **outcome_changes) -> Participant:
    """A participant whose intake took place a week ago and was completed today."""
    participant = participant or registered()
    participant.schedule_intake(appointment(interpreter=booking()), NOW)
    later = NOW + timedelta(days=8)
    participant.complete_intake(
        outcome(**outcome_changes),
        now=later,
        today=later.date(),
        by="caseworker-anna",
        care_partner_id=CARE,
    )
    return participant
