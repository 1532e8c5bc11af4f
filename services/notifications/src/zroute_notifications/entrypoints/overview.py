"""``/programmes/{id}/overview``: the consultation overview as an HTML page."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from zroute_runtime.auth import Role
from zroute_runtime.http_host import Runtime

from zroute_notifications.adapters.readmodel import queries
from zroute_notifications.domain.recipients import programme_partners
from zroute_notifications.entrypoints import scope
from zroute_notifications.entrypoints.deps import Anyone
from zroute_notifications.service_layer import overview
from zroute_notifications.service_layer.deps import Deps


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/programmes", tags=["overview"])

    @api.get("/{programme_id}/overview", response_class=HTMLResponse)
    async def read_overview(
        programme_id: str,
        principal: Anyone,
        runtime: Runtime,
        lang: Literal["nl", "en"] | None = None,
    ) -> HTMLResponse:
        """For coordinators, operators and staff of the programme's partners."""
        now = runtime.clock.now()
        async with runtime.pool.acquire() as conn:
            await scope.ensure_programme(conn, principal, programme_id)
            if not principal.has_any_role(Role.COORDINATOR, Role.OPERATOR):
                agreement = await queries.current_agreement(
                    conn, programme_id, now.astimezone(deps.tz).date()
                )
                if not (
                    Role.PARTNER_STAFF in principal.roles
                    and principal.partner_id in programme_partners(agreement)
                ):
                    raise HTTPException(403, "only the programme's partners see its overview")
            built = await overview.build(conn, deps, programme_id, now)
        language = lang or deps.settings.default_language
        return HTMLResponse(overview.render(deps, built, language))

    return api
