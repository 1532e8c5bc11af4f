"""Wires the planning service: handlers, timers, routers and migrations are chosen here only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from zroute_contract.events.intake import (
    FinalMeetingHeld,
    IntakeCompleted,
    IntakeCorrected,
    ParticipantMovedIn,
    ParticipantPaused,
    ParticipantRecordsDeleted,
    ParticipantRegistered,
    ParticipantResumed,
    ParticipantWithdrawn,
    PipEstablished,
    TermExtended,
)
from zroute_contract.events.support import (
    AgreementRecorded,
    CarePauseEnded,
    CarePauseStarted,
    PartnerRegistered,
    PartnerUpdated,
    PlacementConfirmed,
    PlacementDeclined,
    PreconditionArranged,
    PreconditionLapsed,
)
from zroute_runtime.cli import console_script
from zroute_runtime.repository import TrackingRepository
from zroute_runtime.service import ServiceDefinition

from zroute_planning import ui
from zroute_planning.adapters.calendar_repo import CalendarRepository
from zroute_planning.adapters.group_repo import GroupRepository
from zroute_planning.adapters.ledger_repo import LedgerRepository
from zroute_planning.adapters.placement_repo import PlacementRepository
from zroute_planning.adapters.plan_repo import PlanRepository
from zroute_planning.adapters.reads import PlanningReads
from zroute_planning.adapters.record_repo import RecordRepository
from zroute_planning.adapters.retention_repo import RetentionRepository
from zroute_planning.adapters.timer_repo import TimerRepository
from zroute_planning.entrypoints.http import ROUTERS
from zroute_planning.service_layer import scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import (
    completion,
    intake,
    ledger,
    pauses,
    placements,
    registry,
    retention,
    schedule,
    support,
)
from zroute_planning.settings import Settings

SERVICE = "planning"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


_PARTICIPANT = "/participants/{participant_ref}"
# Where an integrator reads the record each event is about (the events' ``dataref``,
# docs/planning.md): the participant's plan, schedule, attendance, reviews, follow-up or
# placements, or the group.
DATAREFS = {
    "nl.zroute.planning.attendance-corrected.v1": _PARTICIPANT + "/attendance",
    "nl.zroute.planning.attendance-recorded.v1": _PARTICIPANT + "/attendance",
    "nl.zroute.planning.follow-up-agreed.v1": _PARTICIPANT + "/follow-up",
    "nl.zroute.planning.follow-up-due.v1": _PARTICIPANT + "/follow-up",
    "nl.zroute.planning.follow-up-escalated.v1": _PARTICIPANT + "/follow-up",
    "nl.zroute.planning.module-changed.v1": _PARTICIPANT + "/modules",
    "nl.zroute.planning.session-cancelled.v1": _PARTICIPANT + "/calendar",
    "nl.zroute.planning.session-moved.v1": _PARTICIPANT + "/calendar",
    "nl.zroute.planning.group-formed.v1": "/groups/{group_id}",
    "nl.zroute.planning.participant-assigned-to-group.v1": "/groups/{group_id}",
    "nl.zroute.planning.participant-removed-from-group.v1": "/groups/{group_id}",
    "nl.zroute.planning.participant-waitlisted.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.placement-cancelled.v1": _PARTICIPANT + "/placements",
    "nl.zroute.planning.placement-escalated.v1": _PARTICIPANT + "/placements",
    "nl.zroute.planning.placement-requested.v1": _PARTICIPANT + "/placements",
    "nl.zroute.planning.plan-activated.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.plan-at-risk.v1": _PARTICIPANT + "/hours",
    "nl.zroute.planning.plan-paused.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.plan-resumed.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.plan-start-scheduled.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.progress-review-due.v1": _PARTICIPANT + "/reviews",
    "nl.zroute.planning.progress-review-recorded.v1": _PARTICIPANT + "/reviews",
    "nl.zroute.planning.route-completed.v1": _PARTICIPANT + "/plan",
    "nl.zroute.planning.schedule-published.v1": _PARTICIPANT + "/schedule",
}


def repositories(conn: Any) -> dict[str, TrackingRepository]:
    """Planning's repositories on a unit of work's connection: ``uow.plans``,
    ``uow.placements``, ``uow.groups``, ``uow.records``, ``uow.timers``, ``uow.ledger``, ``uow.calendar``,
    and ``uow.reads`` for the views."""
    return {
        "plans": PlanRepository(conn),
        "placements": PlacementRepository(conn),
        "groups": GroupRepository(conn),
        "records": RecordRepository(conn),
        "timers": TimerRepository(conn),
        "ledger": LedgerRepository(conn),
        "reads": PlanningReads(conn),
        "calendar": CalendarRepository(conn),
        "retention": RetentionRepository(conn),
    }


def definition(settings: Settings | None = None) -> ServiceDefinition:
    """The planning service as the runtime runs it."""
    settings = settings or Settings()
    deps = Deps(settings.rules(), settings.teaching_partner_id, settings.solver_workers)

    def bind(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        """The handler with planning's deps bound (the runtime passes the rest)."""
        return partial(handler, deps=deps)

    service = ServiceDefinition(
        name=SERVICE,
        handlers={
            IntakeCompleted: [bind(intake.activate_plan)],
            IntakeCorrected: [bind(intake.correct_intake)],
            PipEstablished: [bind(intake.activate_from_pip)],
            TermExtended: [bind(intake.extend_term)],
            FinalMeetingHeld: [bind(intake.final_meeting_held)],
            ParticipantWithdrawn: [bind(intake.withdraw)],
            ParticipantPaused: [bind(pauses.participant_paused)],
            ParticipantResumed: [bind(pauses.participant_resumed)],
            CarePauseStarted: [bind(pauses.care_pause_started)],
            CarePauseEnded: [bind(pauses.care_pause_ended)],
            PreconditionArranged: [bind(support.precondition_arranged)],
            PreconditionLapsed: [bind(support.precondition_lapsed)],
            PlacementConfirmed: [bind(support.placement_confirmed)],
            PlacementDeclined: [bind(support.placement_declined)],
            AgreementRecorded: [bind(support.agreement_recorded)],
            ParticipantRegistered: [bind(registry.participant_registered)],
            ParticipantMovedIn: [bind(registry.participant_moved_in)],
            ParticipantRecordsDeleted: [bind(retention.records_deleted)],
            PartnerRegistered: [bind(registry.partner_profile)],
            PartnerUpdated: [bind(registry.partner_profile)],
        },
        timer_handlers={
            scheduling.PHASE: bind(schedule.on_phase_timer),
            scheduling.REVIEW: bind(ledger.on_review_timer),
            scheduling.FOLLOW_UP: bind(completion.on_follow_up_timer),
            scheduling.FOLLOW_UP_ESCALATION: bind(completion.on_follow_up_escalation),
            scheduling.PLACEMENT: bind(placements.escalate_unconfirmed),
            pauses.START: bind(pauses.on_pause_start),
            pauses.END: bind(pauses.on_pause_end),
        },
        routers=[*ROUTERS, ui.router(settings)],
        migrations=MIGRATIONS,
        datarefs=DATAREFS,
        repositories=repositories,
    )
    service.deps = deps  # type: ignore[attr-defined]  # read by the routers (entrypoints.deps)
    return service


main = console_script(definition, Settings)
"""``zroute-planning serve|migrate``: the service's console script."""
