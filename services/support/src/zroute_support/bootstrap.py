"""Wires the support service: handlers, timers, routers and migrations are chosen here only."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    IntakeCompleted,
    IntakeCorrected,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from zroute_contract.events.planning import (
    FollowUpAgreed,
    PlacementCancelled,
    PlacementEscalated,
    PlacementRequested,
    PlanActivated,
    PlanPaused,
    PlanResumed,
    PlanStartScheduled,
    RouteCompleted,
    SchedulePublished,
)
from zroute_runtime.cli import console_script
from zroute_runtime.messagebus import HandlerRegistry
from zroute_runtime.service import ServiceDefinition

from zroute_support import ui
from zroute_support.entrypoints.http import (
    agreements,
    partners,
    placements,
    preconditions,
    referrals,
    waiting_list,
)
from zroute_support.service_layer import intake_handlers as intake
from zroute_support.service_layer import planning_handlers as planning
from zroute_support.service_layer import preconditions as precondition_rules
from zroute_support.service_layer import referrals as referral_rules
from zroute_support.service_layer.rules import Rules
from zroute_support.settings import Settings

SERVICE = "support"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def handlers(rules: Rules) -> HandlerRegistry:
    """Every event support consumes (the catalogue names support as a consumer of each),
    so that none lands in the dead-letter queue as unexpected."""
    return {
        ParticipantRegistered: [intake.register_participant],
        ContactPersonAssigned: [partial(intake.assign_contact_person, rules=rules)],
        ConsentRecorded: [partial(intake.record_consent, rules=rules)],
        ConsentWithdrawn: [partial(intake.withdraw_consent, rules=rules)],
        CareSignalsRecorded: [partial(intake.record_care_signals, rules=rules)],
        IntakeCompleted: [intake.record_preconditions],
        IntakeCorrected: [intake.record_preconditions],
        ParticipantWithdrawn: [partial(intake.withdraw_participant, rules=rules)],
        PlacementRequested: [planning.request_placement],
        PlacementCancelled: [partial(planning.cancel_placement, rules=rules)],
        PlacementEscalated: [planning.escalate_placement],
        SchedulePublished: [planning.record_schedule],
        RouteCompleted: [planning.complete_route],
        PlanActivated: [planning.note_plan_event],
        PlanStartScheduled: [planning.note_plan_event],
        PlanPaused: [planning.note_plan_event],
        PlanResumed: [planning.note_plan_event],
        FollowUpAgreed: [planning.note_plan_event],
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
            "requested",
            "status-changed",
        )
    },
}


def definition(settings: Settings | None = None) -> ServiceDefinition:
    """The support service as the runtime runs it; rules come from ``settings``."""
    settings = settings or Settings()
    rules = Rules.from_settings(settings)
    return ServiceDefinition(
        name=SERVICE,
        handlers=handlers(rules),
        timer_handlers={
            referral_rules.ANSWER_TIMER: partial(referral_rules.escalate_unanswered, rules=rules),
            precondition_rules.END_TIMER: precondition_rules.end_arrangement,
        },
        routers=[
            partners.router,
            agreements.router,
            referrals.router,
            preconditions.router,
            placements.router,
            waiting_list.router,
            ui.router(settings),
        ],
        migrations=MIGRATIONS,
        datarefs=DATAREFS,
    )


main = console_script(definition, Settings)
"""``zroute-support serve|migrate``: the service's console script."""
