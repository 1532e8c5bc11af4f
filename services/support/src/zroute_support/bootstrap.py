"""Wires the support service: handlers, timers, routers and migrations are chosen here only."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    IntakeCancelled,
    IntakeCompleted,
    IntakeCorrected,
    IntakeScheduled,
    ParticipantMovedIn,
    ParticipantRecordsDeleted,
    ParticipantRegistered,
    ParticipantWithdrawn,
    PersonalDataChanged,
    ProgressMeetingScheduled,
)
from zroute_contract.events.planning import (
    GroupFormed,
    ParticipantAssignedToGroup,
    ParticipantRemovedFromGroup,
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
    RouteCompleted,
    SchedulePublished,
)
from zroute_runtime.cli import console_script
from zroute_runtime.messagebus import HandlerRegistry
from zroute_runtime.repository import TrackingRepository
from zroute_runtime.service import ServiceDefinition

from zroute_support import ui
from zroute_support.adapters.care_pauses_repo import CarePauseRepository
from zroute_support.adapters.employers_repo import EmployerRepository
from zroute_support.adapters.interpreters_repo import InterpreterRequestRepository
from zroute_support.adapters.overrides_repo import ConsentOverrideRepository
from zroute_support.adapters.participants_repo import ParticipantRepository
from zroute_support.adapters.partners_repo import AgreementRepository, PartnerRepository
from zroute_support.adapters.placements_repo import PlacementRepository
from zroute_support.adapters.preconditions_repo import PreconditionRepository
from zroute_support.adapters.reads import SupportReads
from zroute_support.adapters.reassignments_repo import ReassignmentRepository
from zroute_support.adapters.referrals_repo import ReferralRepository
from zroute_support.adapters.retention_repo import RetentionRepository
from zroute_support.adapters.timer_repo import TimerRepository
from zroute_support.adapters.waiting_repo import WaitingList
from zroute_support.entrypoints.http import ROUTERS
from zroute_support.service_layer.deps import Deps
from zroute_support.service_layer.handlers import (
    check_in_rhythm,
    intake,
    interpreters,
    placements,
    planning,
    preconditions,
    referrals,
    retention,
    waiting,
)
from zroute_support.settings import Settings

SERVICE = "support"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def repositories(conn: Any) -> dict[str, TrackingRepository]:
    """Support's repositories on a unit of work's connection (``uow.referrals``, ...), and
    ``uow.reads`` for the views."""
    return {
        "participants": ParticipantRepository(conn),
        "partners": PartnerRepository(conn),
        "agreements": AgreementRepository(conn),
        "referrals": ReferralRepository(conn),
        "placements": PlacementRepository(conn),
        "employers": EmployerRepository(conn),
        "preconditions": PreconditionRepository(conn),
        "waiting": WaitingList(conn),
        "overrides": ConsentOverrideRepository(conn),
        "interpreters": InterpreterRequestRepository(conn),
        "reassignments": ReassignmentRepository(conn),
        "care_pauses": CarePauseRepository(conn),
        "timers": TimerRepository(conn),
        "retention": RetentionRepository(conn),
        "reads": SupportReads(conn),
    }


def handlers(deps: Deps) -> HandlerRegistry:
    """Every event support consumes (the catalogue names support as a consumer of each,
    and of no other), so that none lands in the dead-letter queue as unexpected."""
    return {
        ParticipantRegistered: [intake.register_participant],
        ParticipantMovedIn: [intake.move_participant],
        PersonalDataChanged: [intake.change_personal_data],
        ParticipantRecordsDeleted: [retention.records_deleted],
        ContactPersonAssigned: [partial(intake.assign_contact_person, deps=deps)],
        ConsentRecorded: [partial(intake.record_consent, deps=deps)],
        ConsentWithdrawn: [partial(intake.withdraw_consent, deps=deps)],
        CareSignalsRecorded: [partial(intake.record_care_signals, deps=deps)],
        IntakeCompleted: [partial(intake.record_preconditions, deps=deps)],
        IntakeCorrected: [partial(intake.record_preconditions, deps=deps)],
        ParticipantWithdrawn: [partial(intake.withdraw_participant, deps=deps)],
        IntakeScheduled: [interpreters.intake_scheduled],
        IntakeCancelled: [interpreters.intake_cancelled],
        ProgressMeetingScheduled: [interpreters.meeting_scheduled],
        PlacementRequested: [planning.request_placement],
        PlacementCancelled: [partial(planning.cancel_placement, deps=deps)],
        PlacementEscalated: [planning.escalate_placement],
        SchedulePublished: [planning.record_schedule],
        RouteCompleted: [planning.complete_route],
        GroupFormed: [planning.record_group],
        ParticipantAssignedToGroup: [planning.join_group],
        ParticipantRemovedFromGroup: [planning.leave_group],
    }


_REFERRAL = "/referrals/{referral_id}"
# Where an integrator reads the record each event is about (the events' ``dataref``,
# docs/support.md). Partner events name theirs in the registry (same URL).
DATAREFS = {
    "nl.zroute.support.agreement-recorded.v1": "/programmes/{programme_id}/agreements",
    # Job-coach events name the placement, the API its request: the programme's list.
    "nl.zroute.support.job-coach-assigned.v1": "/placements?programme_id={programme_id}",
    "nl.zroute.support.job-coach-check-in-recorded.v1": "/placements?programme_id={programme_id}",
    "nl.zroute.support.partner-registered.v1": "/partners/{partner_id}",
    "nl.zroute.support.partner-updated.v1": "/partners/{partner_id}",
    "nl.zroute.support.placement-confirmed.v1": "/placements/{placement_request_id}",
    "nl.zroute.support.placement-declined.v1": "/placements/{placement_request_id}",
    **{
        f"nl.zroute.support.placement-{action}.v1": "/placements/{placement_request_id}"
        for action in ("started", "changed", "ended")
    },
    "nl.zroute.support.placement-concern-raised.v1": "/placements?programme_id={programme_id}",
    "nl.zroute.support.check-in-overdue.v1": "/placements/{placement_request_id}",
    "nl.zroute.support.consent-overridden.v1": "/participants/{participant_ref}/consent-overrides",
    "nl.zroute.support.care-pause-started.v1": _REFERRAL + "/care-pauses",
    "nl.zroute.support.care-pause-ended.v1": _REFERRAL + "/care-pauses",
    **{
        f"nl.zroute.support.interpreter-{action}.v1": "/interpreter-requests/{request_id}"
        for action in ("requested", "confirmed", "declined", "withdrawn")
    },
    "nl.zroute.support.lead-partner-set.v1": "/participants/{participant_ref}/lead-partner",
    "nl.zroute.support.precondition-arranged.v1": "/preconditions?programme_id={programme_id}",
    "nl.zroute.support.precondition-lapsed.v1": "/preconditions?programme_id={programme_id}",
    **{
        f"nl.zroute.support.referral-{action}.v1": _REFERRAL
        for action in (
            "accepted",
            "cancelled",
            "completed",
            "declined",
            "escalated",
            "reassigned",
            "requested",
            "status-changed",
        )
    },
}


def definition(settings: Settings | None = None) -> ServiceDefinition:
    """The support service as the runtime runs it; its rules come from ``settings``, once."""
    settings = settings or Settings()
    deps = Deps.from_settings(settings)
    service = ServiceDefinition(
        name=SERVICE,
        handlers=handlers(deps),
        timer_handlers={
            referrals.ANSWER_TIMER: partial(referrals.escalate_unanswered, deps=deps),
            preconditions.END_TIMER: preconditions.end_arrangement,
            placements.CHECK_IN_TIMER: partial(check_in_rhythm.check_in_overdue, deps=deps),
        },
        routers=[*ROUTERS, ui.router(settings)],
        migrations=MIGRATIONS,
        datarefs=DATAREFS,
        repositories=repositories,
        on_start=partial(waiting.dispatch_at_start, deps=deps),
    )
    service.deps = deps  # type: ignore[attr-defined]  # read by the routers (entrypoints.http.deps)
    return service


main = console_script(definition, Settings)
"""``zroute-support serve|migrate``: the service's console script."""
