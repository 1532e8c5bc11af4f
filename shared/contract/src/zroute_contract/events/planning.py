"""Events the planning service publishes (operated by the lead execution partner,
typically the language school): plans, groups, schedules, placements requested,
attendance, progress reviews, follow-up and completion."""

from datetime import date
from typing import Annotated, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from zroute_contract.events.base import Event, EventSpec
from zroute_contract.events.codes import (
    AttendanceStatus,
    CorrectionReason,
    CurriculumModule,
    DayPart,
    FollowUpTask,
    FollowUpType,
    GroupChangeReason,
    HoursKind,
    LevelBand,
    ModuleChange,
    ParticipationActivity,
    PauseReason,
    PlacementCancelReason,
    PlacementSupport,
    PreconditionCode,
    PreconditionKind,
    ReviewOutcome,
    ReviewTrigger,
    Route,
    SessionChangeReason,
    TeachingForm,
    WaitReason,
    Weekday,
)
from zroute_contract.events.parts import (
    AvailabilitySlot,
    EventPart,
    Hours,
    HoursNorm,
    ParticipantEvent,
    UniqueTuple,
)
from zroute_contract.types import (
    LocalTime,
    LocationId,
    ParticipantRef,
    PartnerId,
    ProgrammeId,
    StaffRef,
)

_SUPPORT_AND_NOTIFY = ("support", "notifications")
_NOTIFY = ("notifications",)
# Intake keeps the partner's relation with the participant for the contact card (issue 18).
_ALL_BUT_PLANNING = ("support", "notifications", "intake")

SessionMinutes = Annotated[int, Field(ge=15, le=480)]


class HoursTargets(EventPart):
    """The hours the route aims at, split by kind (configuration). The legal test is the
    PIP's norm (B 3.14: 800 course hours, language and KNM together; 800 participation
    hours, MAP and PVT within them), which ``pip-established`` carries; these figures only
    describe the split (by default language 700 + KNM 100, participation 700 + MAP 100)."""

    total: Hours = Field(description="Hours of the whole route.")
    language: Hours = Field(description="Minimum hours of language learning.")
    participation: Hours = Field(description="Hours of participation activities.")
    knm: Hours = Field(description="Hours of KNM (kennis van de Nederlandse maatschappij).")
    map: Hours = Field(description="Hours of the MAP (module arbeidsmarkt en participatie).")


class HoursTotals(EventPart):
    """Hours attended per kind; the route total is their sum."""

    language: Hours = Field(description="Language hours.")
    participation: Hours = Field(description="Participation hours.")
    knm: Hours = Field(description="KNM hours.")
    map: Hours = Field(description="MAP hours.")


class RampUpPhase(EventPart):
    """One phase of the day-rhythm build-up (lesson L9): from a base of few, short
    sessions up to the target intensity."""

    phase: int = Field(ge=1, le=20, description="Phase number, 1 for the base.")
    from_week: int = Field(ge=1, le=160, description="Route week in which the phase starts.")
    sessions_per_week: int = Field(ge=1, le=15, description="Sessions a week in this phase.")
    session_minutes: SessionMinutes = Field(description="Length of one session in minutes.")


