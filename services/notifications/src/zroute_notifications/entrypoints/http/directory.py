"""``/directory``: recipients' e-mail addresses and languages.

The events name roles, organisations and staff references, never addresses; an
operator or coordinator keeps the addresses here (or seeds them from a file).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_runtime.http_host import Runtime

from zroute_notifications.domain.commands import DeleteAddress, PutAddress
from zroute_notifications.entrypoints.http.deps import Managers, NotificationsDeps, reading, run
from zroute_notifications.entrypoints.http.schemas import AddressIn, AddressOut, Kind
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.handlers import directory

router = APIRouter(prefix="/directory", tags=["directory"])


@router.get("")
async def list_addresses(
    principal: Managers,
    runtime: Runtime,
    request: Request,
    deps: NotificationsDeps,
    kind: Kind | None = None,
) -> list[AddressOut]:
    """The directory, with the seed file's entries the API has not replaced."""
    async with reading(runtime, request) as uow:
        found = await views.addresses(uow, deps, principal, kind)
    return [AddressOut(**a) for a in found]


@router.put("/{kind}/{ref}")
async def put_address(
    kind: Kind, ref: str, body: AddressIn, principal: Managers, runtime: Runtime, request: Request
) -> AddressOut:
    """Set where a staff member, partner, employer or the operator desk is reached."""
    await run(
        runtime,
        request,
        lambda uow: directory.put_address(
            uow,
            principal,
            PutAddress(kind, ref, body.email, body.language, body.name, body.phone),
        ),
    )
    return AddressOut(kind=kind, ref=ref, **body.model_dump())


@router.delete("/{kind}/{ref}", status_code=204)
async def delete_address(
    kind: Kind, ref: str, principal: Managers, runtime: Runtime, request: Request
) -> None:
    await run(
        runtime,
        request,
        lambda uow: directory.delete_address(uow, principal, DeleteAddress(kind, ref)),
    )
