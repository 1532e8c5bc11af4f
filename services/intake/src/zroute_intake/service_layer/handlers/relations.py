"""The partners' relations with participants, from planning's and support's events (issue
18): a group the partner teaches, a placement it coaches or hosts, a referral it accepted,
an appointment it interprets at.

Only codes and days arrive (the events carry no personal data); intake keeps them so the
contact card can be decided on them. A relation's first day is the earlier of the day
intake hears of it and the day it starts: a teacher needs the class list before the first
lesson, a care partner the address when it accepts.
"""

from __future__ import annotations

from datetime import date, timedelta

from zroute_contract.events.base import Event
from zroute_contract.events.codes import ReferralStatus
from zroute_contract.events.planning import (
    GroupFormed,
    ParticipantAssignedToGroup,
    ParticipantRemovedFromGroup,
)
from zroute_contract.events.support import (
    InterpreterConfirmed,
    InterpreterDeclined,
    InterpreterWithdrawn,
    JobCoachAssigned,
    PlacementConfirmed,
    PlacementEnded,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralRequested,
    ReferralStatusChanged,
)
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import Handler, HandlerContext

from zroute_intake.domain.contact_card import RelationKind
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


def _today(uow: IntakeUnitOfWork) -> date:
    return local_day(uow.clock.now())


async def on_group_formed(event: GroupFormed, ctx: HandlerContext) -> None:
    """Who teaches the group: its members' relations are with that partner."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.group_taught_by(event.group_id, event.partner_id)
    log.info("relation_group_partner", group_id=str(event.group_id))


async def on_assigned_to_group(event: ParticipantAssignedToGroup, ctx: HandlerContext) -> None:
    """The participant joined a group: its teaching partner has a relation from now."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.start(
        event.participant_ref,
        RelationKind.TEACHES_GROUP,
        event.group_id,
        since=min(_today(uow), event.assigned_from),
        now=uow.clock.now(),
    )
    log.info("relation_started", participant_ref=event.participant_ref, kind="teaches_group")


async def on_removed_from_group(event: ParticipantRemovedFromGroup, ctx: HandlerContext) -> None:
    """The participant left the group: the relation ends the day before ``removed_from``."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.end(
        event.participant_ref,
        event.group_id,
        last_day=event.removed_from - timedelta(days=1),
        now=uow.clock.now(),
    )
    log.info("relation_ended", participant_ref=event.participant_ref, kind="teaches_group")


async def on_placement_confirmed(event: PlacementConfirmed, ctx: HandlerContext) -> None:
    """A workplace was confirmed: the participation partner arranges it and the employer
    hosts it, until its last day when it has one."""
    uow: IntakeUnitOfWork = ctx.uow
    since = min(_today(uow), event.starts_on)
    for kind, partner in (
        (RelationKind.COACHES_PLACEMENT, event.partner_id),
        (RelationKind.HOSTS_PLACEMENT, event.employer_id),
    ):
        await uow.relations.start(
            event.participant_ref,
            kind,
            event.placement_id,
            partner_id=partner,
            since=since,
            until=event.ends_on,
            now=uow.clock.now(),
        )
    log.info("relation_started", participant_ref=event.participant_ref, kind="placement")


async def on_job_coach_assigned(event: JobCoachAssigned, ctx: HandlerContext) -> None:
    """A job coach's partner coaches the placement from the assignment."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.start(
        event.participant_ref,
        RelationKind.COACHES_PLACEMENT,
        event.placement_id,
        partner_id=event.partner_id,
        since=min(_today(uow), event.assigned_from),
        now=uow.clock.now(),
    )
    log.info("relation_started", participant_ref=event.participant_ref, kind="job_coach")


