"""Where a recipient is reached: the directory (``uow.directory``), else the seed file."""

from __future__ import annotations

from typing import Any

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork


async def address(
    uow: NotificationsUnitOfWork, deps: Deps, kind: str, ref: str
) -> dict[str, Any] | None:
    """A recipient's address and language: the directory, else the seed file."""
    row = await uow.directory.address(kind, ref)
    if row is not None:
        return dict(row)
    return deps.seeded_address(kind, ref)


async def language_of(uow: NotificationsUnitOfWork, deps: Deps, kind: str, ref: str) -> str:
    """The language a recipient reads (the directory's, else the default)."""
    entry = await address(uow, deps, kind, ref)
    return deps.language(entry["language"] if entry else None)
