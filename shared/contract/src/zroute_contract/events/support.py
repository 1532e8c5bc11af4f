"""Events the support service publishes (operated by the care and participation
coordinator): partners, task-division agreements, care referrals, preconditions,
placements and job coaches.

Care referrals follow the closed-loop referral as HL7 FHIR models it (a Task with the
statuses of :class:`~zroute_contract.events.codes.ReferralStatus`). Only the request
and the cancellation are addressed to the care partner (``...<partner-id>`` routing
key); the request alone names the care category. Every other referral event is public
and says only that a referral exists, with which partner, and its status.
"""

from datetime import date
from typing import Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, field_validator, model_validator

from zroute_contract.events.base import Event, EventSpec
from zroute_contract.events.codes import (
    CareCategory,
    Channel,
    CheckInOutcome,
    CheckInParty,
    CurriculumModule,
    InterpreterAppointment,
    InterpreterWithdrawReason,
    LapseReason,
    NeedSeverity,
    ParticipationActivity,
    PartnerCapability,
    PreconditionCode,
    PreconditionKind,
    ReferralCancelReason,
    ReferralSide,
    ReferralStatus,
    RouteTask,
    Urgency,
    Weekday,
    one_of,
)
from zroute_contract.events.parts import (
    ContactPersonRef,
    EventPart,
    Hours,
    ParticipantEvent,
    UniqueTuple,
)
from zroute_contract.types import (
    EmployerId,
    LanguageCode,
    LocationId,
    MunicipalityCode,
    PartnerId,
    ProgrammeId,
    ReasonCode,
    StaffRef,
)

_NOTIFY = ("notifications",)
_PLANNING_AND_NOTIFY = ("planning", "notifications")
# Intake keeps the partner's relation with the participant for the contact card (issue 18).
_NOTIFY_AND_INTAKE = ("notifications", "intake")
_PLANNING_NOTIFY_AND_INTAKE = ("planning", "notifications", "intake")

# The statuses without an event of their own (see ReferralStatusChanged).
ChangedStatus = one_of(ReferralStatus.IN_PROGRESS, ReferralStatus.ON_HOLD, ReferralStatus.FAILED)


class CapabilityCapacity(EventPart):
    """How many participants a partner takes on at once for one capability."""

    capability: PartnerCapability = Field(description="The capability.")
    max_active: int = Field(
        ge=0, le=100000, description="Participants at once; 0 takes no new ones."
    )


class PartnerProfile(Event):
    """What the registry holds about an execution partner (uitvoeringspartner).

    How the partner is reached (mail addresses, webhook URLs) is not on the bus: the
    envelope's ``dataref`` points at the partner record in the support service.
    """

    partner_id: PartnerId = Field(description="The partner.")
    municipalities: UniqueTuple[MunicipalityCode] = Field(
        min_length=1, description="The municipalities the partner serves."
    )
    capabilities: UniqueTuple[PartnerCapability] = Field(
        min_length=1, description="What the partner can do."
    )
    capacity: tuple[CapabilityCapacity, ...] = Field(
        default=(), description="Capacity per capability; a capability not listed is unlimited."
    )
    channels: UniqueTuple[Channel] = Field(
        min_length=1, description="The channels the partner can be reached on."
    )
    active: bool = Field(default=True, description="False once the partner takes no new work.")


class PartnerRegistered(PartnerProfile):
    """An execution partner was registered (lesson L1). Notifications resolves the
    partner roles of its matrix with it; planning learns the partners it may plan with."""

    spec = EventSpec(
        type="nl.zroute.support.partner-registered.v1",
        routing_key="support.partner.registered",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="An execution partner was registered with its capabilities and capacity.",
    )


class PartnerUpdated(PartnerProfile):
    """A partner's registration changed; the event carries the whole new profile."""

    spec = EventSpec(
        type="nl.zroute.support.partner-updated.v1",
        routing_key="support.partner.updated",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="A partner's registration changed (whole new profile).",
    )


