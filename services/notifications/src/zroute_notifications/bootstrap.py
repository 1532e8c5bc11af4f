"""Wires the notifications service: its handlers, timers, routers, repositories and
migrations are chosen here only.

The matrix and the templates are loaded and validated here, so a bad matrix stops the
service before it takes a single event (``MatrixError`` names every problem).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from zroute_contract import event_types
from zroute_contract.events.base import Event
from zroute_contract.events.intake import (
    ConsentWithdrawn,
    IntakeCancelled,
    IntakeScheduled,
    ParticipantRecordsDeleted,
    PersonalDataChanged,
)
from zroute_contract.events.support import AgreementRecorded
from zroute_runtime.cli import console_script
from zroute_runtime.messagebus import Handler
from zroute_runtime.repository import TrackingRepository
from zroute_runtime.service import ServiceDefinition

from zroute_notifications import ui
from zroute_notifications.adapters.config import load_matrix, load_seed
from zroute_notifications.adapters.directory_repo import DirectoryRepository
from zroute_notifications.adapters.notification_repo import NotificationRepository
from zroute_notifications.adapters.participant_repo import ParticipantRepository
from zroute_notifications.adapters.people import IntakePeople
from zroute_notifications.adapters.places import PlanningPlaces
from zroute_notifications.adapters.readmodel_repo import ReadModelRepository
from zroute_notifications.adapters.reads import NotificationsReads
from zroute_notifications.adapters.rendering import Templates
from zroute_notifications.adapters.retention_repo import RetentionRepository
from zroute_notifications.adapters.secrets import SecretBox
from zroute_notifications.adapters.smtp import Mailer
from zroute_notifications.adapters.timer_repo import TimerRepository
from zroute_notifications.adapters.webhook import WebhookSender
from zroute_notifications.domain.targets import TargetPolicy
from zroute_notifications.entrypoints.http import ROUTERS
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import (
    consents,
    delivery,
    languages,
    messages,
    overview,
    participant,
    received,
    reminders,
    retention,
)
from zroute_notifications.settings import Settings

SERVICE = "notifications"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def repositories(conn: Any) -> dict[str, TrackingRepository]:
    """The service's repositories on a unit of work's connection: ``uow.notifications``,
    ``uow.directory``, ``uow.readmodel``, ``uow.timers``, ``uow.participants``, and
    ``uow.reads`` for the views."""
    return {
        "notifications": NotificationRepository(conn),
        "directory": DirectoryRepository(conn),
        "readmodel": ReadModelRepository(conn),
        "timers": TimerRepository(conn),
        "participants": ParticipantRepository(conn),
        "retention": RetentionRepository(conn),
        "reads": NotificationsReads(conn),
    }


def build_deps(settings: Settings) -> Deps:
    """The matrix (validated against the templates), the templates and the senders."""
    templates = Templates(settings.templates_path)
    return Deps(
        settings=settings,
        matrix=load_matrix(settings.matrix_path, templates),
        templates=templates,
        mailer=Mailer(settings),
        webhooks=WebhookSender(
            settings.webhook_timeout_s,
            origin=settings.sender_origin(),
            request_rate=settings.webhook_request_rate,
            policy=TargetPolicy(
                allow_http=settings.webhook_allow_http,
                allowed=tuple(settings.webhook_allowed_targets),
            ),
            box=SecretBox(settings.webhook_secrets_key_bytes()),
        ),
        seed=load_seed(settings.directory_seed_path),
        people=IntakePeople(
            settings,
            settings.intake_api_url or settings.service_urls["intake"],
            settings.people_timeout_s,
        ),
        places=PlanningPlaces(
            settings,
            settings.planning_api_url or settings.service_urls["planning"],
            settings.people_timeout_s,
        ),
    )


EXTRA: dict[type[Event], list[Callable[..., Any]]] = {
    AgreementRecorded: [overview.agreement_recorded],
    ConsentWithdrawn: [consents.consent_withdrawn],
    ParticipantRecordsDeleted: [retention.records_deleted],
    PersonalDataChanged: [languages.personal_data_changed],
}
"""What an event does besides being kept and planning its messages: an agreement plans
the programme's overview; a withdrawn consent stops the messages that relied on it;
intake's deletion of a participant's records deletes theirs here (B 9.9); a changed
language waits for the participant's registration."""

AFTER: dict[type[Event], list[Callable[..., Any]]] = {
    IntakeScheduled: [reminders.settle_intake_reminders],
    IntakeCancelled: [reminders.settle_intake_reminders],
}
"""What an event does once its messages are planned: an intake moved or called off stops
the reminders of its old time (the moved intake's new reminder was just planned)."""


def handlers(deps: Deps) -> dict[type[Event], list[Handler]]:
    """Per consumed event class, in order: keep it and feed the read model, its own
    handlers (``EXTRA``), then the messages the matrix asks for and what follows from
    them (``AFTER``), the participant's last."""
    consumed = [c for c in event_types().values() if SERVICE in c.spec.consumers]
    return {cls: [partial(step, deps=deps) for step in _steps(deps, cls)] for cls in consumed}


def _steps(deps: Deps, cls: type[Event]) -> tuple[Callable[..., Any], ...]:
    """The steps for ``cls``. The matrix's steps only for a type the matrix has lines for,
    decided once per type (the matrix is loaded at start and never changes while the
    service runs): a type no rule names, like the demo's 37,657 attendance lines, skips
    steps that would find nothing to do per event (and log a line saying so)."""
    event_type = cls.spec.type
    planned = (messages.plan_messages,) if deps.matrix.targets_for(event_type) else ()
    told = (
        (participant.tell_participant,) if deps.matrix.participant_targets_for(event_type) else ()
    )
    return (received.record, *EXTRA.get(cls, ()), *planned, *AFTER.get(cls, ()), *told)


def definition(settings: Settings | None = None) -> ServiceDefinition:
    """The notifications service as the runtime runs it (settings from the environment
    when none are given)."""
    settings = settings or Settings()
    deps = build_deps(settings)
    service = ServiceDefinition(
        name=SERVICE,
        handlers=handlers(deps),
        timer_handlers={
            outcomes.DELIVER: partial(delivery.deliver, deps=deps),
            messages.DIGEST: partial(delivery.send_digest, deps=deps),
            overview.OVERVIEW: partial(overview.send_overview, deps=deps),
        },
        routers=[*ROUTERS, ui.router(settings, deps)],
        migrations=MIGRATIONS,
        repositories=repositories,
    )
    service.deps = deps  # type: ignore[attr-defined]  # read by the routers (http/deps.py)
    return service


main = console_script(definition, Settings)
"""``zroute-notifications serve|migrate``: the service's console script."""
