"""Which read-model writer each event type feeds: one literal table, read in one place.

An event type missing here changes nothing in the read model (the service may still send
messages about it); each writer is one small SQL statement or two in the module of the
service that produced the event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from zroute_contract.events import intake as i
from zroute_contract.events import planning as p
from zroute_contract.events import support as s
from zroute_contract.events.base import Event

from zroute_notifications.adapters.notification_repo import KEEP_EVENT
from zroute_notifications.adapters.readmodel import intake, planning, support

Writer = Callable[[asyncpg.Connection, Any], Awaitable[None]]
KeepingWriter = Callable[[asyncpg.Connection, tuple[Any, ...], Any], Awaitable[None]]

WRITERS: dict[type[Event], Writer] = {
    i.ParticipantRegistered: intake.registered,
    i.PersonalDataChanged: intake.personal_data_changed,
    i.ContactPersonAssigned: intake.contact,
    i.IntakeScheduled: intake.intake_scheduled,
    i.IntakeCancelled: intake.intake_cancelled,
    i.ProgressMeetingScheduled: intake.progress_meeting,
    i.IntakeCompleted: intake.intake,
    i.IntakeCorrected: intake.intake,
    i.ParticipantWithdrawn: intake.withdrawn,
    i.ParticipantMovedIn: intake.moved_in,
    i.ConsentRecorded: intake.consent,
    i.ConsentWithdrawn: intake.consent_withdrawn,
    p.PlanActivated: planning.plan,
    p.PlanStartScheduled: planning.active,
    p.PlanResumed: planning.active,
    p.PlanPaused: planning.paused,
    p.RouteCompleted: planning.completed,
    p.SchedulePublished: planning.schedule,
    p.AttendanceRecorded: planning.attendance,
    p.ParticipantWaitlisted: planning.waitlisted,
    p.ParticipantAssignedToGroup: planning.assigned,
    p.PlacementRequested: planning.placement_requested,
    p.PlacementEscalated: planning.placement_escalated,
    p.PlacementCancelled: planning.placement_cancelled,
    p.ProgressReviewDue: planning.review_due,
    p.ProgressReviewRecorded: planning.review_recorded,
    p.FollowUpDue: planning.follow_up_due,
    p.FollowUpAgreed: planning.follow_up_agreed,
    s.AgreementRecorded: support.agreement,
    s.PartnerRegistered: support.partner,
    s.PartnerUpdated: support.partner,
    s.ReferralRequested: support.referral,
    s.ReferralAccepted: support.referral_status,
    s.ReferralDeclined: support.referral_status,
    s.ReferralCompleted: support.referral_status,
    s.ReferralCancelled: support.referral_status,
    s.ReferralStatusChanged: support.referral_changed,
    s.ReferralEscalated: support.referral_escalated,
    s.PreconditionArranged: support.arranged,
    s.PreconditionLapsed: support.lapsed,
    s.PlacementConfirmed: support.placement_confirmed,
    s.PlacementDeclined: support.placement_declined,
    s.JobCoachAssigned: support.job_coach,
}


KEEPING: dict[type[Event], KeepingWriter] = {
    p.AttendanceRecorded: planning.attendance_kept,
}
"""Writers that keep the received event (``notification_repo.KEEP_EVENT``, its parameters
first) in the statement that writes the read model: one round trip less per event, for the
commonest events. Each does what its ``WRITERS`` entry does, and keeps the event."""


async def keep_and_apply(conn: asyncpg.Connection, kept: tuple[Any, ...], event: Event) -> None:
    """Keep the received event (``kept``: ``notification_repo.kept_event``) and update the
    read model with it: in one statement when ``KEEPING`` has the event's type, else the
    keeping statement and then the type's writer, if any."""
    keeping = KEEPING.get(type(event))
    if keeping is not None:
        await keeping(conn, kept, event)
        return
    await conn.execute(KEEP_EVENT, *kept)
    await apply(conn, event)


async def apply(conn: asyncpg.Connection, event: Event) -> None:
    """Update the read model with ``event`` (events it does not use change nothing)."""
    writer = WRITERS.get(type(event))
    if writer is not None:
        await writer(conn, event)