class TaskAssignment(EventPart):
    """One task of the route and the partner responsible for it."""

    task: RouteTask = Field(description="The task.")
    partner_id: PartnerId = Field(description="The one partner responsible.")


class ModuleProvider(EventPart):
    """A curriculum module no task of the route covers, and the partner that provides it
    (issue 16): the participatieverklaringstraject (``pvt``), or a customised module. The
    provider records the module's hours."""

    module: CurriculumModule = Field(description="The module.")
    partner_id: PartnerId = Field(description="The one partner that provides it.")


class TaskNotOffered(EventPart):
    """A task the programme does not offer, with the reason (issue 17): no partner is
    responsible for it."""

    task: RouteTask = Field(description="The task not offered.")
    reason: ReasonCode = Field(description="Why, from the configured list.")


class AgreementRecorded(Event):
    """A version of a programme's task-division agreement was recorded (lesson L2): for
    each task one responsible partner, and one lead partner.

    Planning and notifications resolve "the partner responsible for task X" with it.
    """

    spec = EventSpec(
        type="nl.zroute.support.agreement-recorded.v1",
        routing_key="support.agreement.recorded",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="A programme's task division (task -> partner, lead partner) was recorded.",
    )

    agreement_id: UUID = Field(description="The agreement version.")
    programme_id: ProgrammeId = Field(description="The programme.")
    municipality: MunicipalityCode = Field(description="The municipality the programme is of.")
    version: int = Field(ge=1, description="Version number, increasing per programme.")
    valid_from: date = Field(description="First day the version applies.")
    valid_until: date | None = Field(default=None, description="Last day, when it is limited.")
    lead_partner_id: PartnerId = Field(description="The lead partner of the programme.")
    assignments: tuple[TaskAssignment, ...] = Field(
        min_length=1, description="The responsible partner per task, each task once."
    )
    not_offered: tuple[TaskNotOffered, ...] = Field(
        default=(),
        description="Tasks the programme does not offer, with the reason: no partner is"
        " responsible for them (a task is assigned or not offered, never both).",
    )
    module_providers: tuple[ModuleProvider, ...] = Field(
        default=(),
        description=(
            "Added within v1 (issue 16): the partner that provides each curriculum module "
            "no task covers (the participatieverklaringstraject, ``pvt``), each module once; "
            "it records the module's hours. A field of its own rather than a new task code, "
            "so a consumer on the released contract keeps reading the whole agreement."
        ),
    )

    @field_validator("assignments")
    @classmethod
    def _each_task_once(cls, assignments: tuple[TaskAssignment, ...]) -> tuple[TaskAssignment, ...]:
        tasks = [assignment.task for assignment in assignments]
        if len(set(tasks)) != len(tasks):
            raise ValueError("must name each task once")
        return assignments

    @field_validator("module_providers")
    @classmethod
    def _each_module_once(cls, providers: tuple[ModuleProvider, ...]) -> tuple[ModuleProvider, ...]:
        modules = [provider.module for provider in providers]
        if len(set(modules)) != len(modules):
            raise ValueError("must name each module once")
        return providers

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class ReferralRequested(ParticipantEvent):
    """A care referral was sent to the care partner responsible for its category (lesson L5).

    Addressed to that partner: only it (and notifications, which alerts it) acts on the
    category; intake, the municipality that holds the regie, keeps only the referral's id
    and time for the management report's lead times. A re-routed referral is a new one naming the declined one in ``rerouted_from``.
    """

    spec = EventSpec(
        type="nl.zroute.support.referral-requested.v1",
        routing_key="support.referral.requested",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A care referral was requested from one care partner (addressed: care category).",
        addressed_by="partner_id",
    )

    referral_id: UUID = Field(description="The referral.")
    partner_id: PartnerId = Field(description="The care partner asked to act.")
    status: Literal[ReferralStatus.REQUESTED] = Field(
        default=ReferralStatus.REQUESTED, description="Always requested."
    )
    category: CareCategory = Field(description="The kind of care asked for.")
    severity: NeedSeverity = Field(description="How much support is needed.")
    urgency: Urgency = Field(description="How soon the partner must act.")
    consent_id: UUID = Field(description="The participant's consent that covers this referral.")
    signal_id: UUID | None = Field(
        default=None, description="The care signal from the intake, when it started from one."
    )
    referrer: ContactPersonRef = Field(
        description="Who referred: the participant's contact person."
    )
    answer_due_by: AwareDatetime = Field(
        description="When the partner must have accepted or declined, or it escalates."
    )
    rerouted_from: UUID | None = Field(
        default=None, description="The declined referral this one re-routes."
    )
    consent_overridden: bool = Field(
        default=False,
        description="True when a coordinator referred without a covering consent in an"
        " emergency; ``consent_id`` then names the override record (consent-overridden).",
    )


