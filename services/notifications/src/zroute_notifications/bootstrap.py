"""Wires the notifications service: its handlers, timers, routers and migrations.

The matrix and the templates are loaded and validated here, so a bad matrix stops the
service before it takes a single event (``MatrixError`` names every problem).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from zroute_contract import event_types
from zroute_runtime.cli import console_script
from zroute_runtime.service import ServiceDefinition

from zroute_notifications import ui
from zroute_notifications.adapters.config import load_matrix, load_seed
from zroute_notifications.adapters.rendering import Templates
from zroute_notifications.adapters.secrets import SecretBox
from zroute_notifications.adapters.smtp import Mailer
from zroute_notifications.adapters.webhook import WebhookSender
from zroute_notifications.domain.targets import TargetPolicy
from zroute_notifications.entrypoints import routers
from zroute_notifications.service_layer import delivery, dispatch, overview
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.settings import Settings

SERVICE = "notifications"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def build_deps(settings: Settings) -> Deps:
    templates = Templates(settings.templates_path, settings.timezone)
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
    )


def definition(settings: Settings | None = None) -> ServiceDefinition:
    """The notifications service as the runtime runs it (settings from the environment
    when none are given)."""
    settings = settings or Settings()
    deps = build_deps(settings)
    handle = partial(dispatch.handle, deps=deps)
    consumed = [c for c in event_types().values() if SERVICE in c.spec.consumers]
    return ServiceDefinition(
        name=SERVICE,
        handlers={cls: [handle] for cls in consumed},
        timer_handlers={
            dispatch.DELIVER: partial(delivery.deliver, deps=deps),
            dispatch.DIGEST: partial(delivery.send_digest, deps=deps),
            overview.OVERVIEW: partial(overview.send_overview, deps=deps),
        },
        routers=[*routers(deps), ui.router(settings, deps)],
        migrations=MIGRATIONS,
    )


main = console_script(definition, Settings)
"""``zroute-notifications serve|migrate``: the service's console script."""
