"""Builders of the events planning consumes, for unit and integration tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from uuid import uuid4

from zroute_contract.events.codes import (
    DayPart,
    Goal,
    LanguageLevel,
    LearnabilityBand,
    Literacy,
    MeetingRole,
    PreconditionKind,
    Route,
    RouteReason,
    RouteTask,
    TermExtensionGround,
    Weekday,
)
from zroute_contract.events.intake import (
    ChildcareNeed,
    FinalMeetingHeld,
    IntakeCompleted,
    MeetingAttendee,
    PipEstablished,
    PipHoursNorm,
    TermExtended,
    TransportNeed,
)
from zroute_contract.events.parts import AvailabilitySlot
from zroute_contract.events.support import (
    AgreementRecorded,
    ModuleProvider,
    PreconditionArranged,
    PreconditionLapsed,
    TaskAssignment,
)
from zroute_contract.types import new_participant_ref

INTAKE = "urn:nld:oin:00000001002220647000:systeem:zroute-intake"
SUPPORT = "urn:nld:oin:00000001002220647000:systeem:zroute-support"
PROGRAMME = "programme-amsterdam"
TODAY = date(2027, 1, 4)
AVAILABILITY = tuple(
    AvailabilitySlot(weekday=d, day_part=p)
    for d in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
    for p in (DayPart.MORNING, DayPart.AFTERNOON)
)
_sequence = itertools.count(1)


def next_sequence() -> int:
    return next(_sequence)


def intake_completed(
    ref: str | None = None,
    *,
    level: LanguageLevel = LanguageLevel.A1,
    literacy: Literacy = Literacy.LITERATE,
    childcare: bool = False,
    transport: bool = False,
    availability: tuple[AvailabilitySlot, ...] = AVAILABILITY,
    route: Route = Route.Z_ROUTE,
) -> IntakeCompleted:
    return IntakeCompleted(
        participant_ref=ref or new_participant_ref(),
        programme_id=PROGRAMME,
        intake_id=uuid4(),
        municipality="GM0363",
        language_level=level,
        literacy=literacy,
        learnability_band=LearnabilityBand.LOW,
        needs=(),
        childcare=ChildcareNeed(needed=childcare, child_ages=(3,) if childcare else ()),
        transport=TransportNeed(needed=transport),
        availability=availability,
        goals=(Goal.LANGUAGE_SELF_RELIANCE, Goal.DIGITAL_SKILLS),
        route=route,
        route_reason=RouteReason.LOW_LEARNABILITY,
        completed_on=TODAY,
    )


PIP_DATED = TODAY + timedelta(days=7)
"""The date of the PIP the builders establish: the term starts the day after (W 11)."""


def pip_established(
    ref: str,
    *,
    dated: date = PIP_DATED,
    route: Route = Route.Z_ROUTE,
    hours_norm: PipHoursNorm | None = None,
) -> PipEstablished:
    """The first PIP for ``ref``: a term of three years from the day after ``dated``."""
    start = dated + timedelta(days=1)
    return PipEstablished(
        participant_ref=ref,
        programme_id=PROGRAMME,
        version=1,
        dated=dated,
        route=route,
        route_reason=RouteReason.LOW_LEARNABILITY,
        progress_meetings=4,
        pvt_hours_per_week=2,
        map_hours_per_week=2,
        route_hours_per_week=16,
        term_start=start,
        term_end=start.replace(year=start.year + 3) - timedelta(days=1),
        hours_norm=hours_norm,
    )


def term_extended(ref: str, term_end: date, *, dated: date = PIP_DATED) -> TermExtended:
    """DUO's extension of ``ref``'s term to ``term_end``, as intake records it."""
    return TermExtended(
        participant_ref=ref,
        programme_id=PROGRAMME,
        ground=TermExtensionGround.NOT_BLAMEWORTHY,
        decided_on=TODAY + timedelta(days=300),
        term_start=dated + timedelta(days=1),
        term_end=term_end,
    )


def final_meeting_held(ref: str, held_on: date = TODAY) -> FinalMeetingHeld:
    """The municipality held ``ref``'s Z-route final meeting (B 3.14(2)(c))."""
    return FinalMeetingHeld(
        participant_ref=ref,
        programme_id=PROGRAMME,
        held_on=held_on,
        attendees=(
            MeetingAttendee(role=MeetingRole.PARTICIPANT),
            MeetingAttendee(role=MeetingRole.CASEWORKER),
        ),
    )


def arranged(ref: str, kind: PreconditionKind, precondition_id=None) -> PreconditionArranged:
    return PreconditionArranged(
        participant_ref=ref,
        programme_id=PROGRAMME,
        precondition_id=precondition_id or uuid4(),
        kind=kind,
        partner_id="kinderopvang-west",
        arranged_from=TODAY,
        days_covered=(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY),
    )


def lapsed(ref: str, kind: PreconditionKind, precondition_id, on: date) -> PreconditionLapsed:
    return PreconditionLapsed(
        participant_ref=ref,
        programme_id=PROGRAMME,
        precondition_id=precondition_id,
        kind=kind,
        partner_id="kinderopvang-west",
        lapsed_on=on,
        reason="ended",
    )


def agreement_recorded(
    division: dict[RouteTask, str],
    *,
    lead: str,
    module_providers: tuple[ModuleProvider, ...] = (),
) -> AgreementRecorded:
    """Support's first agreement for :data:`PROGRAMME`, valid from :data:`TODAY`, with
    ``division`` as its task division (feed it with ``source=SUPPORT``)."""
    return AgreementRecorded(
        agreement_id=uuid4(),
        programme_id=PROGRAMME,
        municipality="GM0363",
        version=1,
        valid_from=TODAY,
        lead_partner_id=lead,
        assignments=tuple(TaskAssignment(task=t, partner_id=p) for t, p in division.items()),
        module_providers=module_providers,
    )