class ReferralEvent(ParticipantEvent):
    """Base of the public referral events: which referral, which partner."""

    referral_id: UUID = Field(description="The referral.")
    partner_id: PartnerId = Field(description="The care partner the referral is with.")


class ReferralAccepted(ReferralEvent):
    """The care partner accepted a referral. Notifications tells the referrer."""

    spec = EventSpec(
        type="nl.zroute.support.referral-accepted.v1",
        routing_key="support.referral.accepted",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="The care partner accepted a referral.",
    )

    status: Literal[ReferralStatus.ACCEPTED] = Field(
        default=ReferralStatus.ACCEPTED, description="Always accepted."
    )


class ReferralDeclined(ReferralEvent):
    """The care partner declined (FHIR: rejected) a referral. Support may re-route it to
    another capable partner; notifications tells the referrer."""

    spec = EventSpec(
        type="nl.zroute.support.referral-declined.v1",
        routing_key="support.referral.declined",
        producer="support",
        consumers=(*_NOTIFY, "intake"),
        summary="The care partner declined a referral, with a reason code.",
    )

    status: Literal[ReferralStatus.REJECTED] = Field(
        default=ReferralStatus.REJECTED, description="Always rejected."
    )
    reason: ReasonCode = Field(description="Why, from the configured list of decline reasons.")
    rerouting: bool = Field(description="True when support re-routes it to another partner.")


class ReferralCompleted(ReferralEvent):
    """A referral closed with an outcome the referrer can act on (as Primero records it).
    Notifications tells the referrer, so the loop closes."""

    spec = EventSpec(
        type="nl.zroute.support.referral-completed.v1",
        routing_key="support.referral.completed",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A referral closed with its outcome.",
    )

    status: Literal[ReferralStatus.COMPLETED] = Field(
        default=ReferralStatus.COMPLETED, description="Always completed."
    )
    successful: bool = Field(description="Whether the referral reached its aim.")
    service_delivered: bool = Field(description="Whether the service was delivered.")
    delivered_on: date | None = Field(default=None, description="When the service was delivered.")
    reason: ReasonCode | None = Field(
        default=None,
        description="Outcome reason from the configured list, mainly when not successful.",
    )


class ReferralStatusChanged(ReferralEvent):
    """A referral moved to a status that has no event of its own: in-progress, on-hold
    or failed. Notifications tells the referrer."""

    spec = EventSpec(
        type="nl.zroute.support.referral-status-changed.v1",
        routing_key="support.referral.status-changed",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A referral went in progress, on hold or failed.",
    )

    status: ChangedStatus = Field(description="The new status.")
    previous_status: ReferralStatus = Field(description="The status before.")
    changed_by: ReferralSide = Field(description="The side that set the status.")
    reason: ReasonCode | None = Field(
        default=None, description="Reason from the configured list (on hold, failed)."
    )