class PlanActivated(ParticipantEvent):
    """Planning activated a plan for a Z-route participant whose PIP was established.

    Support learns the plan exists (and so the start it must arrange preconditions
    for); notifications tells the contact person and the lead partner.
    """

    spec = EventSpec(
        type="nl.zroute.planning.plan-activated.v1",
        routing_key="planning.plan.activated",
        producer="planning",
        consumers=_NOTIFY,
        summary="A plan was activated: targets, modules, ramp-up profile, start and term end.",
    )

    plan_id: UUID = Field(description="The plan.")
    route: Route = Field(description="The route the plan follows.")
    targets: HoursTargets = Field(description="Target hours of the route.")
    modules: UniqueTuple[CurriculumModule] = Field(
        description="Core curriculum plus the customised modules chosen from the intake needs."
    )
    ramp_up: tuple[RampUpPhase, ...] = Field(
        min_length=1, description="The ramp-up profile, phases in order."
    )
    start_on: date | None = Field(
        default=None,
        description="Planned first day; absent while a precondition in waiting_for is missing.",
    )
    waiting_for: UniqueTuple[PreconditionKind] = Field(
        default=(), description="Preconditions that must be arranged before a start date is set."
    )
    waiting_for_codes: UniqueTuple[PreconditionCode] = Field(
        default=(),
        description="The same preconditions by configured code (other kinds included).",
    )
    integration_term_end: date = Field(
        description="End of the integration term (inburgeringstermijn)."
    )
    targets_fit_term: bool = Field(
        description="False when the projection shows the targets do not fit in the term."
    )
    norm: HoursNorm | None = Field(
        default=None,
        description="The participant's hours norm as the law structures it (course and "
        "participation hours, credits); the projection counts against it.",
    )
    integration_term_start: date | None = Field(
        default=None, description="Start of the integration term: the day after the PIP's date."
    )


class PlanStartScheduled(ParticipantEvent):
    """The plan got its start date, once the preconditions it waited for were arranged."""

    spec = EventSpec(
        type="nl.zroute.planning.plan-start-scheduled.v1",
        routing_key="planning.plan.start-scheduled",
        producer="planning",
        consumers=_NOTIFY,
        summary="The plan got its start date.",
    )

    plan_id: UUID = Field(description="The plan.")
    start_on: date = Field(description="The first day of the route.")
    integration_term_end: date = Field(description="End of the integration term.")


class PlanPaused(ParticipantEvent):
    """Scheduling of the plan was paused, for example because childcare or transport
    lapsed. Support works on the lapsed preconditions; notifications tells the contact
    person."""

    spec = EventSpec(
        type="nl.zroute.planning.plan-paused.v1",
        routing_key="planning.plan.paused",
        producer="planning",
        consumers=_NOTIFY,
        summary="The plan was paused (for example a precondition lapsed).",
    )

    plan_id: UUID = Field(description="The plan.")
    reason: PauseReason = Field(description="Why the plan was paused.")
    preconditions: UniqueTuple[PreconditionKind] = Field(
        default=(), description="The lapsed preconditions, when that is the reason."
    )
    precondition_codes: UniqueTuple[PreconditionCode] = Field(
        default=(),
        description="The lapsed preconditions by configured code (other kinds included).",
    )
    paused_from: date = Field(description="First day without sessions.")


class PlanResumed(ParticipantEvent):
    """A paused plan was resumed."""

    spec = EventSpec(
        type="nl.zroute.planning.plan-resumed.v1",
        routing_key="planning.plan.resumed",
        producer="planning",
        consumers=_NOTIFY,
        summary="A paused plan was resumed.",
    )

    plan_id: UUID = Field(description="The plan.")
    resumed_on: date = Field(description="First day with sessions again.")


class PlanAtRisk(ParticipantEvent):
    """The projection shows the targets will not be reached within the integration term.

    Notifications alerts the contact person and the lead partner, and lists it in the
    consultation overview.
    """

    spec = EventSpec(
        type="nl.zroute.planning.plan-at-risk.v1",
        routing_key="planning.plan.at-risk",
        producer="planning",
        consumers=_NOTIFY,
        summary="The targets no longer fit in the integration term.",
    )

    plan_id: UUID = Field(description="The plan.")
    assessed_on: date = Field(description="The day of the projection.")
    projected: HoursTotals = Field(description="Hours projected by the end of the term.")
    targets: HoursTargets = Field(description="The targets they fall short of.")
    integration_term_end: date = Field(description="End of the integration term.")


