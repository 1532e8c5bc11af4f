"""The notifications service's screens under ``/ui/``: the municipality coordinator's
programmes and their consultation overview, in the screens' layout; the delivery log with
resend; the communication matrix, the inboxes and the webhook subscriptions; the
operator's dead letters with replay.

The same rules as the API's ``GET /programmes/{id}/overview``: coordinators and operators
see every programme, staff of a partner only the programmes whose agreement names it.
"""

from pathlib import Path

from fastapi import APIRouter
from zroute_runtime.auth import Role
from zroute_ui import N_, Screen, UiKit, UiSettings, api_roles, service_roles

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.ui import directory, operations, pages

SCREENS = [
    Screen(
        N_("Programmes"),
        "/ui/programmes",
        frozenset({Role.COORDINATOR, Role.OPERATOR}),  # no API operation lists programmes
        N_("each programme's consultation overview"),
    ),
    Screen(
        N_("Delivery log"),
        "/ui/deliveries",
        api_roles("notifications", "GET /notifications"),
        N_("every message and its delivery; send a failed one again"),
    ),
    Screen(
        N_("Communication matrix"),
        "/ui/matrix",
        api_roles("notifications", "GET /matrix"),
        N_("who is told of each event, along which channels and when"),
    ),
    Screen(
        N_("Inbox"),
        "/ui/inbox",
        api_roles("notifications", "GET /inbox/{kind}/{ref}"),
        N_("the messages placed in an inbox"),
    ),
    Screen(
        N_("Webhook subscriptions"),
        "/ui/subscriptions",
        api_roles("notifications", "GET /subscriptions"),
        N_("the partners' webhook subscriptions and their state"),
    ),
    Screen(
        N_("Dead letters"),
        "/ui/dead-letters",
        frozenset({Role.OPERATOR}),  # the broker's dead letters: no operation of the matrix
        N_("messages a service gave up on, with the reason; replay them"),
    ),
]


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
