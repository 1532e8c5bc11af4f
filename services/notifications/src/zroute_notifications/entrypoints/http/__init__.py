"""One router per resource of the notifications API."""

from zroute_notifications.entrypoints.http import (
    audit,
    directory,
    inbox,
    letters,
    matrix,
    notifications,
    overview,
    page,
    subscriptions,
)

ROUTERS = [
    matrix.router,
    inbox.router,
    notifications.router,
    directory.router,
    subscriptions.router,
    overview.router,
    letters.router,
    page.router,
    audit.router,
]
