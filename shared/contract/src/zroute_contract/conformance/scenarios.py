"""Per service: input events that must cause outputs, judged from the events alone.

A scenario is what the project's own service does when it is fed these events and
nothing else (no HTTP call, no database): a replacement must do the same. Where the
service publishes nothing on events alone (its outputs answer HTTP commands), the
scenario says so and the kit reports the output expectation as not applicable rather
than failed; whatever such a service publishes during the run is still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    AssignmentReason,
    ContactRole,
    DayPart,
    Goal,
    LanguageLevel,
    LearnabilityBand,
    Literacy,
    Route,
    RouteReason,
    Weekday,
)
from zroute_contract.events.intake import (
    ChildcareNeed,
    ContactPersonAssigned,
    IntakeCompleted,
    ParticipantRegistered,
    PipEstablished,
    TransportNeed,
)
from zroute_contract.events.parts import AvailabilitySlot, ContactPersonRef
from zroute_contract.types import new_participant_ref

NOTIFICATION_OUTCOMES = (
    "nl.zroute.notifications.notification-sent.v1",
    "nl.zroute.notifications.notification-failed.v1",
)


@dataclass(frozen=True)
class Expectation:
    """At least one output of one of ``types`` about ``participant_ref`` (its payload's
    ``participant_ref``), or caused by the scenario's trigger."""

    types: tuple[str, ...]
    participant_ref: str
    description: str


@dataclass
class Scenario:
    service: str
    description: str
    inputs: list[Event] = field(default_factory=list)
    # The input republished with the same id for the idempotency check.
    trigger: int | None = None
    expectations: list[Expectation] = field(default_factory=list)
    # Why nothing is expected, for a service whose outputs answer HTTP commands only.
    no_output_reason: str | None = None

    @property
    def trigger_event(self) -> Event | None:
        return None if self.trigger is None else self.inputs[self.trigger]


def _intake_completed(builder: SampleBuilder, ref: str, programme: str) -> IntakeCompleted:
    return IntakeCompleted(
        participant_ref=ref,
        programme_id=programme,
        intake_id=builder.data(IntakeCompleted)["intake_id"],
        municipality="GM0363",
        language_level=LanguageLevel.A1,
        literacy=Literacy.LITERATE,
        learnability_band=LearnabilityBand.LOW,
        needs=(),
        childcare=ChildcareNeed(needed=False),
        transport=TransportNeed(needed=False),
        availability=tuple(
            AvailabilitySlot(weekday=day, day_part=part)
            for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
            for part in (DayPart.MORNING, DayPart.AFTERNOON)
        ),
        goals=(Goal.LANGUAGE_SELF_RELIANCE,),
        route=Route.Z_ROUTE,
        route_reason=RouteReason.LOW_LEARNABILITY,
        completed_on=builder.today,
    )


def _three_years_on(start: date) -> date:
    """The last day within three years of ``start`` (the term's end, W 11)."""
    try:
        anniversary = start.replace(year=start.year + 3)
    except ValueError:  # 29 February
        anniversary = date(start.year + 3, 3, 1)
    return anniversary - timedelta(days=1)


def _pip_established(builder: SampleBuilder, ref: str, programme: str) -> PipEstablished:
    # Dated the day before the run: the term starts today (W 11: the day after its date).
    dated = builder.today - timedelta(days=1)
    return PipEstablished(
        participant_ref=ref,
        programme_id=programme,
        version=1,
        dated=dated,
        route=Route.Z_ROUTE,
        route_reason=RouteReason.LOW_LEARNABILITY,
        progress_meetings=4,
        pvt_hours_per_week=2,
        map_hours_per_week=2,
        route_hours_per_week=16,
        term_start=builder.today,
        term_end=_three_years_on(builder.today),
    )


def _registered(builder: SampleBuilder, ref: str, programme: str) -> ParticipantRegistered:
    return ParticipantRegistered(
        participant_ref=ref,
        programme_id=programme,
        municipality="GM0363",
        registered_on=builder.today,
        preferred_language="ar",
        interpreter_needed=True,
    )


def _contact_assigned(builder: SampleBuilder, ref: str, programme: str) -> ContactPersonAssigned:
    return ContactPersonAssigned(
        participant_ref=ref,
        programme_id=programme,
        contact=ContactPersonRef(
            staff_ref=f"cf{builder.token}-caseworker",
            role=ContactRole.CASEWORKER,
            municipality="GM0363",
        ),
        assigned_from=builder.today,
        reason=AssignmentReason.FIRST_ASSIGNMENT,
    )


def scenario_for(service: str, builder: SampleBuilder) -> Scenario:
    """The scenario of ``service`` with fresh identifiers."""
    ref = new_participant_ref()
    programme = f"cf{builder.token}-programme"
    if service == "planning":
        other = new_participant_ref()
        return Scenario(
            service,
            "participant-registered, intake-completed (Z-route, no childcare or transport "
            "needed), then pip-established (the established PIP) activate a plan; a second "
            "participant's intake and PIP come first, so two plans are numbered by one source",
            inputs=[
                _intake_completed(builder, other, programme),
                _pip_established(builder, other, programme),
                _registered(builder, ref, programme),
                _intake_completed(builder, ref, programme),
                _pip_established(builder, ref, programme),
            ],
            trigger=4,
            expectations=[
                Expectation(
                    ("nl.zroute.planning.plan-activated.v1",),
                    ref,
                    "plan-activated for the participant",
                )
            ],
        )
    if service == "notifications":
        return Scenario(
            service,
            "contact-person-assigned is in the communication matrix (to the contact person, "
            "immediately): a delivery outcome follows",
            inputs=[_contact_assigned(builder, ref, programme)],
            trigger=0,
            expectations=[
                Expectation(
                    NOTIFICATION_OUTCOMES,
                    ref,
                    "notification-sent or notification-failed about the event",
                )
            ],
        )
    if service == "support":
        return Scenario(
            service,
            "participant-registered, contact-person-assigned, intake-completed",
            inputs=[
                _registered(builder, ref, programme),
                _contact_assigned(builder, ref, programme),
                _intake_completed(builder, ref, programme),
            ],
            trigger=2,
            no_output_reason=(
                "support publishes in answer to its HTTP API (partners, agreements, referral "
                "answers, arrangements, placements); events alone cause no output"
            ),
        )
    if service == "intake":
        return Scenario(
            service,
            "(none)",
            no_output_reason=(
                "intake publishes in answer to its HTTP API only; the events it consumes "
                "(route-completed; planning's and support's group, placement, referral and "
                "interpreter events) start a retention timer or keep its relations and "
                "interpreter answers, and publish nothing"
            ),
        )
    raise ValueError(f"no scenario for service {service!r}")