class ReferralCancelled(ReferralEvent):
    """A referral was cancelled (consent withdrawn, participant withdrawn, by the referrer).

    Addressed to the care partner, who must stop at once; notifications tells the
    referrer.
    """

    spec = EventSpec(
        type="nl.zroute.support.referral-cancelled.v1",
        routing_key="support.referral.cancelled",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A referral was cancelled; the care partner must stop (addressed).",
        addressed_by="partner_id",
    )

    status: Literal[ReferralStatus.CANCELLED] = Field(
        default=ReferralStatus.CANCELLED, description="Always cancelled."
    )
    reason: ReferralCancelReason = Field(description="Why it was cancelled.")


class ReferralEscalated(ReferralEvent):
    """A referral was not answered by its deadline. Notifications alerts the care
    partner's and the programme's coordinators and the referrer."""

    spec = EventSpec(
        type="nl.zroute.support.referral-escalated.v1",
        routing_key="support.referral.escalated",
        producer="support",
        consumers=_NOTIFY,
        summary="A referral was not answered in time.",
    )

    status: ReferralStatus = Field(description="The status it is stuck in.")
    answer_due_by: AwareDatetime = Field(description="The deadline that passed.")
    level: int = Field(ge=1, le=10, description="1 for the first escalation, higher for repeats.")


def _kind_and_code(kind: PreconditionKind, code: str | None) -> None:
    """``kind`` and ``code`` agree: ``other`` names its code, childcare and transport have
    none or their own."""
    if kind is PreconditionKind.OTHER:
        if code is None or code in ("childcare", "transport", "other"):
            raise ValueError("kind other needs the code of a configured kind")
    elif code not in (None, kind.value):
        raise ValueError(f"code must be {kind.value} (or absent) for kind {kind}")


class PreconditionArranged(ParticipantEvent):
    """Childcare or transport was arranged (lesson L14). Planning may set a start date
    once every needed precondition is arranged."""

    spec = EventSpec(
        type="nl.zroute.support.precondition-arranged.v1",
        routing_key="support.precondition.arranged",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="Childcare or transport was arranged, from / until, days covered.",
    )

    precondition_id: UUID = Field(description="The arrangement.")
    kind: PreconditionKind = Field(description="Childcare, transport, or other (see code).")
    code: PreconditionCode | None = Field(
        default=None,
        description=(
            "The configured precondition kind's code (e.g. digital_device); required when "
            "kind is other, equal to kind (or absent) for childcare and transport."
        ),
    )
    partner_id: PartnerId = Field(description="The partner providing it.")
    arranged_from: date = Field(description="First day covered.")
    arranged_until: date | None = Field(default=None, description="Last day covered, when limited.")
    days_covered: UniqueTuple[Weekday] = Field(min_length=1, description="The weekdays covered.")

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.arranged_until is not None and self.arranged_until < self.arranged_from:
            raise ValueError("arranged_until is before arranged_from")
        return self

    @model_validator(mode="after")
    def _code_agrees(self) -> Self:
        _kind_and_code(self.kind, self.code)
        return self

    @property
    def precondition_code(self) -> str:
        """The configured kind's code: ``code`` when present, else ``kind``."""
        return self.code or self.kind.value


class PreconditionLapsed(ParticipantEvent):
    """An arranged precondition no longer holds (ended, or does not cover the scheduled
    days). Planning pauses scheduling; notifications tells the contact person."""

    spec = EventSpec(
        type="nl.zroute.support.precondition-lapsed.v1",
        routing_key="support.precondition.lapsed",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="Childcare or transport lapsed.",
    )

    precondition_id: UUID = Field(description="The arrangement that lapsed.")
    kind: PreconditionKind = Field(description="Childcare, transport, or other (see code).")
    code: PreconditionCode | None = Field(
        default=None,
        description=(
            "The configured precondition kind's code (e.g. digital_device); required when "
            "kind is other, equal to kind (or absent) for childcare and transport."
        ),
    )
    partner_id: PartnerId = Field(description="The partner that provided it.")
    lapsed_on: date = Field(description="First day no longer covered.")
    reason: LapseReason = Field(description="Why it lapsed.")
    days_uncovered: UniqueTuple[Weekday] = Field(
        default=(), description="Scheduled weekdays not covered (reason schedule_not_covered)."
    )

    @model_validator(mode="after")
    def _code_agrees(self) -> Self:
        _kind_and_code(self.kind, self.code)
        return self

    @property
    def precondition_code(self) -> str:
        """The configured kind's code: ``code`` when present, else ``kind``."""
        return self.code or self.kind.value


