"""``/programmes/{id}/overview``: the consultation overview as an HTML page."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from zroute_runtime.clock import local_day
from zroute_runtime.http_host import Runtime

from zroute_notifications.entrypoints.http.deps import Anyone, NotificationsDeps, reading
from zroute_notifications.service_layer import overview, views

router = APIRouter(prefix="/programmes", tags=["overview"])


@router.get("/{programme_id}/overview", response_class=HTMLResponse)
async def read_overview(
    programme_id: str,
    principal: Anyone,
    runtime: Runtime,
    request: Request,
    deps: NotificationsDeps,
    lang: Literal["nl", "en"] | None = None,
) -> HTMLResponse:
    """For coordinators, operators and staff of the programme's partners."""
    today = local_day(runtime.clock.now())
    async with reading(runtime, request) as uow:
        await views.ensure_overview_reader(uow, principal, programme_id, today)
        built = await views.programme_overview(uow, deps, programme_id, today)
    language = lang or deps.settings.default_language
    return HTMLResponse(overview.render(deps, built, language))