class GroupSession(EventPart):
    """A weekly session of a group."""

    weekday: Weekday = Field(description="Day of the week.")
    day_part: DayPart = Field(description="Part of the day.")
    starts_at: LocalTime = Field(
        description="Local start time (Europe/Amsterdam), HH:MM:SS without a UTC offset."
    )
    minutes: SessionMinutes = Field(description="Length in minutes.")
    teaching_form: TeachingForm = Field(description="How the session is taught.")
    location_id: LocationId | None = Field(
        default=None, description="Where it is held; absent for digital sessions."
    )


class GroupFormed(Event):
    """A group of 3 to 8 participants of one level band was formed (lessons L7, L11).

    Notifications tells the teacher, the assistant and each member's contact person;
    support checks childcare and transport against the weekdays of its sessions before
    the members' schedules are published (issue 17).
    """

    spec = EventSpec(
        type="nl.zroute.planning.group-formed.v1",
        routing_key="planning.group.formed",
        producer="planning",
        consumers=_ALL_BUT_PLANNING,
        summary="A group of 3 to 8 of one level band was formed with its staffing and sessions.",
    )

    group_id: UUID = Field(description="The group.")
    programme_id: ProgrammeId = Field(description="The programme the group belongs to.")
    partner_id: PartnerId = Field(description="The partner that teaches the group.")
    level_band: LevelBand = Field(description="The one level band of the group.")
    members: UniqueTuple[ParticipantRef] = Field(
        min_length=3, max_length=8, description="The participants in the group."
    )
    teacher: StaffRef = Field(description="The teacher.")
    assistant: StaffRef | None = Field(
        default=None, description="The class assistant, where the group needs one."
    )
    sessions: tuple[GroupSession, ...] = Field(min_length=1, description="The weekly sessions.")
    starts_on: date = Field(description="The day of the first session.")


class ParticipantAssignedToGroup(ParticipantEvent):
    """A participant joined a group, at formation or later."""

    spec = EventSpec(
        type="nl.zroute.planning.participant-assigned-to-group.v1",
        routing_key="planning.participant.assigned-to-group",
        producer="planning",
        consumers=_ALL_BUT_PLANNING,
        summary="A participant joined a group.",
    )

    group_id: UUID = Field(description="The group joined.")
    level_band: LevelBand = Field(description="The group's level band.")
    assigned_from: date = Field(description="The first day in the group.")
    reason: GroupChangeReason = Field(description="Why the participant joined.")


class ParticipantRemovedFromGroup(ParticipantEvent):
    """A participant left a group (withdrawn, paused, moved to another level, completed)."""

    spec = EventSpec(
        type="nl.zroute.planning.participant-removed-from-group.v1",
        routing_key="planning.participant.removed-from-group",
        producer="planning",
        consumers=_ALL_BUT_PLANNING,
        summary="A participant left a group.",
    )

    group_id: UUID = Field(description="The group left.")
    removed_from: date = Field(description="The first day no longer in the group.")
    reason: GroupChangeReason = Field(description="Why the participant left.")


class ParticipantWaitlisted(ParticipantEvent):
    """A participant could not be placed in a group yet and waits, with the reason."""

    spec = EventSpec(
        type="nl.zroute.planning.participant-waitlisted.v1",
        routing_key="planning.participant.waitlisted",
        producer="planning",
        consumers=_NOTIFY,
        summary="A participant is on the waiting list for a group, with the reason.",
    )

    level_band: LevelBand = Field(description="The level band a group is sought for.")
    reason: WaitReason = Field(description="Why no group fits yet.")
    since: date = Field(description="The day the participant started waiting.")


