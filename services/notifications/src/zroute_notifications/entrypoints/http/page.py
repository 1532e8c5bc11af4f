"""``/p/{token}``: the participant's personal page and its week as audio (issue 18).

No login: the signed, expiring link printed on the letter is the key (the access matrix
lists these operations as public). Every use is logged with the link id and outcome only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from zroute_runtime.http_host import Runtime

from zroute_notifications.entrypoints.http.deps import NotificationsDeps, reading
from zroute_notifications.service_layer.handlers import page
from zroute_notifications.ui.participant_page import render_page, render_refusal

router = APIRouter(prefix="/p", tags=["personal page"])
# The page names a participant's week: never cached by a shared cache, never indexed.
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}


@router.get("/{token}", response_class=HTMLResponse)
async def personal_page(
    token: str, runtime: Runtime, request: Request, deps: NotificationsDeps
) -> HTMLResponse:
    """The participant's week, next appointment and contact person; 404/410 with a short
    page when the link is forged, unknown, expired or revoked."""
    async with reading(runtime, request) as uow:
        opened, view = await page.view(uow, deps, token)
    if view is None:
        status = opened.status if opened.status != 200 else 404
        return HTMLResponse(render_refusal(opened.outcome), status_code=status, headers=HEADERS)
    html = render_page(view, deps.settings.letter_sender, f"{token}/week.wav")
    return HTMLResponse(html, headers=HEADERS)


@router.get("/{token}/week.wav")
async def week_audio(
    token: str, runtime: Runtime, request: Request, deps: NotificationsDeps
) -> Response:
    """The week spoken in the participant's language where espeak-ng speaks it, else Dutch
    (``Content-Language`` says which)."""
    async with reading(runtime, request) as uow:
        opened, audio = await page.week_audio(uow, deps, token)
    if audio is None:
        status = opened.status if opened.status != 200 else 404
        return HTMLResponse(render_refusal(opened.outcome), status_code=status, headers=HEADERS)
    return Response(
        audio.wav,
        media_type="audio/wav",
        headers={**HEADERS, "Content-Language": audio.language},
    )
