"""``/directory``: recipients' e-mail addresses and languages.

The events name roles, organisations and staff references, never addresses; an
operator or coordinator keeps the addresses here (or seeds them from a file).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException
from zroute_runtime.http_host import Runtime

from zroute_notifications.adapters import directory
from zroute_notifications.entrypoints import scope
from zroute_notifications.entrypoints.deps import Managers
from zroute_notifications.entrypoints.schemas import AddressIn, AddressOut, Kind
from zroute_notifications.service_layer.deps import Deps

REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$"


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/directory", tags=["directory"])

    @api.get("")
    async def list_addresses(
        principal: Managers, runtime: Runtime, kind: Kind | None = None
    ) -> list[AddressOut]:
        """The directory, with the seed file's entries the API has not replaced."""
        async with runtime.pool.acquire() as conn:
            rows = await directory.list_addresses(conn, kind)
            found = [AddressOut(**dict(r)) for r in rows]
            have = {(a.kind, a.ref) for a in found}
            for seed_kind, entries in deps.seed.items():
                for ref, entry in entries.items():
                    if (kind is None or kind == seed_kind) and (seed_kind, ref) not in have:
                        found.append(AddressOut(kind=seed_kind, ref=ref, source="seed", **entry))
            return [
                a for a in found if await scope.may_reach_recipient(conn, principal, a.kind, a.ref)
            ]

    @api.put("/{kind}/{ref}")
    async def put_address(
        kind: Kind, ref: str, body: AddressIn, principal: Managers, runtime: Runtime
    ) -> AddressOut:
        """Set where a staff member, partner, employer or the operator desk is reached."""
        if not re.fullmatch(REF_PATTERN, ref):
            raise HTTPException(422, "ref must be a staff ref, partner id or employer id")
        async with runtime.pool.acquire() as conn:
            await scope.ensure_recipient(conn, principal, kind, ref)
            await directory.put_address(conn, kind, ref, body.email, body.language)
        return AddressOut(kind=kind, ref=ref, email=body.email, language=body.language)

    @api.delete("/{kind}/{ref}", status_code=204)
    async def delete_address(kind: Kind, ref: str, principal: Managers, runtime: Runtime) -> None:
        async with runtime.pool.acquire() as conn:
            await scope.ensure_recipient(conn, principal, kind, ref)
            if not await directory.delete_address(conn, kind, ref):
                raise HTTPException(404, "no such address")

    return api