class ScheduledSession(EventPart):
    """A weekly session in a participant's schedule."""

    weekday: Weekday = Field(description="Day of the week.")
    day_part: DayPart = Field(description="Part of the day.")
    starts_at: LocalTime = Field(
        description="Local start time (Europe/Amsterdam), HH:MM:SS without a UTC offset."
    )
    minutes: SessionMinutes = Field(description="Length in minutes.")
    teaching_form: TeachingForm = Field(description="How the session is taught.")
    hours_kind: HoursKind = Field(description="The target its hours count toward.")
    group_id: UUID | None = Field(default=None, description="The group, for group sessions.")
    location_id: LocationId | None = Field(
        default=None,
        description=(
            "Added within v1 (issue 18): where the session is held (the location of its room "
            "in the calendar), a code; planning's ``GET /places/{location_id}`` gives its name "
            "and address. Absent for sessions without a room (online, at the workplace) or "
            "not yet given one."
        ),
    )
    module: CurriculumModule | None = Field(
        default=None,
        description=(
            "Added within v1 (issue 16): the customised (maatwerk) module this session "
            "teaches, for a module added to the plan with its hours; absent for the route's "
            "other sessions."
        ),
    )


VARIETY_PROBLEM_PATTERN = r"^[a-z][a-z_ ,.%()-]*(?:[0-9]{1,3}[a-z_ ,.%()-]+)*[0-9]{0,3}$"
"""Lower-case words and numbers of at most three digits: room for a rule in words, none
for a name, a BSN or an e-mail address."""
VarietyProblem = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=VARIETY_PROBLEM_PATTERN)
]
"""One broken variety rule in words, e.g. ``classroom runs 2 sessions in a row, above 1``
(codes and numbers only, never personal data)."""


class SchedulePublished(ParticipantEvent):
    """A participant's weekly schedule for a ramp-up phase was published (lessons L9, L10).

    Support checks the days childcare and transport cover against it; notifications
    tells the contact person.
    """

    spec = EventSpec(
        type="nl.zroute.planning.schedule-published.v1",
        routing_key="planning.schedule.published",
        producer="planning",
        consumers=_SUPPORT_AND_NOTIFY,
        summary="A participant's weekly schedule (phase, sessions, teaching forms) was published.",
    )

    plan_id: UUID = Field(description="The plan.")
    phase: int = Field(ge=1, le=20, description="The ramp-up phase the schedule belongs to.")
    valid_from: date = Field(description="First day the schedule applies.")
    sessions_per_week: int = Field(ge=1, le=15, description="Number of sessions a week.")
    session_minutes: SessionMinutes = Field(description="Usual session length in minutes.")
    sessions: tuple[ScheduledSession, ...] = Field(
        min_length=1, description="The weekly sessions, one entry per session."
    )
    variety_problems: tuple[VarietyProblem, ...] = Field(
        default=(),
        max_length=10,
        description=(
            "Added within v1 (issue 16): the teaching-form variety rules (lesson L10) this "
            "week breaks, when no order of its sessions keeps them; empty when it keeps "
            "them all. Published so the planner sees it, never passed off as a good week."
        ),
    )

    @model_validator(mode="after")
    def _count(self) -> Self:
        if len(self.sessions) != self.sessions_per_week:
            raise ValueError("sessions must hold sessions_per_week entries")
        return self


class PlacementRequested(ParticipantEvent):
    """A participation activity needs a workplace placement by a date (lesson L4).

    Support has the responsible participation partner find and confirm one.
    """

    spec = EventSpec(
        type="nl.zroute.planning.placement-requested.v1",
        routing_key="planning.placement.requested",
        producer="planning",
        consumers=_SUPPORT_AND_NOTIFY,
        summary="A workplace placement is needed by a date.",
    )

    placement_request_id: UUID = Field(description="The request.")
    activity: ParticipationActivity = Field(description="The kind of participation activity.")
    needed_by: date = Field(description="The day the placement must start.")
    hours_per_week: Hours = Field(description="Hours a week on the placement.")
    availability: UniqueTuple[AvailabilitySlot] = Field(
        description="The parts of the week free for the placement."
    )
    support_needs: UniqueTuple[PlacementSupport] = Field(
        default=(), description="Support the participant needs on the placement."
    )


