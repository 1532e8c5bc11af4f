"""HTTP routers (one per resource) and the CLI."""

from __future__ import annotations

from fastapi import APIRouter

from zroute_notifications.service_layer.deps import Deps


def routers(deps: Deps) -> list[APIRouter]:
    from zroute_notifications.entrypoints import (
        directory,
        inbox,
        matrix,
        notifications,
        overview,
        subscriptions,
    )

    return [
        matrix.router(deps),
        inbox.router(deps),
        notifications.router(deps),
        directory.router(deps),
        subscriptions.router(deps),
        overview.router(deps),
    ]
