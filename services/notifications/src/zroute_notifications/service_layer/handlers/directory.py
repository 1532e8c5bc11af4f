"""The directory's commands: set or remove where a recipient is reached."""

from __future__ import annotations

import re

from zroute_runtime.auth import Principal

from zroute_notifications.domain.commands import DeleteAddress, PutAddress
from zroute_notifications.domain.errors import InvalidRequest, NotFound
from zroute_notifications.service_layer import scope
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$"


async def put_address(
    uow: NotificationsUnitOfWork, principal: Principal, command: PutAddress
) -> None:
    """Set where a staff member, partner, employer or the operator desk is reached."""
    if not re.fullmatch(REF_PATTERN, command.ref):
        raise InvalidRequest("ref must be a staff ref, partner id or employer id")
    await scope.ensure_recipient(uow, principal, command.kind, command.ref)
    await uow.directory.put_address(
        command.kind,
        command.ref,
        command.email,
        command.language,
        name=command.name,
        phone=command.phone,
    )


async def delete_address(
    uow: NotificationsUnitOfWork, principal: Principal, command: DeleteAddress
) -> None:
    """Remove a recipient's address (the seed file's, if any, shows again)."""
    await scope.ensure_recipient(uow, principal, command.kind, command.ref)
    if not await uow.directory.delete_address(command.kind, command.ref):
        raise NotFound("no such address")