class PlacementEscalated(ParticipantEvent):
    """A placement request was not confirmed in time: its lead time ran out.

    Notifications alerts the responsible participation partner and the lead partner;
    support puts it in front of the coordinator.
    """

    spec = EventSpec(
        type="nl.zroute.planning.placement-escalated.v1",
        routing_key="planning.placement.escalated",
        producer="planning",
        consumers=_SUPPORT_AND_NOTIFY,
        summary="A placement request was not confirmed in time.",
    )

    placement_request_id: UUID = Field(description="The request.")
    needed_by: date = Field(description="The day the placement must start.")
    escalated_on: date = Field(description="The day the escalation fired.")
    level: int = Field(ge=1, le=10, description="1 for the first escalation, higher for repeats.")


class PlacementCancelled(ParticipantEvent):
    """Planning withdrew a placement request; support stops looking."""

    spec = EventSpec(
        type="nl.zroute.planning.placement-cancelled.v1",
        routing_key="planning.placement.cancelled",
        producer="planning",
        consumers=_SUPPORT_AND_NOTIFY,
        summary="A placement request was withdrawn.",
    )

    placement_request_id: UUID = Field(description="The request.")
    reason: PlacementCancelReason = Field(description="Why it was withdrawn.")


class AttendanceRecorded(ParticipantEvent):
    """Attendance of one session was recorded; present hours count toward a target."""

    spec = EventSpec(
        type="nl.zroute.planning.attendance-recorded.v1",
        routing_key="planning.attendance.recorded",
        producer="planning",
        consumers=(*_NOTIFY, "intake"),
        summary="Attendance of one session was recorded with its hours and kind.",
    )

    session_id: UUID = Field(description="The session (one occurrence on one day).")
    session_on: date = Field(description="The day of the session.")
    group_id: UUID | None = Field(default=None, description="The group, for group sessions.")
    kind: HoursKind = Field(description="The target the hours count toward.")
    teaching_form: TeachingForm = Field(description="How the session was taught.")
    status: AttendanceStatus = Field(description="Present, or absent with or without a reason.")
    hours: Hours = Field(description="Hours counted (0 when absent).")
    module: CurriculumModule | None = Field(
        default=None,
        description=(
            "Added within v1 (issue 16): the curriculum module the hours were spent on, when "
            "the line names one; ``pvt`` for the participatieverklaringstraject, whose hours "
            "travel as ``kind: participation`` (B 3.14(5): they count within the "
            "participation hours). Absent for the route's other lines."
        ),
    )


class AttendanceCorrected(ParticipantEvent):
    """A recorded attendance line was corrected: the old value and the new one, with who
    changed it, when and the coded reason (the free-text note stays in planning).

    Intake consumes it for the management report and the DUO export (the hours as
    corrected); the hours ledger's readers and integrators may.
    """

    spec = EventSpec(
        type="nl.zroute.planning.attendance-corrected.v1",
        routing_key="planning.attendance.corrected",
        producer="planning",
        consumers=("intake",),
        summary="An attendance line was corrected: old and new status and hours, who and why.",
    )

    correction_id: UUID = Field(description="The correction.")
    session_id: UUID = Field(description="The session whose line was corrected.")
    session_on: date = Field(description="The day of the session.")
    kind: HoursKind = Field(description="The target the hours count toward.")
    old_status: AttendanceStatus = Field(description="The status before the correction.")
    old_hours: Hours = Field(description="Hours counted before the correction.")
    new_status: AttendanceStatus = Field(description="The status after the correction.")
    new_hours: Hours = Field(description="Hours counted after the correction.")
    module: CurriculumModule | None = Field(
        default=None,
        description=(
            "Added within v1 (issue 16): the curriculum module of the corrected line, as "
            "``attendance-recorded`` carried it (``pvt`` with ``kind: participation``)."
        ),
    )
    corrected_by: StaffRef | None = Field(
        default=None, description="Who corrected the line (the token subject, when a staff ref)."
    )
    corrected_at: AwareDatetime = Field(description="When, with UTC offset.")
    reason: CorrectionReason = Field(description="Why the line was corrected.")


