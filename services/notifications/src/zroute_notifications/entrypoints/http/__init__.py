"""One router per resource of the notifications API."""

from zroute_notifications.entrypoints.http import (
    directory,
    inbox,
    matrix,
    notifications,
    overview,
    subscriptions,
)

ROUTERS = [
    matrix.router,
    inbox.router,
    notifications.router,
    directory.router,
    subscriptions.router,
    overview.router,
]