class PlacementConfirmed(ParticipantEvent):
    """The responsible participation partner confirmed a workplace for a placement
    request (lesson L4). Planning schedules the placement hours."""

    spec = EventSpec(
        type="nl.zroute.support.placement-confirmed.v1",
        routing_key="support.placement.confirmed",
        producer="support",
        consumers=_PLANNING_NOTIFY_AND_INTAKE,
        summary="A workplace was confirmed for a placement request.",
    )

    placement_id: UUID = Field(description="The placement.")
    placement_request_id: UUID = Field(description="The request it answers.")
    partner_id: PartnerId = Field(description="The participation partner.")
    employer_id: EmployerId = Field(description="The employer offering the workplace.")
    location_id: LocationId = Field(description="Where the workplace is.")
    activity: ParticipationActivity = Field(description="The kind of participation activity.")
    starts_on: date = Field(description="First day on the workplace.")
    ends_on: date | None = Field(default=None, description="Last day, when limited.")
    hours_per_week: Hours = Field(description="Hours a week on the workplace.")
    starts_after_needed_by: bool = Field(
        default=False,
        description="True when the workplace starts later than the request needed it: the"
        " request's escalation stays open and the planner must act.",
    )
    replaces_placement_id: UUID | None = Field(
        default=None,
        description="The ended placement this one replaces (the employer dropped out);"
        " the request's escalation stays open until the replacement starts.",
    )


class PlacementDeclined(ParticipantEvent):
    """A participation partner could not offer a workplace for a request. Planning
    adjusts or re-requests; notifications tells the lead partner."""

    spec = EventSpec(
        type="nl.zroute.support.placement-declined.v1",
        routing_key="support.placement.declined",
        producer="support",
        consumers=_PLANNING_AND_NOTIFY,
        summary="A participation partner could not offer a workplace.",
    )

    placement_request_id: UUID = Field(description="The request.")
    partner_id: PartnerId = Field(description="The participation partner that declined.")
    reason: ReasonCode = Field(description="Why, from the configured list.")
    rerouting: bool = Field(description="True when support asks another capable partner.")


class JobCoachAssigned(ParticipantEvent):
    """A job coach was assigned to a confirmed placement (lesson L8); the employer is a
    contact who receives support too."""

    spec = EventSpec(
        type="nl.zroute.support.job-coach-assigned.v1",
        routing_key="support.job-coach.assigned",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A job coach was assigned to a placement.",
    )

    placement_id: UUID = Field(description="The placement.")
    partner_id: PartnerId = Field(description="The partner the job coach works for.")
    job_coach: StaffRef = Field(description="The job coach.")
    employer_id: EmployerId = Field(description="The employer, also supported by the coach.")
    assigned_from: date = Field(description="First day of the coaching.")


class JobCoachCheckInRecorded(ParticipantEvent):
    """A job coach recorded a check-in with the participant or the employer."""

    spec = EventSpec(
        type="nl.zroute.support.job-coach-check-in-recorded.v1",
        routing_key="support.job-coach-check-in.recorded",
        producer="support",
        consumers=_NOTIFY,
        summary="A job-coach check-in with the participant or the employer was recorded.",
    )

    placement_id: UUID = Field(description="The placement.")
    job_coach: StaffRef = Field(description="The job coach.")
    party: CheckInParty = Field(description="Who the check-in was with.")
    held_on: date = Field(description="The day of the check-in.")
    outcome: CheckInOutcome = Field(description="How it went.")