class ProgressReviewDue(ParticipantEvent):
    """A progress review (voortgangsgesprek) fell due, on the rhythm or because
    attendance dropped. Notifications invites the contact person and the lead partner."""

    spec = EventSpec(
        type="nl.zroute.planning.progress-review-due.v1",
        routing_key="planning.progress-review.due",
        producer="planning",
        consumers=_NOTIFY,
        summary="A progress review fell due.",
    )

    review_id: UUID = Field(description="The review.")
    due_on: date = Field(description="The day by which it should be held.")
    trigger: ReviewTrigger = Field(description="What made it due.")
    hours_to_date: HoursTotals = Field(description="Hours attended so far.")
    attendance_percentage: int = Field(
        ge=0, le=100, description="Share of scheduled hours attended over the review window."
    )


class ProgressReviewRecorded(ParticipantEvent):
    """The outcome of a progress review was recorded."""

    spec = EventSpec(
        type="nl.zroute.planning.progress-review-recorded.v1",
        routing_key="planning.progress-review.recorded",
        producer="planning",
        consumers=_NOTIFY,
        summary="A progress review was held and its outcome recorded.",
    )

    review_id: UUID = Field(description="The review.")
    held_on: date = Field(description="The day it was held.")
    outcome: ReviewOutcome = Field(description="The conclusion.")
    hours_to_date: HoursTotals = Field(description="Hours attended so far.")
    next_review_on: date | None = Field(default=None, description="When the next one is due.")


class FollowUpDue(ParticipantEvent):
    """A follow-up trajectory must be agreed: the planned end is near (lesson L15)."""

    spec = EventSpec(
        type="nl.zroute.planning.follow-up-due.v1",
        routing_key="planning.follow-up.due",
        producer="planning",
        consumers=_NOTIFY,
        summary="A follow-up must be agreed before the route's planned end.",
    )

    planned_end: date = Field(description="The planned last day of the route.")
    agree_by: date = Field(description="The day by which the follow-up must be agreed.")


class FollowUpEscalated(ParticipantEvent):
    """The follow-up's agree-by date passed and no follow-up was agreed (issue 16 item 7).

    Notifications escalates through the communication matrix (the lead partner, the
    municipality's caseworker); planning repeats it a configured number of times.
    """

    spec = EventSpec(
        type="nl.zroute.planning.follow-up-escalated.v1",
        routing_key="planning.follow-up.escalated",
        producer="planning",
        consumers=_NOTIFY,
        summary="The agree-by date of a follow-up passed without an agreed follow-up.",
    )

    planned_end: date = Field(description="The planned last day of the route.")
    agree_by: date = Field(description="The day by which the follow-up had to be agreed.")
    escalated_on: date = Field(description="The day the escalation fired.")
    level: int = Field(ge=1, le=10, description="1 for the first escalation, higher for repeats.")


class ModuleChanged(ParticipantEvent):
    """A customised (maatwerk) module of the plan was added, removed or completed by the
    caseworker or the school (issue 16 item 4); the reason stays in planning."""

    spec = EventSpec(
        type="nl.zroute.planning.module-changed.v1",
        routing_key="planning.module.changed",
        producer="planning",
        consumers=(),
        summary="A customised module of the plan was added, removed or completed.",
    )

    module: CurriculumModule = Field(description="The module.")
    change: ModuleChange = Field(description="Added, removed or completed.")
    provider_id: PartnerId | None = Field(default=None, description="Who provides it.")
    hours: float | None = Field(
        default=None, ge=0, description="Hours planned (added) or attended (completed)."
    )
    changed_on: date = Field(description="The day of the change.")


class FollowUpAgreement(EventPart):
    """One concrete agreement of a follow-up: what, by whom, by when."""

    task: FollowUpTask = Field(description="What is to be done.")
    partner_id: PartnerId | None = Field(
        default=None, description="Who does it; absent when the municipality does."
    )
    due_on: date = Field(description="By when.")


