"""Wires the intake service: handlers, timers, routers and migrations are chosen here only.

The handlers need the keys, the retention period and the programme configuration from
the settings. The runtime hands its handlers only the message and the unit of work, so
they are bound to an :class:`IntakeDependencies` here, and the HTTP side finds the same
object on the definition (``runtime.definition.deps``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from zroute_contract.events.base import Event
from zroute_contract.events.intake import ParticipantMovedIn
from zroute_contract.events.planning import RouteCompleted
from zroute_runtime.cli import console_script
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import Handler
from zroute_runtime.repository import TrackingRepository
from zroute_runtime.service import ServiceDefinition

from zroute_intake import ui
from zroute_intake.adapters.access_log import AccessLogRepository
from zroute_intake.adapters.interpreter_repo import InterpreterAnswerRepository
from zroute_intake.adapters.meeting_repo import MeetingRepository
from zroute_intake.adapters.participant_repo import ParticipantRepository
from zroute_intake.adapters.pip_repo import PipRepository
from zroute_intake.adapters.protection import PersonalDataProtector
from zroute_intake.adapters.reads import IntakeReads
from zroute_intake.adapters.relation_repo import RelationRepository
from zroute_intake.adapters.report_repo import ReportRepository
from zroute_intake.adapters.timer_repo import TimerRepository
from zroute_intake.entrypoints.http import ROUTERS
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers import (
    contact_persons,
    interpreters,
    moves,
    participants,
    relations,
    reports,
)
from zroute_intake.settings import Settings

SERVICE = "intake"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"

log = get_logger(__name__)


@dataclass
class IntakeDefinition(ServiceDefinition):
    """The runtime's service definition plus the dependencies the handlers share."""

    deps: IntakeDependencies | None = field(default=None)


def dependencies(settings: Settings) -> IntakeDependencies:
    """The keys, retention period and programmes of one running service."""
    if settings.uses_local_keys():
        log.warning("intake_local_keys_in_use", note="set the intake keys for production")
    return IntakeDependencies(
        protector=PersonalDataProtector(settings.encryption_key_bytes(), settings.hash_key_bytes()),
        move_sealer=PersonalDataProtector(settings.move_key_bytes(), settings.hash_key_bytes()),
        retention=timedelta(days=settings.intake_retention_days),
        # Never before the personal data's erasure (the core record outlives it).
        core_retention=timedelta(
            days=max(settings.intake_core_retention_days, settings.intake_retention_days)
        ),
        re_enrolment_window=timedelta(days=settings.intake_re_enrolment_window_days),
        care_coordinators=dict(settings.intake_care_coordinators),
        card_fields=settings.contact_card_fields(),
        letter_senders=settings.letter_senders(),
        precondition_kinds=tuple(settings.intake_precondition_kinds),
    )


_PARTICIPANT = "/participants/{participant_ref}"
# Where an integrator reads the record each event is about (the events' ``dataref``,
# docs/intake.md); reading a participant is logged in its access log.
DATAREFS = {
    "nl.zroute.intake.care-signals-recorded.v1": _PARTICIPANT,
    "nl.zroute.intake.consent-recorded.v1": _PARTICIPANT + "/consents",
    "nl.zroute.intake.consent-withdrawn.v1": _PARTICIPANT + "/consents",
    "nl.zroute.intake.contact-person-assigned.v1": _PARTICIPANT + "/contact-persons",
    "nl.zroute.intake.intake-completed.v1": _PARTICIPANT,
    "nl.zroute.intake.intake-corrected.v1": _PARTICIPANT,
    "nl.zroute.intake.intake-scheduled.v1": _PARTICIPANT,
    "nl.zroute.intake.intake-cancelled.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-registered.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-withdrawn.v1": _PARTICIPANT,
    "nl.zroute.intake.personal-data-changed.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-re-enrolled.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-moved-out.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-moved-in.v1": _PARTICIPANT,
    # After a core-data deletion the reference answers 404: nothing is left to read.
    "nl.zroute.intake.participant-records-deleted.v1": _PARTICIPANT,
    "nl.zroute.intake.participant-paused.v1": _PARTICIPANT + "/pauses",
    "nl.zroute.intake.participant-resumed.v1": _PARTICIPANT + "/pauses",
    "nl.zroute.intake.pip-established.v1": _PARTICIPANT + "/pip",
    "nl.zroute.intake.pip-amended.v1": _PARTICIPANT + "/pip",
    "nl.zroute.intake.term-extended.v1": _PARTICIPANT + "/pip",
    "nl.zroute.intake.obligation-released.v1": _PARTICIPANT + "/pip",
    "nl.zroute.intake.progress-meeting-scheduled.v1": _PARTICIPANT + "/progress-meetings",
    "nl.zroute.intake.progress-meeting-held.v1": _PARTICIPANT + "/progress-meetings",
    "nl.zroute.intake.final-meeting-held.v1": _PARTICIPANT + "/progress-meetings",
}


def repositories(conn: Any, deps: IntakeDependencies) -> dict[str, TrackingRepository]:
    """Intake's repositories on a unit of work's connection: ``uow.participants``,
    ``uow.pips``, ``uow.meetings``, ``uow.timers``, ``uow.access_log``, ``uow.relations``, and ``uow.reads`` for the views
    (``service_layer/unit_of_work.IntakeUnitOfWork`` names them for the handlers)."""
    return {
        "participants": ParticipantRepository(conn, deps.protector),
        "pips": PipRepository(conn),
        "meetings": MeetingRepository(conn, deps.protector),
        "timers": TimerRepository(conn),
        "access_log": AccessLogRepository(conn),
        "relations": RelationRepository(conn),
        "interpreters": InterpreterAnswerRepository(conn),
        "reads": IntakeReads(conn),
        "report": ReportRepository(conn),
    }


def consumed_events() -> dict[type[Event], list[Handler]]:
    """The events intake consumes besides route completion: the report's projection
    (attendance, referral times) and the partners' relations (groups, placements,
    referrals). A referral event feeds both, in one transaction."""
    registry: dict[type[Event], list[Handler]] = {}
    for event, handlers in reports.HANDLERS.items():
        registry.setdefault(event, []).extend(handlers)
    for event, handler in relations.HANDLERS.items():
        registry.setdefault(event, []).append(handler)
    for event, handler in interpreters.HANDLERS.items():
        registry.setdefault(event, []).append(handler)
    return registry


def definition(settings: Settings | None = None) -> IntakeDefinition:
    """The intake service as the runtime runs it.

    Pass the settings the runtime gets; without them they are read from the
    environment, as the CLI's are.
    """
    settings = settings if settings is not None else Settings()
    deps = dependencies(settings)
    return IntakeDefinition(
        name=SERVICE,
        handlers={
            RouteCompleted: [partial(participants.on_route_completed, deps=deps)],
            ParticipantMovedIn: [partial(moves.on_moved_in, deps=deps)],
            **consumed_events(),
        },
        timer_handlers={
            participants.ERASURE_TIMER: partial(participants.erase_personal_data, deps=deps),
            participants.CORE_DELETION_TIMER: partial(participants.delete_core_data, deps=deps),
            contact_persons.HANDOVER_TIMER: partial(contact_persons.take_over_planned, deps=deps),
        },
        routers=[*ROUTERS, ui.router(settings)],
        migrations=MIGRATIONS,
        datarefs=DATAREFS,
        repositories=partial(repositories, deps=deps),
        deps=deps,
    )


main = console_script(definition, Settings)
"""``zroute-intake serve|migrate``: the service's console script."""