_CONCERN = one_of(CheckInOutcome.CONCERNS, CheckInOutcome.PLACEMENT_AT_RISK)


class ConsentOverridden(ParticipantEvent):
    """A coordinator referred without a covering consent in an emergency (issue 17),
    on a legal ground from the configured list. The reason, in words, stays in support's
    audit trail; notifications tells the participant's caseworker."""

    spec = EventSpec(
        type="nl.zroute.support.consent-overridden.v1",
        routing_key="support.consent.overridden",
        producer="support",
        consumers=_NOTIFY,
        summary="A referral was made without a covering consent (emergency override, audited).",
    )

    override_id: UUID = Field(description="The override record in support's audit trail.")
    referral_id: UUID | None = Field(
        default=None, description="The referral, unless it waits for a partner."
    )
    legal_ground: ReasonCode = Field(description="The legal ground, from the configured list.")
    overridden_by: StaffRef = Field(description="The coordinator who overrode.")
    overridden_at: AwareDatetime = Field(description="When.")


class ReferralReassigned(ParticipantEvent):
    """The coordinator moved a referral, or a waiting one, to a partner of their choice
    (issue 17): a new referral to that partner, the old one cancelled (``reassigned``)."""

    spec = EventSpec(
        type="nl.zroute.support.referral-reassigned.v1",
        routing_key="support.referral.reassigned",
        producer="support",
        consumers=_NOTIFY,
        summary="The coordinator moved a referral to a chosen partner, with a reason.",
    )

    referral_id: UUID = Field(description="The new referral, with the chosen partner.")
    partner_id: PartnerId = Field(description="The chosen partner.")
    previous_referral_id: UUID | None = Field(
        default=None, description="The referral it replaces (none when it waited)."
    )
    previous_partner_id: PartnerId | None = Field(
        default=None, description="The partner it was with (none when it waited)."
    )
    reason: ReasonCode = Field(description="Why, from the configured list.")
    exception: bool = Field(
        description="True when the chosen partner is not the one the task division names."
    )
    reassigned_by: StaffRef = Field(description="The coordinator.")


class PlacementEvent(ParticipantEvent):
    """Base of a confirmed placement's life-cycle events."""

    placement_id: UUID = Field(description="The placement.")
    placement_request_id: UUID = Field(description="The request it answers.")
    partner_id: PartnerId = Field(description="The participation partner.")
    employer_id: EmployerId = Field(description="The employer.")


class PlacementStarted(PlacementEvent):
    """The participant started on the workplace (issue 17)."""

    spec = EventSpec(
        type="nl.zroute.support.placement-started.v1",
        routing_key="support.placement.started",
        producer="support",
        consumers=_NOTIFY,
        summary="A participant started on a confirmed workplace.",
    )

    started_on: date = Field(description="The first day on the workplace.")
    needed_by: date = Field(description="The day the request needed it by.")
    late: bool = Field(description="True when it started after ``needed_by``.")


class PlacementChanged(PlacementEvent):
    """A confirmed placement changed its workplace or hours (a new job coach is
    ``job-coach-assigned``); the event carries the new values."""

    spec = EventSpec(
        type="nl.zroute.support.placement-changed.v1",
        routing_key="support.placement.changed",
        producer="support",
        consumers=_NOTIFY,
        summary="A placement's workplace or hours changed.",
    )

    location_id: LocationId = Field(description="Where the workplace is now.")
    hours_per_week: Hours = Field(description="Hours a week from now on.")
    changed_from: date = Field(description="The first day of the change.")


class PlacementEnded(PlacementEvent):
    """A confirmed placement ended before its time, with a reason (the employer dropped
    out, ...); the request may be served again."""

    spec = EventSpec(
        type="nl.zroute.support.placement-ended.v1",
        routing_key="support.placement.ended",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="A placement ended, with a reason code.",
    )

    ended_on: date = Field(description="The last day on the workplace.")
    reason: ReasonCode = Field(description="Why, from the configured list.")


