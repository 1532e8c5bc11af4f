"""The events of a participant's route that follow from the plan's state but are computed
beside it: the waiting list, the group left, the week published, placement requests.

Each builder returns its event; the handler records it on the plan (``plan.record``), so
that everything a plan causes comes out of ``plan.events`` in the order it happened.
Group formation, which runs over many plans and groups at once, emits the same events
in its own order.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from zroute_contract.events.codes import (
    DayPart,
    GroupChangeReason,
    ParticipationActivity,
    PlacementCancelReason,
    PlacementSupport,
    WaitReason,
    Weekday,
)
from zroute_contract.events.planning import (
    ParticipantRemovedFromGroup,
    ParticipantWaitlisted,
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
    ScheduledSession,
    SchedulePublished,
)

from zroute_planning.domain.calendar import WeekPlaces
from zroute_planning.domain.plan import Plan, availability_slots
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import Week


def waitlisted(plan: Plan, reason: WaitReason, since: date) -> ParticipantWaitlisted:
    """The participant waits for a group (for ``reason``) since ``since``."""
    return ParticipantWaitlisted(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        level_band=plan.level_band,
        reason=reason,
        since=since,
    )


def removed_from_group(
    plan: Plan, group_id: UUID, on: date, reason: GroupChangeReason
) -> ParticipantRemovedFromGroup:
    """The participant left ``group_id`` on ``on``."""
    return ParticipantRemovedFromGroup(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        group_id=group_id,
        removed_from=on,
        reason=reason,
    )


def sessions_of(
    rules: PlanningRules, week: Week, places: WeekPlaces | None = None
) -> tuple[ScheduledSession, ...]:
    """A week's sessions as the events and the stored schedule carry them; ``places``
    says where each is held, where the calendar knows (issue 18)."""
    places = places or WeekPlaces()
    return tuple(
        ScheduledSession(
            weekday=Weekday(s.slot[0]),
            day_part=DayPart(s.slot[1]),
            starts_at=rules.groups.start_times[DayPart(s.slot[1])],
            minutes=s.minutes,
            teaching_form=s.form,
            hours_kind=s.kind,
            group_id=s.group_id,
            location_id=places.of_slot(s.slot, s.form),
            module=s.module,
        )
        for s in week.sessions
    )


def schedule_published(
    plan: Plan,
    rules: PlanningRules,
    *,
    phase_index: int,
    week: Week,
    valid_from: date,
    places: WeekPlaces | None = None,
) -> SchedulePublished:
    """The week of phase ``phase_index`` (0-based), valid from ``valid_from``, with the
    variety rules it breaks (empty when it keeps them all) and where each session is held
    when the calendar knows (``places``)."""
    sessions = sessions_of(rules, week, places)
    return SchedulePublished(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        plan_id=plan.plan_id,
        phase=phase_index + 1,
        valid_from=valid_from,
        sessions_per_week=len(sessions),
        session_minutes=rules.phases[phase_index].session_minutes,
        sessions=sessions,
        variety_problems=week.variety_problems,
    )


def placement_requested(
    plan: Plan,
    request_id: UUID,
    *,
    activity: ParticipationActivity,
    needed_by: date,
    hours_per_week: float,
    support_needs: tuple[PlacementSupport, ...],
) -> PlacementRequested:
    """A placement asked of the partners, with the participant's free slots."""
    return PlacementRequested(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        placement_request_id=request_id,
        activity=activity,
        needed_by=needed_by,
        hours_per_week=hours_per_week,
        availability=availability_slots(plan),
        support_needs=support_needs,
    )


def placement_cancelled(
    plan: Plan, request_id: UUID, reason: PlacementCancelReason
) -> PlacementCancelled:
    """An open placement request withdrawn."""
    return PlacementCancelled(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        placement_request_id=request_id,
        reason=reason,
    )


def placement_escalated(
    plan: Plan, request_id: UUID, *, needed_by: date, on: date, level: int
) -> PlacementEscalated:
    """An unconfirmed placement request escalated to ``level``."""
    return PlacementEscalated(
        participant_ref=plan.participant_ref,
        programme_id=plan.programme_id,
        placement_request_id=request_id,
        needed_by=needed_by,
        escalated_on=on,
        level=level,
    )