async def on_placement_ended(event: PlacementEnded, ctx: HandlerContext) -> None:
    """The placement ended early: every relation from it ends on its last day."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.end(
        event.participant_ref, event.placement_id, last_day=event.ended_on, now=uow.clock.now()
    )
    log.info("relation_ended", participant_ref=event.participant_ref, kind="placement")


async def on_referral_requested(event: ReferralRequested, ctx: HandlerContext) -> None:
    """A referral was asked for under a care consent: kept, not yet a relation."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.requested(
        event.participant_ref,
        RelationKind.ACCEPTED_REFERRAL,
        event.referral_id,
        partner_id=event.partner_id,
        consent_id=event.consent_id,
        now=uow.clock.now(),
    )
    log.info("relation_requested", participant_ref=event.participant_ref, kind="referral")


async def on_referral_accepted(event: ReferralAccepted, ctx: HandlerContext) -> None:
    """The care partner accepted: its relation starts today, under the referral's consent."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.start(
        event.participant_ref,
        RelationKind.ACCEPTED_REFERRAL,
        event.referral_id,
        partner_id=event.partner_id,
        since=_today(uow),
        now=uow.clock.now(),
    )
    log.info("relation_started", participant_ref=event.participant_ref, kind="referral")


async def _end_referral(
    event: ReferralCompleted | ReferralCancelled | ReferralStatusChanged, uow: IntakeUnitOfWork
) -> None:
    # Ended yesterday: access stops at once, on the day the referral closes.
    await uow.relations.end(
        event.participant_ref,
        event.referral_id,
        last_day=_today(uow) - timedelta(days=1),
        now=uow.clock.now(),
    )
    log.info("relation_ended", participant_ref=event.participant_ref, kind="referral")


async def on_referral_closed(
    event: ReferralCompleted | ReferralCancelled, ctx: HandlerContext
) -> None:
    """The referral was completed or cancelled: the care partner's relation ends at once."""
    await _end_referral(event, ctx.uow)


async def on_referral_status_changed(event: ReferralStatusChanged, ctx: HandlerContext) -> None:
    """A failed referral ends the relation; in progress and on hold keep it."""
    if event.status == ReferralStatus.FAILED:
        await _end_referral(event, ctx.uow)


async def on_interpreter_confirmed(event: InterpreterConfirmed, ctx: HandlerContext) -> None:
    """The interpreter partner attends the appointment: its relation lasts from today to
    the appointment's day, so its screen shows the participant's name where consent
    allows, and ends by itself once the appointment is over."""
    uow: IntakeUnitOfWork = ctx.uow
    day = local_day(event.starts_at)
    await uow.relations.start(
        event.participant_ref,
        RelationKind.INTERPRETS_APPOINTMENT,
        event.request_id,
        partner_id=event.partner_id,
        since=min(_today(uow), day),
        until=day,
        now=uow.clock.now(),
    )
    log.info("relation_started", participant_ref=event.participant_ref, kind="interpreter")


async def on_interpreter_released(
    event: InterpreterDeclined | InterpreterWithdrawn, ctx: HandlerContext
) -> None:
    """Declined, or withdrawn (moved, called off, the participant or the referral gone):
    the interpreter partner's relation ends at once (a moved appointment's new time
    starts it again when confirmed)."""
    uow: IntakeUnitOfWork = ctx.uow
    await uow.relations.end(
        event.participant_ref,
        event.request_id,
        last_day=_today(uow) - timedelta(days=1),
        now=uow.clock.now(),
    )
    log.info("relation_ended", participant_ref=event.participant_ref, kind="interpreter")


HANDLERS: dict[type[Event], Handler] = {
    GroupFormed: on_group_formed,
    ParticipantAssignedToGroup: on_assigned_to_group,
    ParticipantRemovedFromGroup: on_removed_from_group,
    PlacementConfirmed: on_placement_confirmed,
    JobCoachAssigned: on_job_coach_assigned,
    PlacementEnded: on_placement_ended,
    ReferralRequested: on_referral_requested,
    ReferralAccepted: on_referral_accepted,
    ReferralCompleted: on_referral_closed,
    ReferralCancelled: on_referral_closed,
    ReferralStatusChanged: on_referral_status_changed,
    InterpreterConfirmed: on_interpreter_confirmed,
    InterpreterDeclined: on_interpreter_released,
    InterpreterWithdrawn: on_interpreter_released,
}
"""The relation events intake consumes, and their handlers."""