class PlacementConcernRaised(ParticipantEvent):
    """A job-coach check-in found concerns or a placement at risk: notifications alerts
    the job coach's partner and the contact person (issue 17)."""

    spec = EventSpec(
        type="nl.zroute.support.placement-concern-raised.v1",
        routing_key="support.placement.concern-raised",
        producer="support",
        consumers=_NOTIFY,
        summary="A check-in found concerns or a placement at risk.",
    )

    placement_id: UUID = Field(description="The placement.")
    partner_id: PartnerId = Field(description="The job coach's partner.")
    job_coach: StaffRef = Field(description="The job coach.")
    held_on: date = Field(description="The day of the check-in.")
    outcome: _CONCERN = Field(description="Concerns, or the placement at risk.")


class CheckInOverdue(ParticipantEvent):
    """A confirmed placement's job coach has not checked in within the placement's
    check-in rhythm: notifications alerts the job coach's partner and the contact person
    (issue 17). Repeats each rhythm interval while no check-in is recorded."""

    spec = EventSpec(
        type="nl.zroute.support.check-in-overdue.v1",
        routing_key="support.check-in.overdue",
        producer="support",
        consumers=_NOTIFY,
        summary="A placement's job-coach check-in is overdue.",
    )

    placement_id: UUID = Field(description="The placement.")
    placement_request_id: UUID = Field(description="The request it answers.")
    partner_id: PartnerId = Field(description="The job coach's partner.")
    job_coach: StaffRef = Field(description="The job coach.")
    due_on: date = Field(description="The day the check-in was due.")
    last_check_in: date | None = Field(
        default=None, description="The last check-in, none when there was none yet."
    )
    every_days: int = Field(ge=1, le=366, description="The rhythm: days between check-ins.")
    level: int = Field(ge=1, le=10, description="How many alerts, this one included.")


class CarePauseStarted(ParticipantEvent):
    """A care coordinator recorded that the participant cannot follow the route for a
    while because of the care a referral arranged (a treatment or an admission; the kind
    stays in support). Planning pauses the plan for care."""

    spec = EventSpec(
        type="nl.zroute.support.care-pause-started.v1",
        routing_key="support.care-pause.started",
        producer="support",
        consumers=("planning",),
        summary="The participant's route pauses for care arranged by a referral.",
    )

    pause_id: UUID = Field(description="The care pause; care-pause-ended names it again.")
    referral_id: UUID = Field(description="The referral whose care causes the pause.")
    paused_from: date = Field(description="The first day of the pause.")
    expected_until: date | None = Field(
        default=None, description="The last day the pause is expected to last, if known."
    )


class CarePauseEnded(ParticipantEvent):
    """The care pause ended; planning resumes the plan unless something else still holds
    it."""

    spec = EventSpec(
        type="nl.zroute.support.care-pause-ended.v1",
        routing_key="support.care-pause.ended",
        producer="support",
        consumers=("planning",),
        summary="The care pause ended; the route resumes.",
    )

    pause_id: UUID = Field(description="The care pause that ended.")
    referral_id: UUID = Field(description="The referral whose care caused the pause.")
    paused_from: date = Field(description="The first day of the pause.")
    ended_on: date = Field(description="The first day back on the route.")


class InterpreterEvent(ParticipantEvent):
    """Base of the interpreter events (issue 17 item 6, issue 18 item 4): which request,
    which interpreter partner, and the appointment it is for (the intake by its id, a
    progress meeting by its number)."""

    request_id: UUID = Field(description="The interpreter request in support.")
    partner_id: PartnerId = Field(description="The interpreter partner asked.")
    appointment: InterpreterAppointment = Field(description="The intake or a progress meeting.")
    intake_id: UUID | None = Field(default=None, description="The intake, for an intake.")
    meeting_number: int | None = Field(
        default=None, ge=1, le=99, description="The PIP's meeting, for a progress meeting."
    )
    referral_id: UUID | None = Field(
        default=None, description="The accepted referral, for a referral's intake (issue 18)."
    )
    starts_at: AwareDatetime = Field(
        description="When the appointment starts, as asked (a rescheduled one is asked anew)."
    )