class FollowUpAgreed(ParticipantEvent):
    """A follow-up trajectory with concrete agreements was recorded; the route can now
    be completed."""

    spec = EventSpec(
        type="nl.zroute.planning.follow-up-agreed.v1",
        routing_key="planning.follow-up.agreed",
        producer="planning",
        consumers=_NOTIFY,
        summary="A follow-up (type, partner, start, agreements) was agreed.",
    )

    follow_up_id: UUID = Field(description="The follow-up.")
    follow_up_type: FollowUpType = Field(description="What the participant goes on to.")
    partner_id: PartnerId = Field(description="The partner leading the follow-up.")
    starts_on: date = Field(description="First day of the follow-up.")
    agreements: tuple[FollowUpAgreement, ...] = Field(
        min_length=1, description="Who does what by when; at least one."
    )


class RouteCompleted(ParticipantEvent):
    """The participant completed the route.

    Intake starts the retention period of the personal data; support ends
    preconditions and job coaching; notifications tells everyone involved.
    """

    spec = EventSpec(
        type="nl.zroute.planning.route-completed.v1",
        routing_key="planning.route.completed",
        producer="planning",
        consumers=("intake", "support", "notifications"),
        summary="The route was completed, with the hours totals.",
    )

    completed_on: date = Field(description="The last day of the route.")
    hours: HoursTotals = Field(description="Hours attended per kind.")
    targets_met: bool = Field(description="True when every target was reached.")
    follow_up_id: UUID = Field(description="The agreed follow-up.")
    targets_waiver_id: UUID | None = Field(
        default=None,
        description=(
            "The municipality's recorded decision that waived the targets the route did not"
            " meet (issue 16 item 7); null when the targets were met. Additive in v1."
        ),
    )


class SessionCancelled(ParticipantEvent):
    """A dated session of the calendar will not take place (issue 16): one event per
    participant who was expected, so that the participant and the teaching partner hear
    of it. Codes only: the free-text note of the planner stays in planning."""

    spec = EventSpec(
        type="nl.zroute.planning.session-cancelled.v1",
        routing_key="planning.session.cancelled",
        producer="planning",
        consumers=_NOTIFY,
        summary="A dated session a participant was expected at was cancelled, with the reason.",
    )

    session_id: UUID = Field(description="The session (one occurrence on one day).")
    group_id: UUID | None = Field(default=None, description="The group, for group sessions.")
    session_on: date = Field(description="The day the session would have been.")
    starts_at: AwareDatetime = Field(description="When it would have started, with UTC offset.")
    minutes: SessionMinutes = Field(description="Its length in minutes.")
    teaching_form: TeachingForm = Field(description="How it would have been taught.")
    location_id: LocationId | None = Field(default=None, description="Where it would have been.")
    staff: StaffRef | None = Field(default=None, description="Who would have taught it.")
    reason: SessionChangeReason = Field(description="Why it was cancelled.")


class SessionMoved(ParticipantEvent):
    """A dated session of the calendar moved to another day, time or room (issue 16): one
    event per participant expected, so that the participant and the teaching partner hear
    of it. ``starts_at`` is the new start, ``moved_from`` the old one."""

    spec = EventSpec(
        type="nl.zroute.planning.session-moved.v1",
        routing_key="planning.session.moved",
        producer="planning",
        consumers=_NOTIFY,
        summary="A dated session a participant is expected at moved to another time or room.",
    )

    session_id: UUID = Field(description="The session (one occurrence on one day).")
    group_id: UUID | None = Field(default=None, description="The group, for group sessions.")
    moved_from: AwareDatetime = Field(description="The old start, with UTC offset.")
    session_on: date = Field(description="The new day.")
    starts_at: AwareDatetime = Field(description="The new start, with UTC offset.")
    minutes: SessionMinutes = Field(description="Its length in minutes.")
    teaching_form: TeachingForm = Field(description="How it is taught.")
    location_id: LocationId | None = Field(default=None, description="Where it is now held.")
    staff: StaffRef | None = Field(default=None, description="Who teaches it.")
    reason: SessionChangeReason = Field(description="Why it moved.")
