"""The notifications service's screens under ``/ui/``: the municipality coordinator's
programmes and their consultation overview, in the screens' layout; the delivery log with
resend; the communication matrix, the inboxes and the webhook subscriptions; the
operator's dead letters with replay.

The same rules as the API's ``GET /programmes/{id}/overview``: coordinators and operators
see every programme, staff of a partner only the programmes whose agreement names it.
"""

from pathlib import Path

from fastapi import APIRouter
from zroute_ui import UiKit, UiSettings, navigation, service_roles

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.ui import directory, operations, pages

SCREENS = navigation.SCREENS["notifications"]


def router(settings: UiSettings, deps: Deps) -> APIRouter:
    kit = UiKit(
        "notifications",
        settings,
        templates=Path(__file__).parent / "templates",
        screens=SCREENS,
        start_roles=sorted(service_roles("notifications")),
    )
    pages.add(kit, deps)
    operations.add(kit)
    directory.add(kit, deps)
    return kit.build()