class InterpreterRequested(InterpreterEvent):
    """Support asked the interpreter partner the task division names (task ``interpreter``)
    to interpret at an intake or a progress meeting. Addressed to that partner; notifications
    tells it. A rescheduled appointment is requested again under the same ``request_id``."""

    spec = EventSpec(
        type="nl.zroute.support.interpreter-requested.v1",
        routing_key="support.interpreter.requested",
        producer="support",
        consumers=_NOTIFY,
        summary="An interpreter was requested from the interpreter partner (addressed).",
        addressed_by="partner_id",
    )

    language: LanguageCode = Field(description="The language to interpret from Dutch.")


class InterpreterConfirmed(InterpreterEvent):
    """The interpreter partner confirmed it interprets at the appointment; intake shows the
    interpreter as confirmed on the intake or meeting."""

    spec = EventSpec(
        type="nl.zroute.support.interpreter-confirmed.v1",
        routing_key="support.interpreter.confirmed",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="The interpreter partner confirmed an interpreter for an appointment.",
    )

    confirmed_by: StaffRef = Field(description="The partner's staff member who confirmed.")


class InterpreterDeclined(InterpreterEvent):
    """The interpreter partner cannot interpret at the appointment (a reason code); intake
    shows the interpreter as declined, so the caseworker can act."""

    spec = EventSpec(
        type="nl.zroute.support.interpreter-declined.v1",
        routing_key="support.interpreter.declined",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="The interpreter partner declined an interpreter request, with a reason code.",
    )

    reason: ReasonCode = Field(description="Why, from the configured list.")
    declined_by: StaffRef = Field(description="The partner's staff member who declined.")


class InterpreterWithdrawn(InterpreterEvent):
    """Support withdrew an interpreter request it had sent (issue 18 item 4): the
    appointment moved, was called off or needs no interpreter any more, the participant
    left the route, or the referral whose intake it was closed. Addressed to the
    interpreter partner asked, so it stops booking (or releases) the interpreter for the
    ``starts_at`` it was asked for; a moved appointment is asked anew by a later
    ``interpreter-requested`` under the same ``request_id``."""

    spec = EventSpec(
        type="nl.zroute.support.interpreter-withdrawn.v1",
        routing_key="support.interpreter.withdrawn",
        producer="support",
        consumers=_NOTIFY_AND_INTAKE,
        summary="An interpreter request was withdrawn from the interpreter partner (addressed).",
        addressed_by="partner_id",
    )

    reason: InterpreterWithdrawReason = Field(description="Why the request was withdrawn.")
    was_confirmed: bool = Field(
        description="True when the partner had already confirmed an interpreter for it."
    )


class LeadPartnerSet(ParticipantEvent):
    """The coordinator gave a participant a lead partner of their own (issue 17 item 6:
    one lead partner per participant), or returned them to the programme's
    (``lead_partner_id`` absent). Where the matrix names the ``lead_partner`` for an event
    about this participant, notifications tells this partner instead of the programme's."""

    spec = EventSpec(
        type="nl.zroute.support.lead-partner-set.v1",
        routing_key="support.lead-partner.set",
        producer="support",
        consumers=_NOTIFY,
        summary="A participant's own lead partner was set (or returned to the programme's).",
    )

    lead_partner_id: PartnerId | None = Field(
        default=None, description="The participant's lead partner; absent: the programme's."
    )
    reason: ReasonCode = Field(description="Why, from the configured list.")
    set_by: StaffRef = Field(description="The coordinator.")
